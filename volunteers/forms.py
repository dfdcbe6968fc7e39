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
