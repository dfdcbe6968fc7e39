from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("组织与计划")


def portal_modules(name: str) -> list:
    """The ``<app>.<name>`` module of every portal app that offers one, in ``settings.PORTAL_APPS`` order."""
    from importlib import import_module
    from importlib.util import find_spec

    from django.conf import settings

    return [import_module(f"{app}.{name}") for app in settings.PORTAL_APPS if find_spec(f"{app}.{name}") is not None]
