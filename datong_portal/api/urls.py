"""The v1 router. Each app's ``api/urls.py`` offers ``routes`` (prefix, viewset, basename) and ``urlpatterns``."""

from importlib import import_module

from django.conf import settings
from django.urls import include, path
from rest_framework.routers import DefaultRouter

API_APPS = [*settings.PORTAL_APPS, "datong_portal.dashboard"]


class PortalRouter(DefaultRouter):
    include_format_suffixes = False


router = PortalRouter()
extra_patterns = []
for app in API_APPS:
    module = import_module(f"{app}.api.urls")
    for prefix, viewset, basename in getattr(module, "routes", []):
        router.register(prefix, viewset, basename=basename)
    extra_patterns += getattr(module, "urlpatterns", [])

urlpatterns = extra_patterns + [path("", include(router.urls))]
