"""Kinds and statuses of the campaign calendar; the report workflow is declared in :mod:`taskforces.workflows`."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportKind(models.TextChoices):
    WEEKLY = "weekly", _("周一总结")
    MONTHLY = "monthly", _("月度报告")


class ReportStatus(models.TextChoices):
    EXPECTED = "expected", _("待报送")
    SUBMITTED = "submitted", _("已报送")
    ACCEPTED = "accepted", _("已通过")
    RETURNED = "returned", _("已退回")


# Statuses in which the holder may still edit the draft.
REPORT_EDITABLE = {ReportStatus.EXPECTED, ReportStatus.RETURNED}
