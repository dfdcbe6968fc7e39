"""The several-machine production configuration boots: sessions and cache in the real Redis, uploads on an
S3-compatible store (configured, not contacted), PostgreSQL behind a PgBouncer-friendly pool, deploy check clean."""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from tests.ops.conftest import ROOT


@pytest.fixture
def production_env(closed_port):
    redis_url = os.environ.get("REDIS_URL", "")
    assert redis_url.startswith("redis://"), "this test needs Redis (REDIS_URL)"
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {
        **inherited,
        "DJANGO_ENV": "production",
        "SECRET_KEY": "a-long-random-production-secret-" + "y" * 40,
        "ALLOWED_HOSTS": "cc.datong.example",
        "DATABASE_URL": os.environ.get("DATABASE_URL", ""),
        "REDIS_URL": redis_url,
        "DATABASE_CONN_MAX_AGE": "0",
        "DATABASE_DISABLE_SERVER_SIDE_CURSORS": "true",
        "S3_BUCKET": "datong-uploads",
        "S3_ENDPOINT_URL": f"http://127.0.0.1:{closed_port}",  # nothing listens: booting must not need it
        "S3_ACCESS_KEY_ID": "test-access-key",
        "S3_SECRET_ACCESS_KEY": "test-secret-key",
        "METRICS_ALLOWED_IPS": "10.0.0.0/8,127.0.0.1",
    }


def _manage(env, *args):
    return subprocess.run([sys.executable, "manage.py", *args], capture_output=True, text=True, env=env, cwd=ROOT)


def test_the_several_machine_settings_pass_the_deploy_check(production_env):
    result = _manage(production_env, "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


PROBE = """
import json
from django.conf import settings
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache
from django.core.files.storage import storages
from django.db import connection

cache.set("ops-production-probe", "来自另一台机器", 30)
session = SessionStore()
session["division"] = "平城区"
session.save()
again = SessionStore(session_key=session.session_key)
print(json.dumps({
    "storage": type(storages["default"]).__module__ + "." + type(storages["default"]).__name__,
    "bucket": storages["default"].bucket_name,
    "cache": cache.get("ops-production-probe"),
    "cache_backend": settings.CACHES["default"]["BACKEND"],
    "session_engine": settings.SESSION_ENGINE,
    "session": again.load().get("division"),
    "conn_max_age": connection.settings_dict["CONN_MAX_AGE"],
    "server_side_cursors_off": connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"],
    "engine": connection.settings_dict["ENGINE"],
    "whitenoise": "whitenoise.middleware.WhiteNoiseMiddleware" in settings.MIDDLEWARE,
    "proxy_ssl_header": list(settings.SECURE_PROXY_SSL_HEADER),
}, ensure_ascii=False))
cache.delete("ops-production-probe")
again.delete()
"""


def test_production_keeps_sessions_and_cache_in_redis_and_uploads_in_the_bucket(production_env):
    result = _manage(production_env, "shell", "--no-imports", "-c", PROBE)
    assert result.returncode == 0, result.stdout + result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen == {
        "storage": "storages.backends.s3.S3Storage",
        "bucket": "datong-uploads",
        "cache": "来自另一台机器",
        "cache_backend": "django.core.cache.backends.redis.RedisCache",
        "session_engine": "django.contrib.sessions.backends.cache",
        "session": "平城区",
        "conn_max_age": 0,
        "server_side_cursors_off": True,
        "engine": "django_prometheus.db.backends.postgresql",
        "whitenoise": True,
        "proxy_ssl_header": ["HTTP_X_FORWARDED_PROTO", "https"],
    }


def test_a_malformed_metrics_network_stops_the_start(production_env):
    result = _manage({**production_env, "METRICS_ALLOWED_IPS": "10.0.0.0/33"}, "check")
    assert result.returncode != 0 and "METRICS_ALLOWED_IPS" in result.stderr


def test_tests_do_not_keep_sessions_in_the_shared_cache():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"


def test_the_shipped_gunicorn_configuration_loads_the_portal(production_env, tmp_path):
    env = {**production_env, "PROMETHEUS_MULTIPROC_DIR": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "--config", "deploy/gunicorn.conf.py", "datong_portal.wsgi"],
        capture_output=True, text=True, env=env, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    for unit in ("datong-web.service", "datong-worker.service", "datong-beat.service"):
        text = (ROOT / "deploy" / unit).read_text()
        assert "EnvironmentFile=/etc/datong/datong.env" in text and "[Install]" in text
