from django import forms
from django.contrib.auth.forms import AuthenticationForm

from campaigns import throttle
from campaigns.choices import Role
from campaigns.models import Task, Unit
from campaigns.validators import SaneDateField


class ThrottledLoginForm(AuthenticationForm):
    """Django's login form, refusing a (username, address) pair that has failed too often lately."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "用户名或密码错误。",
        "locked": "登录失败次数过多，请 15 分钟后再试。",
    }

    def clean(self):
        username = self.cleaned_data.get("username") or ""
        address = throttle.client_address(self.request)
        if throttle.is_locked(username, address):
            raise forms.ValidationError(self.error_messages["locked"], code="locked")
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            throttle.record_failure(username, address)
            raise
        throttle.clear(username, address)
        return cleaned


class TaskForm(forms.ModelForm):
    """Headquarters' form for a task; officers get :class:`TaskProgressForm`. No status: it follows the figures, and
    headquarters closes or reopens a task with the task page's buttons."""

    class Meta:
        model = Task
        fields = [
            "title",
            "description",
            "action",
            "activity",
            "lead_unit",
            "co_units",
            "owner",
            "deadline",
            "target",
            "done",
            "measure",
        ]
        field_classes = {"deadline": SaneDateField}
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = Unit.objects.select_related("division")
        self.fields["co_units"].queryset = Unit.objects.all()
        self.fields["co_units"].widget.attrs["size"] = 6


class TaskProgressForm(forms.Form):
    """An officer's progress: the figure and a note. The status follows the figure (campaigns.workflows)."""

    done = forms.DecimalField(label="完成值", min_value=0, max_digits=12, decimal_places=2, required=False)
    description = forms.CharField(label="进展说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)


# --- headquarters' set-up pages (campaigns/setup_views.py): forms validate input; services write ---------------------


class UnitForm(forms.ModelForm):
    class Meta:
        model = Unit
        fields = ["name", "short_name", "kind", "division", "parent", "leader_name", "leader_title", "phone"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = Unit.objects.select_related("division")
        self.fields["division"].empty_label = "市级（不属区县）"


class PersonForm(forms.Form):
    """Editing a person: their name, role, unit and contacts. Accounts are switched off, never deleted."""

    display_name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=Role.choices)
    unit = forms.ModelChoiceField(label="所属单位", queryset=Unit.objects.all(), required=False)
    title = forms.CharField(label="职务", max_length=50, required=False)
    phone = forms.CharField(label="手机", max_length=20, required=False)
    email = forms.EmailField(label="电子邮箱", required=False, help_text="通知邮件发往此地址")


class PersonInviteForm(PersonForm):
    """Opening an account: a username and a first password that headquarters passes on (邀请：设定初始密码)."""

    username = forms.CharField(label="用户名", max_length=150, help_text="登录用，字母、数字或 @.+-_")
    password = forms.CharField(label="初始密码", widget=forms.PasswordInput(render_value=False), strip=False)

    field_order = ["username", "password", "display_name", "role", "unit", "title", "phone", "email"]


class PlanPhaseForm(forms.Form):
    goal = forms.CharField(label="年度目标", max_length=100)
    programme = forms.CharField(label="年度工作方案", max_length=200, required=False)


class LeadUnitForm(forms.Form):
    lead_unit = forms.ModelChoiceField(label="牵头单位", queryset=Unit.objects.all(), required=False)


class WorkdayExceptionForm(forms.Form):
    day = SaneDateField(label="日期")
    is_working_day = forms.TypedChoiceField(
        label="当日",
        choices=[("1", "上班（本地调休上班）"), ("0", "休息（本地放假）")],
        coerce=lambda value: value == "1",
    )
    reason = forms.CharField(label="事由", max_length=100)


class ScheduleForm(forms.Form):
    enabled = forms.BooleanField(label="启用", required=False)
    minute = forms.CharField(label="分", max_length=60)
    hour = forms.CharField(label="时", max_length=60)
    day_of_week = forms.CharField(label="星期（0=周日）", max_length=64)
    day_of_month = forms.CharField(label="日", max_length=124)
    month_of_year = forms.CharField(label="月", max_length=64)
