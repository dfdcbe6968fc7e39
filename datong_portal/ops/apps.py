from django.apps import AppConfig


class OpsConfig(AppConfig):
    """Running the portal: health, metrics, structured logs, backup and restore. No models, no pages for people."""

    name = "datong_portal.ops"
    label = "ops"
    verbose_name = "运行维护"

    def ready(self):
        from datong_portal.ops import logs, metrics

        logs.configure_structlog()
        logs.connect_celery_signals()
        metrics.register_collector()
        metrics.connect_celery_signals()
