"""The v1 router: every app's API routes, as the apps contributed them (``campaigns.registry``), and the dashboard."""

from django.urls import include, path
from rest_framework.routers import DefaultRouter

from campaigns import registry
from datong_portal.dashboard.api.urls import urlpatterns as dashboard_patterns


class PortalRouter(DefaultRouter):
    include_format_suffixes = False


router = PortalRouter()
for prefix, viewset, basename in registry.api_routes():
    router.register(prefix, viewset, basename=basename)

urlpatterns = [*registry.api_urls(), *dashboard_patterns, path("", include(router.urls))]
