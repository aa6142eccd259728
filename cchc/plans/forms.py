from django import forms

from cchc.units.models import Unit

from .models import Task

ACCEPTED_SUFFIXES = (".txt", ".docx", ".pdf", ".doc", ".rtf")
MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class PlanUploadForm(forms.Form):
    document = forms.FileField(
        label="Văn bản kế hoạch",
        help_text="Tệp Word (.docx, .doc), RTF, PDF có lớp văn bản (.pdf) hoặc văn bản thuần (.txt), tối đa 20 MB.",
    )
    issuer = forms.ModelChoiceField(
        label="Đơn vị ban hành", queryset=Unit.objects.none(), required=False,
        empty_label="Nhận diện từ văn bản",
    )
    year = forms.IntegerField(label="Năm kế hoạch", required=False, min_value=2000, max_value=2100)

    def __init__(self, *args, issuers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["issuer"].queryset = issuers if issuers is not None else Unit.objects.none()

    def clean_document(self):
        document = self.cleaned_data["document"]
        name = document.name.lower()
        if not name.endswith(ACCEPTED_SUFFIXES):
            raise forms.ValidationError(
                f"Tệp “{document.name}” không được hỗ trợ: hãy chọn tệp .docx, .doc, .rtf, .pdf hoặc .txt."
            )
        if document.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(f"Tệp “{document.name}” lớn hơn 20 MB.")
        if name.endswith((".docx", ".pdf")):
            from cchc.core.filetypes import UploadRejected, check_pdf_pages, check_zip_expansion

            try:
                if name.endswith(".pdf"):
                    check_pdf_pages(document, document.name)
                else:
                    check_zip_expansion(document, document.name)
            except UploadRejected as refusal:
                raise forms.ValidationError(str(refusal)) from refusal
        return document


def _lines(text: str) -> list[str]:
    return [line.strip(" -•;") for line in text.splitlines() if line.strip(" -•;")]


class TaskReviewForm(forms.ModelForm):
    """A task as a person corrects it: lists are one item per line."""

    deliverables_text = forms.CharField(label="Sản phẩm (mỗi dòng một sản phẩm)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    lead_text = forms.CharField(label="Cơ quan chủ trì (mỗi dòng một cơ quan)", required=False, widget=forms.Textarea(attrs={"rows": 2}))
    coordinating_text = forms.CharField(label="Cơ quan phối hợp (mỗi dòng một cơ quan)", required=False, widget=forms.Textarea(attrs={"rows": 2}))

    class Meta:
        model = Task
        fields = ["number", "content", "deadline_text", "notes"]
        widgets = {
            "content": forms.Textarea(attrs={"rows": 3}),
            "deadline_text": forms.TextInput(),
            "notes": forms.TextInput(),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        task = self.instance
        self.fields["deliverables_text"].initial = "\n".join(task.deliverables)
        for role in ("lead", "coordinating"):
            self.fields[f"{role}_text"].initial = "\n".join(a.text for a in task.assignments.all() if a.role == role)

    def bodies(self, role: str) -> list[str]:
        return _lines(self.cleaned_data.get(f"{role}_text", ""))

    def deliverables(self) -> list[str]:
        return _lines(self.cleaned_data.get("deliverables_text", ""))
