from django import forms
from django.core.exceptions import ValidationError

from campaigns.periods import MONTH, parse_period


class BriefingRequestForm(forms.Form):
    """Headquarters asks for (or rebuilds) the briefing of one month."""

    month = forms.CharField(
        label="月份", max_length=7, help_text="如 2022-08：编制该月简报；已有的简报重新生成，期号不变。"
    )

    def clean_month(self):
        try:
            period = parse_period(self.cleaned_data["month"])
        except ValidationError:
            period = None
        if period is None or period.kind != MONTH:
            raise ValidationError("月份格式应为 2022-08（年-月），年份在 2000–2100 之间。", code="invalid_month")
        return period
