from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CampaignsConfig(AppConfig):
    name = "campaigns"
    verbose_name = _("组织与计划")

    def ready(self):
        from django.contrib.auth.signals import user_logged_in
        from django.db.models.signals import post_delete

        from campaigns import figures, home, notifications, seed, selectors, uploads, workflows  # noqa: F401 (figures: its connection hook)
        from campaigns.api import urls as api
        from campaigns.exports import ExportSpec
        from campaigns.filtersets import TaskFilterSet
        from campaigns.middleware import mark_session_start
        from campaigns.registry import contribute

        user_logged_in.connect(mark_session_start, dispatch_uid="campaigns-session-start")

        # Derived data kept in step (the one use of signals here): a row's files go with the row, in every app. Only
        # models with files are connected, so every other model keeps Django's fast bulk delete.
        for model in uploads.models_with_files():
            post_delete.connect(uploads.delete_files_of, sender=model, dispatch_uid=f"files:{model._meta.label}")
        contribute(
            self,
            pages="campaigns.urls",
            api_routes=api.routes,
            api_urls=api.urlpatterns,
            nav_template="campaigns/_nav.html",
            home_template="campaigns/_home.html",
            home_context=home.home_context,
            header_context=notifications.unread_count,
            seed_reference=seed.seed_reference,
            seed_demo=seed.seed_demo,
            workflows=[workflows.TASK_WORKFLOW],
            exports={"tasks": ExportSpec(TaskFilterSet, selectors.tasks_for_export, "挂图作战任务.xlsx")},
        )
