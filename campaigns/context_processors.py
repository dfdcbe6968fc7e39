from django.conf import settings
from django.utils.module_loading import import_string


def portal(request):
    """What every page's layout needs. Apps add their own header figures through ``PORTAL_HEADER_PROVIDERS``."""
    context = {"portal_name": "大同市创建全国文明城市工作平台"}
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        for dotted in getattr(settings, "PORTAL_HEADER_PROVIDERS", []):
            context.update(import_string(dotted)(request))
    return context
