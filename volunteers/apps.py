from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteersConfig(AppConfig):
    name = "volunteers"
    verbose_name = _("志愿服务")

    def ready(self):
        from campaigns.registry import contribute
        from volunteers import clock, cockpit, dashboard, demo, home, seed, workflows
        from volunteers.api import urls as api

        contribute(
            self,
            pages="volunteers.urls",
            api_routes=api.routes,
            api_urls=api.urlpatterns,
            nav_template="volunteers/_nav.html",
            home_template="volunteers/_home.html",
            home_context=home.home_context,
            summary_parts=dashboard.summary_parts,
            cockpit_parts=cockpit.cockpit_parts,
            district_columns=dashboard.district_columns,
            sweeps=clock.SWEEPS,
            schedules=clock.SCHEDULE,
            digest_lines=clock.digest_lines,
            seed_reference=seed.seed_reference,
            seed_demo=seed.seed_demo,
            seed_history=demo.seed_history,
            seed_scale=seed.seed_scale,
            workflows=[workflows.SERVICE_RECORD_WORKFLOW, workflows.IMPORT_JOB_WORKFLOW],
        )
