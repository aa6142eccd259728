from django import forms

from cchc.plans.models import Milestone

from .models import ProgressUpdate

MAX_EVIDENCE_BYTES = 20 * 1024 * 1024


class ProgressUpdateForm(forms.ModelForm):
    """An update with at most one evidence item; more evidence is more updates, or the API."""

    evidence_reference = forms.CharField(
        label="Văn bản kiểm chứng", required=False, max_length=300,
        widget=forms.TextInput(attrs={"placeholder": "Quyết định số 1810/QĐ-UBND ngày 06/5/2024"}),
    )
    evidence_title = forms.CharField(label="Trích yếu", required=False, max_length=500)
    evidence_file = forms.FileField(label="Tệp đính kèm", required=False, help_text="PDF, Word, Excel hoặc ảnh, tối đa 20 MB.")
    evidence_link = forms.URLField(label="hoặc đường dẫn", required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = ProgressUpdate
        fields = ["state", "percent", "milestone", "period_key", "completed_on", "narrative"]
        widgets = {
            "narrative": forms.Textarea(attrs={"rows": 3}),
            "completed_on": forms.DateInput(attrs={"placeholder": "dd/mm/yyyy"}),
            "period_key": forms.TextInput(attrs={"placeholder": "2026-Q1"}),
        }

    def __init__(self, *args, obligation, **kwargs):
        super().__init__(*args, **kwargs)
        self.obligation = obligation
        self.fields["milestone"].queryset = Milestone.objects.filter(task_id=obligation.task_id)
        self.fields["milestone"].empty_label = "Cả nhiệm vụ"
        self.fields["completed_on"].localize = True

    def clean(self):
        data = super().clean()
        if data.get("state") == ProgressUpdate.State.DONE and data.get("percent") not in (None, 100):
            self.add_error("percent", "Đã hoàn thành thì tiến độ phải là 100%.")
        upload = data.get("evidence_file")
        if upload is not None:
            from cchc.core.filetypes import UploadRejected, check_upload

            try:
                data["evidence_kind"] = check_upload(upload, upload.name, max_bytes=MAX_EVIDENCE_BYTES)
            except UploadRejected as rejected:
                self.add_error("evidence_file", str(rejected))
        return data

    def has_evidence(self) -> bool:
        data = self.cleaned_data
        return any(data.get(name) for name in ("evidence_reference", "evidence_title", "evidence_file", "evidence_link"))
