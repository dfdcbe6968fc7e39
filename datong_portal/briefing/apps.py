from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BriefingConfig(AppConfig):
    """The monthly briefing reads every app, like the dashboard beside it; no app reads from it."""

    name = "datong_portal.briefing"
    label = "briefing"
    verbose_name = _("月度工作简报")

    def ready(self):
        from campaigns.registry import contribute
        from datong_portal.briefing import clock

        contribute(
            self,
            pages="datong_portal.briefing.urls",
            nav_template="briefing/_nav.html",
            sweeps=clock.SWEEPS,
            schedules=clock.SCHEDULE,
        )
