from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InspectionsConfig(AppConfig):
    name = "inspections"
    verbose_name = _("点位测评")

    def ready(self):
        from campaigns.registry import contribute

        # Points, checklists, inspections and problems are not built yet: nothing to contribute.
        contribute(self, depends_on=["supervision"])
