from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaskforcesConfig(AppConfig):
    name = "taskforces"
    verbose_name = _("专班与督办")

    def ready(self):
        from campaigns.exports import ExportSpec
        from campaigns.registry import contribute
        from taskforces import clock, cockpit, dashboard, demo, home, seed, selectors, workflows
        from taskforces.api import urls as api
        from taskforces.filtersets import ReminderCardFilterSet, ReportFilterSet

        contribute(
            self,
            pages="taskforces.urls",
            api_routes=api.routes,
            api_urls=api.urlpatterns,
            nav_template="taskforces/_nav.html",
            home_template="taskforces/_home.html",
            home_context=home.home_context,
            summary_parts=dashboard.summary_parts,
            cockpit_parts=cockpit.cockpit_parts,
            district_columns=dashboard.district_columns,
            sweeps=clock.SWEEPS,
            schedules=clock.SCHEDULE,
            seed_reference=seed.seed_reference,
            seed_demo=seed.seed_demo,
            exports={
                "reports": ExportSpec(ReportFilterSet, selectors.reports_visible_to, "周报月报.xlsx"),
                "reminder-cards": ExportSpec(ReminderCardFilterSet, selectors.reminder_cards_visible_to, "提示卡.xlsx"),
            },
            seed_history=demo.seed_history,
            workflows=[workflows.REPORT_WORKFLOW],
        )
