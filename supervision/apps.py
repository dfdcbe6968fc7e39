from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督办卡")

    def ready(self):
        from campaigns.exports import ExportSpec
        from campaigns.registry import contribute
        from supervision import clock, cockpit, dashboard, demo, home, inbox, seed, selectors, workflows
        from supervision.api import urls as api
        from supervision.filtersets import SupervisionCardFilterSet

        contribute(
            self,
            pages="supervision.urls",
            api_routes=api.routes,
            api_urls=api.urlpatterns,
            nav_template="supervision/_nav.html",
            home_template="supervision/_home.html",
            home_context=home.home_context,
            summary_parts=dashboard.summary_parts,
            cockpit_parts=cockpit.cockpit_parts,
            district_columns=dashboard.district_columns,
            sweeps=clock.SWEEPS,
            schedules=clock.SCHEDULE,
            seed_reference=seed.seed_reference,
            seed_demo=seed.seed_demo,
            exports={
                "supervision-cards": ExportSpec(
                    SupervisionCardFilterSet, selectors.supervision_cards_visible_to, "督办卡台账.xlsx"
                )
            },
            seed_history=demo.seed_history,
            workflows=[workflows.SUPERVISION_CARD_WORKFLOW, workflows.EXTENSION_WORKFLOW],
            inbox_items=inbox.inbox_items,
        )
