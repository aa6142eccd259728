from django import forms

from cchc.units.models import Unit, UnitKind

from .models import FormSetVersion, ReportingPeriod


class PeriodForm(forms.ModelForm):
    """Open a period (coordinator): dates default to the Ministry's calendar when left blank."""

    class Meta:
        model = ReportingPeriod
        fields = ["province", "kind", "year", "title", "start", "end", "due", "form_set", "status"]
        widgets = {
            "start": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "end": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "due": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
        }

    def __init__(self, *args, provinces=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = Unit.objects.filter(kind=UnitKind.PROVINCE, pk__in=provinces or [])
        self.fields["form_set"].queryset = FormSetVersion.objects.all()
        for name in ("start", "end", "due"):
            self.fields[name].required = False
            self.fields[name].help_text = "Để trống: theo lịch báo cáo của Bộ Nội vụ."
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        kind = data.get("kind")
        if kind == ReportingPeriod.Kind.ADHOC:
            missing = [n for n in ("start", "end", "due") if not data.get(n)]
            if missing:
                raise forms.ValidationError("Báo cáo đột xuất cần ghi rõ ngày bắt đầu, ngày kết thúc và hạn gửi.")
            if not data.get("title"):
                self.add_error("title", "Báo cáo đột xuất cần có tên kỳ báo cáo.")
        start, end, due = data.get("start"), data.get("end"), data.get("due")
        if start and end and start > end:
            self.add_error("end", "Ngày kết thúc phải sau ngày bắt đầu.")
        if end and due and due < end:
            self.add_error("due", "Hạn gửi báo cáo không được trước ngày chốt số liệu.")
        province, year = data.get("province"), data.get("year")
        if kind and kind != ReportingPeriod.Kind.ADHOC and province and year:
            clash = ReportingPeriod.objects.filter(province=province, kind=kind, year=year).exclude(pk=self.instance.pk)
            if clash.exists():
                raise forms.ValidationError(
                    f"Đã có kỳ báo cáo {dict(ReportingPeriod.Kind.choices)[kind].lower()} năm {year} của {province}."
                )
        return data


class ReturnForm(forms.Form):
    reason = forms.CharField(label="Lý do trả lại", widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


class AcknowledgeForm(forms.Form):
    rule = forms.CharField(widget=forms.HiddenInput)
    comment = forms.CharField(label="Giải trình", widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}))


class ImportForm(forms.Form):
    file = forms.FileField(label="Tệp biểu mẫu đã điền (.xlsx, .docx)")


class ReportImportForm(forms.Form):
    file = forms.FileField(label="Báo cáo đã ban hành (.docx, .pdf, .doc)")
