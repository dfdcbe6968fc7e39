"""Forms validate input for the pages; the services decide everything else."""

from django import forms

from campaigns.choices import Role
from campaigns.models import Division, Unit, User
from campaigns.validators import SaneDateField
from inspections.choices import Aspect, Severity
from inspections.models import PointCategory


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several photos in one input; their content is checked by the service (campaigns.uploads.check_image)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": "image/*", "multiple": True}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        if not data:
            return []
        files = data if isinstance(data, (list, tuple)) else [data]
        return [f for f in files if f is not None]


class PointForm(forms.Form):
    code = forms.CharField(label="点位编号", max_length=30)
    name = forms.CharField(label="点位名称", max_length=100)
    category = forms.ModelChoiceField(label="类别", queryset=PointCategory.objects.all())
    division = forms.ModelChoiceField(label="区县", queryset=Division.objects.all())
    street = forms.CharField(label="街道/乡镇", max_length=50, required=False)
    community = forms.CharField(label="社区/村", max_length=50, required=False)
    address = forms.CharField(label="地址", max_length=200, required=False)
    latitude = forms.DecimalField(label="纬度", max_digits=9, decimal_places=6, required=False)
    longitude = forms.DecimalField(label="经度", max_digits=9, decimal_places=6, required=False)
    responsible_unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.order_by("kind", "name"))
    leader_name = forms.CharField(label="包点领导", max_length=50, required=False)
    leader = forms.ModelChoiceField(
        label="包点领导账号",
        required=False,
        queryset=User.objects.filter(is_active=True, role__in=[Role.LEADER, Role.OFFICER]).order_by("username"),
    )
    is_active = forms.BooleanField(label="在用", required=False, initial=True)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        if user is not None and user.is_officer:
            self.fields["division"].queryset = Division.objects.filter(pk=user.division_id)


class PointImportForm(forms.Form):
    file = forms.FileField(label="Excel 文件（.xlsx）")
    partial = forms.BooleanField(label="有错误时仍导入无误的行", required=False)


class StandardForm(forms.Form):
    aspect = forms.ChoiceField(label="测评方面", choices=Aspect.choices)
    code = forms.CharField(label="编号", max_length=30)
    text = forms.CharField(label="标准内容", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    weight = forms.DecimalField(label="分值", max_digits=5, decimal_places=2, min_value=0.01, max_value=100)
    indicator = forms.CharField(label="对应测评指标", max_length=200, required=False)
    severity = forms.ChoiceField(label="问题等级", choices=Severity.choices)
    position = forms.IntegerField(label="顺序", min_value=0, max_value=999, required=False)
    is_active = forms.BooleanField(label="在用", required=False, initial=True)


class RoundForm(forms.Form):
    name = forms.CharField(label="名称", max_length=100)
    start_date = SaneDateField(label="开始日期")
    end_date = SaneDateField(label="结束日期")
    supervisors = forms.ModelMultipleChoiceField(
        label="督导人员",
        required=False,
        queryset=User.objects.filter(is_active=True, role__in=[Role.SUPERVISOR, Role.HEADQUARTERS]),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    categories = forms.ModelMultipleChoiceField(
        label="点位类别", queryset=PointCategory.objects.all(), widget=forms.SelectMultiple(attrs={"size": 8})
    )
    divisions = forms.ModelMultipleChoiceField(
        label="区县（不选为全部）",
        required=False,
        queryset=Division.objects.all(),
        widget=forms.SelectMultiple(attrs={"size": 5}),
    )
    sample_per_group = forms.IntegerField(
        label="每类每区县随机抽取（个）", required=False, min_value=1, max_value=1000, help_text="不填则选取全部点位"
    )


class DispatchForm(forms.Form):
    responsible_unit = forms.ModelChoiceField(label="责任单位", queryset=Unit.objects.order_by("kind", "name"))
    deadline = SaneDateField(label="整改时限", required=False, help_text="不填则按问题等级")
    note = forms.CharField(label="派发说明", required=False, max_length=2000)


class RectifyForm(forms.Form):
    feedback = forms.CharField(label="整改情况", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    photos = MultipleImageField(label="整改后照片")


class RecheckForm(forms.Form):
    decision = forms.ChoiceField(label="复核结果", choices=[("close", "复核通过，销号"), ("return", "退回重新整改")])
    comment = forms.CharField(label="复核意见", required=False, max_length=2000)


class RaiseCardForm(forms.Form):
    deadline = SaneDateField(label="督办卡办结时限", required=False, help_text="不填则自动计算")
    requirement = forms.CharField(
        label="整改要求", required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 2})
    )
