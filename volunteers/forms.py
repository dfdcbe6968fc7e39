from django import forms


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="表格类型", choices=[("roster", "志愿者花名册"), ("hours", "服务时长表")], initial="roster"
    )
    file = forms.FileField(label="Excel 文件（.xlsx）")
    partial = forms.BooleanField(label="有错误时只导入正确的行", required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".xlsx"):
            raise forms.ValidationError("请上传 .xlsx 格式的 Excel 文件。")
        if upload.size > 20 * 1024 * 1024:
            raise forms.ValidationError("文件不能超过 20 MB。")
        return upload


class RejectForm(forms.Form):
    reason = forms.CharField(label="驳回原因", max_length=200, required=False)


class StarThresholdsForm(forms.Form):
    """Hours for one to five stars (headquarters)."""

    star_1 = forms.IntegerField(label="一星（小时）", min_value=1, max_value=100000)
    star_2 = forms.IntegerField(label="二星（小时）", min_value=1, max_value=100000)
    star_3 = forms.IntegerField(label="三星（小时）", min_value=1, max_value=100000)
    star_4 = forms.IntegerField(label="四星（小时）", min_value=1, max_value=100000)
    star_5 = forms.IntegerField(label="五星（小时）", min_value=1, max_value=100000)

    def thresholds(self) -> dict[int, int]:
        return {star: self.cleaned_data[f"star_{star}"] for star in range(1, 6)}
