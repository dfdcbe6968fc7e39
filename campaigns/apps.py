from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("组织与计划")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from campaigns import notifications, seed, workflows
        from campaigns.api import urls as api
        from campaigns.middleware import mark_session_start
        from campaigns.registry import contribute

        user_logged_in.connect(mark_session_start, dispatch_uid="campaigns-session-start")

        contribute(
            self,
            pages="campaigns.urls",
            api_routes=api.routes,
            api_urls=api.urlpatterns,
            nav_template="campaigns/_nav.html",
            header_context=notifications.unread_count,
            seed_reference=seed.seed_reference,
            seed_demo=seed.seed_demo,
            workflows=[workflows.TASK_WORKFLOW],
        )
