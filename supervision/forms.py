"""Forms validate input for the pages; the services decide everything else."""

from django import forms

from campaigns.choices import Role, UnitKind
from campaigns.models import Unit, User
from campaigns.validators import SaneDateField
from supervision.choices import CardSource


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several files in one input; their content is checked by the service (supervision.uploads)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [f for f in files if f is not None]


class CardIssueForm(forms.Form):
    title = forms.CharField(label="标题", max_length=200)
    source = forms.ChoiceField(label="来源", choices=CardSource.choices, initial=CardSource.INSPECTION)
    instruction_leader = forms.CharField(
        label="批示领导", max_length=50, required=False, help_text="来源为领导批示时必填"
    )
    instruction_text = forms.CharField(label="批示内容", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    description = forms.CharField(label="督办事项", widget=forms.Textarea(attrs={"rows": 4}))
    requirement = forms.CharField(label="整改要求", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    linked_refs = forms.CharField(
        label="关联说明",
        max_length=300,
        required=False,
        help_text="文字备注（如来源文件、媒体报道）；由点位测评问题升级的督办卡会自动关联问题",
    )
    assignee_unit = forms.ModelChoiceField(
        label="责任单位",
        queryset=Unit.objects.filter(kind__in=[UnitKind.GOVERNMENT, UnitKind.DEPARTMENT]).order_by("kind", "name"),
    )
    responsible_leader = forms.ModelChoiceField(
        label="责任领导", required=False, queryset=User.objects.filter(role=Role.LEADER, is_active=True)
    )
    deadline = SaneDateField(label="办结时限")
    attachments = MultipleImageField(label="附件图片")


class AcknowledgeForm(forms.Form):
    note = forms.CharField(label="签收说明", required=False, max_length=2000)


class SubmitForm(forms.Form):
    feedback = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 4}), max_length=5000)
    before_photos = MultipleImageField(label="整改前照片")
    after_photos = MultipleImageField(label="整改后照片")


class VerifyForm(forms.Form):
    decision = forms.ChoiceField(label="审核结果", choices=[("close", "通过，销号"), ("return", "退回整改")])
    comment = forms.CharField(label="审核意见", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    """撤销 needs a reason and an explicit confirmation: a withdrawn card is no longer handled by anyone."""

    reason = forms.CharField(label="撤销理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)
    confirm = forms.BooleanField(
        label="我已核实：撤销后本督办卡不再办理，编号和办理记录保留。",
        error_messages={"required": "请勾选确认后再撤销督办卡。"},
    )


class ExtensionRequestForm(forms.Form):
    new_deadline = SaneDateField(label="申请延至")
    reason = forms.CharField(label="延期理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class ExtensionDecideForm(forms.Form):
    decision = forms.ChoiceField(label="审批结果", choices=[("approve", "批准"), ("refuse", "不批准")])
    comment = forms.CharField(label="审批意见", required=False, max_length=2000)
