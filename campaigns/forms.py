from django import forms
from django.contrib.auth.forms import AuthenticationForm

from campaigns import throttle
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
