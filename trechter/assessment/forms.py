"""Forms of assessment rounds: a new round, a candidate, an assessor, weights, and one
assessor's scores of one candidate on every criterion and sub-criterion."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.text import Truncator
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from trechter.agenda.models import CrossThemeTopic, Theme
from trechter.assessment.models import ASSESSOR_GROUPS, SCORE_CHOICES, Criterion

CANNOT_JUDGE = ""


class RoundForm(forms.Form):
    key = forms.SlugField(label=_("Key"), max_length=80, help_text=_("letters, digits and hyphens; part of the URL"))
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=300)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)
    description_nl = forms.CharField(
        label=_("Description (Dutch)"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class CandidateForm(forms.Form):
    topic_key = forms.ChoiceField(label=_("Discovered topic"), required=False)
    cross_theme_topic = forms.ModelChoiceField(
        label=_("Cross-theme topic of the agenda"), queryset=CrossThemeTopic.objects.order_by("key"),
        required=False, to_field_name="key",
    )  # fmt: skip
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.order_by("order"), required=False, to_field_name="key"
    )
    title_nl = forms.CharField(label=_("Title (Dutch)"), max_length=300, required=False)
    title_en = forms.CharField(label=_("Title (English)"), max_length=300, required=False)

    def __init__(self, *args: Any, topics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["topic_key"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", "—"), *topics]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = [f for f in ("topic_key", "cross_theme_topic", "theme") if data.get(f)]
        if len(chosen) > 1:
            raise forms.ValidationError(_("Choose one subject: a discovered topic, a cross-theme topic or a theme."))
        if not chosen and not (data.get("title_nl") or "").strip():
            raise forms.ValidationError(_("Choose a topic, a cross-theme topic or a theme, or give a title."))
        return data


class AssessorForm(forms.Form):
    user = forms.ModelChoiceField(
        label=_("User"), queryset=get_user_model().objects.filter(is_active=True).order_by("username"),
        to_field_name="username",
    )  # fmt: skip
    group = forms.ChoiceField(label=_("Stakeholder group"), choices=ASSESSOR_GROUPS)


def short_text(criterion: Criterion, words: int = 8) -> str:
    """The criterion's text in the reader's language, cut to a few words."""
    english = (get_language() or "nl").startswith("en")
    return Truncator((criterion.text_en if english else "") or criterion.text_nl).words(words)


class WeightsForm(forms.Form):
    def __init__(self, *args: Any, criteria: list[Criterion], weights: dict[str, float], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        for criterion in criteria:
            self.fields[criterion.key] = forms.FloatField(
                label=short_text(criterion), min_value=0, max_value=100, initial=weights.get(criterion.key, 1.0)
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.criteria and all(not data.get(c.key) for c in self.criteria if c.key in data):
            raise forms.ValidationError(_("At least one criterion needs a weight above 0."))
        return data


class ScoreForm(forms.Form):
    """A score (0–4 or cannot judge) and an evidence note per criterion and sub-criterion."""

    def __init__(self, *args: Any, criteria: list[Criterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = criteria
        choices = [(CANNOT_JUDGE, _("cannot judge")), *((str(v), label) for v, label in SCORE_CHOICES)]
        for criterion in criteria:
            self.fields[f"score-{criterion.key}"] = forms.ChoiceField(
                label=criterion.key, choices=choices, required=False, widget=forms.RadioSelect
            )
            self.fields[f"note-{criterion.key}"] = forms.CharField(
                label=_("Evidence note"), required=False, max_length=4000,
                widget=forms.Textarea(attrs={"rows": 2}),
            )  # fmt: skip

    def entries(self) -> list[tuple[str, int | None, str]]:
        """(criterion key, value, note) per criterion, from the cleaned data."""
        found = []
        for criterion in self.criteria:
            raw = self.cleaned_data.get(f"score-{criterion.key}") or CANNOT_JUDGE
            value = None if raw == CANNOT_JUDGE else int(raw)
            found.append((criterion.key, value, self.cleaned_data.get(f"note-{criterion.key}") or ""))
        return found
