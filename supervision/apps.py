from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupervisionConfig(AppConfig):
    name = "supervision"
    verbose_name = _("督办卡")

    def ready(self):
        from campaigns.registry import contribute
        from supervision import clock, dashboard, home, inbox, seed, workflows
        from supervision.api import urls as api

        contribute(
            self,
            pages="supervision.urls",
            api_routes=api.routes,
            api_urls=api.urlpatterns,
            nav_template="supervision/_nav.html",
            home_template="supervision/_home.html",
            home_context=home.home_context,
            summary_parts=dashboard.summary_parts,
            district_columns=dashboard.district_columns,
            sweeps=clock.SWEEPS,
            schedules=clock.SCHEDULE,
            seed_reference=seed.seed_reference,
            seed_demo=seed.seed_demo,
            workflows=[workflows.SUPERVISION_CARD_WORKFLOW, workflows.EXTENSION_WORKFLOW],
            inbox_items=inbox.inbox_items,
        )
