from django.conf import settings
from django.contrib import admin
from django.contrib.auth.decorators import login_required
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from campaigns import registry
from campaigns.api.errors import api_not_found
from campaigns.middleware import with_inline_styles
from datong_portal.ops.bench import bare_view
from datong_portal.ops.health import HealthzView
from datong_portal.ops.metrics import metrics_view

admin.site.site_header = "大同市创建全国文明城市工作平台 · 数据管理"
admin.site.site_title = "创城平台管理"
admin.site.index_title = "数据管理"

urlpatterns = [
    path("admin/", admin.site.urls),
    # For the load balancer and the monitoring: no sign-in, nothing but part names and ok / fail.
    path("healthz", HealthzView.as_view(), name="healthz"),
    # For Prometheus: only from METRICS_ALLOWED_IPS directly, or with the METRICS_TOKEN bearer token.
    path("metrics", metrics_view, name="metrics"),
    path("api/v1/", include("datong_portal.api.urls")),
    re_path(r"^api/v1/", api_not_found),  # what no route matches is a Chinese JSON 404, DEBUG or not
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # The split view loads its script from a static file, so it works under a strict script-src 'self'.
    path(
        "api/docs/",
        login_required(with_inline_styles(SpectacularSwaggerSplitView.as_view(url_name="api-schema"))),
        name="api-docs",
    ),
    # The home page is the cockpit (驾驶舱); /screen/ its command-room mode (大屏).
    path("", include("datong_portal.dashboard.urls")),
    # Each app's pages, as it contributed them in its AppConfig.ready() (campaigns/registry.py).
    *(path("", include(module)) for module in registry.page_url_modules()),
]

if settings.BENCH:
    # The benchmark's floor: a bare view on the same server (datong_portal/ops/bench.py). Absent unless BENCH=1.
    urlpatterns.insert(0, path("ops/bench/bare/", bare_view, name="bench-bare"))

handler400 = "campaigns.api.errors.bad_request"
handler404 = "campaigns.api.errors.page_not_found"
