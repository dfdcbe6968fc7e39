from django import forms

from campaigns.models import Division, Task, Unit, User
from taskforces.models import ReminderCard, ReportCalendar

TEXTAREA = {"rows": 3}


class ReminderCardForm(forms.ModelForm):
    """Headquarters issues a card; the guidance lists are one item per line. Saving goes through reminder_card_issue."""

    class Meta:
        model = ReminderCard
        fields = [
            "title",
            "recipient_unit",
            "recipient_leader",
            "supervision_items",
            "portfolio",
            "tasks",
            "department_duties",
            "points",
            "outstanding_problems",
            "hidden_risks",
        ]
        widgets = {name: forms.Textarea(attrs=TEXTAREA) for name in ReminderCard.GUIDANCE_LISTS}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "recipient_unit" in self.fields:
            self.fields["recipient_unit"].queryset = Unit.objects.select_related("division")
            self.fields["recipient_leader"].queryset = User.objects.filter(role="leader", is_active=True)
        self.fields["tasks"].queryset = Task.objects.select_related("action").order_by("action__no", "id")
        self.fields["tasks"].widget.attrs["size"] = 8
        self.fields["tasks"].label_from_instance = lambda task: f"{task.action.no}. {task.title}"

    def clean(self):
        cleaned = super().clean()
        if "recipient_unit" not in self.fields:
            return cleaned
        if not cleaned.get("recipient_unit") and not cleaned.get("recipient_leader"):
            raise forms.ValidationError("请至少指定责任单位或市领导之一。")
        return cleaned


class ReminderCardEditForm(ReminderCardForm):
    """Revising an issued card: everything but its holders, who keep the report slots they were given."""

    class Meta(ReminderCardForm.Meta):
        fields = [name for name in ReminderCardForm.Meta.fields if name not in ("recipient_unit", "recipient_leader")]


class ReportForm(forms.Form):
    summary = forms.CharField(label="工作完成情况", widget=forms.Textarea(attrs={"rows": 5}), required=False)
    problems = forms.CharField(label="存在问题", widget=forms.Textarea(attrs=TEXTAREA), required=False)
    next_plan = forms.CharField(label="下步计划", widget=forms.Textarea(attrs=TEXTAREA), required=False)

    def __init__(self, *args, tasks=(), figures=(), **kwargs):
        super().__init__(*args, **kwargs)
        values = {row.get("task"): row for row in figures or []}
        self.task_fields = []
        for task in tasks:
            name = f"task_{task.pk}"
            measure = f"（{task.measure}）" if task.measure else ""
            self.fields[name] = forms.FloatField(
                label=f"{task.title}{measure} 本期完成",
                required=False,
                min_value=0,
                initial=values.get(task.pk, {}).get("value"),
            )
            self.task_fields.append((task, name))

    def report_fields(self) -> dict:
        data = {key: self.cleaned_data[key] for key in ("summary", "problems", "next_plan")}
        data["figures"] = [
            {"task": task.pk, "value": self.cleaned_data[name], "note": ""}
            for task, name in self.task_fields
            if self.cleaned_data.get(name) is not None
        ]
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label="退回理由", widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class AttachmentForm(forms.Form):
    file = forms.FileField(label="附件")


# --- 创城设置: the task forces and the report calendar ---------------------------------------------------------------


class TaskForceForm(forms.Form):
    field = forms.CharField(label="负责领域", widget=forms.Textarea(attrs=TEXTAREA), required=False, max_length=2000)
    leader = forms.ModelChoiceField(label="专班负责人", queryset=User.objects.filter(is_active=True), required=False)
    members = forms.ModelMultipleChoiceField(
        label="成员",
        queryset=User.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    liaison_divisions = forms.ModelMultipleChoiceField(
        label="对接区县", queryset=Division.objects.all(), required=False, widget=forms.CheckboxSelectMultiple
    )


class TaskForceGroupForm(forms.Form):
    name = forms.CharField(label="小组名称", max_length=100)
    responsibility = forms.CharField(
        label="职责", widget=forms.Textarea(attrs=TEXTAREA), required=False, max_length=2000
    )
    leader = forms.ModelChoiceField(label="组长", queryset=User.objects.filter(is_active=True), required=False)
    members = forms.ModelMultipleChoiceField(
        label="成员",
        queryset=User.objects.filter(is_active=True),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )


class ReportCalendarForm(forms.ModelForm):
    class Meta:
        model = ReportCalendar
        fields = ["weekly_due_time", "monthly_due_day", "monthly_due_time", "monthly_remind_days_before"]
        labels = {"monthly_remind_days_before": "月报提前提醒工作日数"}
        widgets = {
            "weekly_due_time": forms.TimeInput(attrs={"type": "time", "step": 1}),
            "monthly_due_time": forms.TimeInput(attrs={"type": "time", "step": 1}),
        }
