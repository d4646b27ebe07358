from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

MAX_PARAGRAPHS = 50
MAX_PARAGRAPH_LENGTH = 3000


class ParagraphsField(forms.CharField):
    """A textarea of paragraphs, one per line; empty lines are dropped."""

    widget = forms.Textarea(attrs={"rows": 14})

    def to_python(self, value: object) -> list[str]:  # type: ignore[override]
        text = super().to_python(value) or ""
        return [" ".join(line.split()) for line in text.splitlines() if line.strip()]

    def validate(self, value: list[str]) -> None:  # type: ignore[override]
        if self.required and not value:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        if len(value) > MAX_PARAGRAPHS:
            raise forms.ValidationError(_("At most %(n)s paragraphs."), code="too_many", params={"n": MAX_PARAGRAPHS})
        for number, paragraph in enumerate(value, start=1):
            if len(paragraph) > MAX_PARAGRAPH_LENGTH:
                raise forms.ValidationError(
                    _("Paragraph %(number)s is longer than %(limit)s characters."),
                    code="too_long",
                    params={"number": number, "limit": MAX_PARAGRAPH_LENGTH},
                )

    def run_validators(self, value: list[str]) -> None:  # type: ignore[override]
        """The length limits are checked per paragraph in validate()."""


class ConclusionsForm(forms.Form):
    conclusions_nl = ParagraphsField(
        label=_("Conclusions (Dutch)"), help_text=_("One paragraph per line."), required=True
    )
    conclusions_en = ParagraphsField(
        label=_("Conclusions (English)"),
        help_text=_("One paragraph per line. Leave empty to show the Dutch text, marked, in English documents."),
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput)
