"""Forms people fill in about proposals: the draft edit form and comments."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trechter import vocabulary
from trechter.actors.models import Organisation
from trechter.agenda.models import Proposal, Theme
from trechter.versions.snapshot import PROPOSAL_FIELDS, THEME_FIELDS


def _unix_newlines(value: Any) -> Any:
    """Browsers send a textarea's line breaks as CRLF; stored texts use LF. Without this an
    untouched summary would count as changed in every draft."""
    return value.replace("\r\n", "\n") if isinstance(value, str) else value


class ProposalForm(forms.ModelForm):  # type: ignore[type-arg]
    """The editable fields of a proposal. Validation includes the model's own rules and
    database constraints (TRL 1–9 and ordered, budgets ordered, planned-start format)."""

    value_chain = forms.MultipleChoiceField(
        label=_("Value-chain stages"),
        choices=vocabulary.VALUE_CHAIN_STAGES,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    # Which draft revision this edit started from (see versions.actions._check_token).
    token = forms.CharField(widget=forms.HiddenInput)
    # Pairs that sit side by side in the two-column layout.
    field_order = [
        "kind",
        "status",
        "title_nl",
        "title_en",
        "summary_nl",
        "summary_en",
        "trl_from",
        "trl_to",
        "value_chain",
        "budget_per_year_min_eur",
        "budget_per_year_max_eur",
        "budget_years",
        "duration_months",
        "budget_total_min_eur",
        "budget_total_max_eur",
        "planned_start",
    ]

    class Meta:
        model = Proposal
        fields = PROPOSAL_FIELDS
        widgets = {
            "summary_nl": forms.Textarea(attrs={"rows": 6}),
            "summary_en": forms.Textarea(attrs={"rows": 6}),
        }

    def clean(self) -> dict[str, Any]:
        """Point the common range mistakes at the field to fix (the model's constraints
        check them again, but only as a message for the whole form)."""
        data = super().clean() or {}
        low, high = data.get("trl_from"), data.get("trl_to")
        if (low is None) != (high is None):
            self.add_error("trl_to" if high is None else "trl_from", _("Give both TRL from and TRL to, or neither."))
        elif low is not None and high is not None and low > high:
            self.add_error("trl_to", _("TRL to must not be lower than TRL from."))
        for low_name, high_name in (
            ("budget_per_year_min_eur", "budget_per_year_max_eur"),
            ("budget_total_min_eur", "budget_total_max_eur"),
        ):
            low, high = data.get(low_name), data.get(high_name)
            if low is not None and high is not None and low > high:
                self.add_error(high_name, _("Must not be lower than the 'from' amount."))
        return data

    def values(self) -> dict[str, Any]:
        """The cleaned values as JSON-ready data, in PROPOSAL_FIELDS order."""
        return {name: _unix_newlines(self.cleaned_data.get(name)) for name in PROPOSAL_FIELDS}


class PartyForm(forms.Form):
    """One party of a proposal. The organisation is typed (with suggestions) as its name,
    an alias or its key; only organisations Trechter knows are accepted."""

    organisation = forms.CharField(label=_("Organisation"), max_length=300, required=False)
    role = forms.ChoiceField(label=_("Role"), choices=vocabulary.PARTY_ROLES, initial="partner")
    note = forms.CharField(label=_("Note"), max_length=500, required=False)

    def clean_organisation(self) -> str:
        """The organisation's key, found by key, name or alias (case-insensitive)."""
        text = self.cleaned_data["organisation"].strip()
        if not text:
            return ""
        found = Organisation.objects.filter(key=text).first()
        if found is None:
            named = list(Organisation.objects.filter(name__iexact=text)[:2]) or list(
                Organisation.objects.filter(aliases__name__iexact=text).distinct()[:2]
            )
            if len(named) > 1:
                raise forms.ValidationError(
                    _("Several organisations are called “%(name)s”; type the key of the one you mean."),
                    params={"name": text},
                )
            found = named[0] if named else None
        if found is None:
            raise forms.ValidationError(
                _("No organisation “%(name)s” is known; pick one from the suggestions, or ask an admin to add it."),
                params={"name": text},
            )
        return found.key


class BasePartyFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def clean(self) -> None:
        """Each organisation once; rows left empty or ticked for removal do not count."""
        if any(self.errors):
            return
        seen: set[str] = set()
        for form in self.forms:
            key = form.cleaned_data.get("organisation")
            if not key or form.cleaned_data.get("DELETE"):
                continue
            if key in seen:
                form.add_error("organisation", _("This organisation is already a party."))
            seen.add(key)

    def values(self) -> list[dict[str, str]]:
        """The parties as a draft keeps them."""
        return [
            {
                "organisation": f.cleaned_data["organisation"],
                "role": f.cleaned_data["role"],
                "note": f.cleaned_data["note"],
            }
            for f in self.forms
            if f.cleaned_data.get("organisation") and not f.cleaned_data.get("DELETE")
        ]


# Three empty rows for new parties; more can be added after saving.
PartyFormSet = forms.formset_factory(PartyForm, formset=BasePartyFormSet, extra=3, can_delete=True, max_num=200)


class ThemeForm(forms.ModelForm):  # type: ignore[type-arg]
    """The texts of a theme a theme lead maintains: its name and aim in both languages."""

    token = forms.CharField(widget=forms.HiddenInput)

    class Meta:
        model = Theme
        fields = THEME_FIELDS
        widgets = {"aim_nl": forms.Textarea(attrs={"rows": 10}), "aim_en": forms.Textarea(attrs={"rows": 10})}

    def values(self) -> dict[str, Any]:
        return {name: _unix_newlines(self.cleaned_data.get(name)) for name in THEME_FIELDS}


class AnswerForm(forms.Form):
    """One answer of a theme to a question of the funnel template, for one TRL band."""

    question = forms.ChoiceField(label=_("Question"))
    band = forms.ChoiceField(label=_("TRL band"), choices=vocabulary.BANDS, initial="all")
    text_nl = forms.CharField(label=_("Answer (Dutch)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000)
    text_en = forms.CharField(
        label=_("Answer (English)"), widget=forms.Textarea(attrs={"rows": 3}), max_length=10000, required=False
    )

    def __init__(self, *args: Any, questions: list[tuple[str, str]], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["question"].choices = questions  # type: ignore[attr-defined]


class BaseAnswerFormSet(forms.BaseFormSet):  # type: ignore[type-arg]
    def values(self) -> list[dict[str, str]]:
        """The answers as a theme draft keeps them, in the order given."""
        kept = [f.cleaned_data for f in self.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]
        return [
            {
                "question": row["question"],
                "band": row["band"],
                "text_nl": _unix_newlines(row["text_nl"]),
                "text_en": _unix_newlines(row["text_en"]),
            }
            for row in kept
        ]


# One empty answer to add; more after saving.
AnswerFormSet = forms.formset_factory(AnswerForm, formset=BaseAnswerFormSet, extra=1, can_delete=True, max_num=500)


class CommentForm(forms.Form):
    text = forms.CharField(label=_("Comment"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))
