"""The Celery app. Tasks live in each app's tasks.py; the beat schedule lives in django-celery-beat's tables."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "datong_portal.settings")

app = Celery("datong_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.on_after_finalize.connect
def _ensure_broker_folders(sender, **kwargs):
    """kombu's filesystem transport does not create its folders; make them before anything is sent."""
    options = sender.conf.broker_transport_options or {}
    for key in ("data_folder_in", "data_folder_out", "processed_folder", "control_folder"):
        if options.get(key):
            os.makedirs(options[key], exist_ok=True)
