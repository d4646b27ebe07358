from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from trechter.actors.models import Organisation
from trechter.fof.models import FOF_SIDES, Application, AwardRound, default_aspects


class ActiveUserField(forms.CharField):
    """A user name, cleaned to the active user of that name."""

    def clean(self, value: Any) -> Any:
        name = super().clean(value)
        user = get_user_model().objects.filter(username=name, is_active=True).first()
        if user is None:
            raise forms.ValidationError(_("No active user with this name."), code="unknown_user")
        return user


class RoundForm(forms.ModelForm):
    """A new round; the aspects as lines "key | Dutch name | English name" (the seed's seven by default)."""

    aspect_lines = forms.CharField(
        label=_("aspects"),
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "false"}),
        max_length=5000,
        help_text=_("One aspect per line: key | Dutch name | English name."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        lines = (f"{a['key']} | {a['name_nl']} | {a['name_en']}" for a in default_aspects())
        self.fields["aspect_lines"].initial = "\n".join(lines)

    def clean_aspect_lines(self) -> list[dict[str, str]]:
        aspects = []
        for number, line in enumerate(self.cleaned_data["aspect_lines"].splitlines(), start=1):
            if not line.strip():
                continue
            parts = [part.strip() for part in line.split("|")]
            if len(parts) != 3 or not all(parts[:2]):
                raise forms.ValidationError(
                    _("Line %(number)s: write key | Dutch name | English name."), params={"number": number}
                )
            aspects.append({"key": parts[0], "name_nl": parts[1], "name_en": parts[2]})
        return aspects

    class Meta:
        model = AwardRound
        fields = [
            "key", "year", "title_nl", "title_en", "opens_on", "closes_on", "announce_on", "scale_min", "scale_max",
            "award_level", "label_years", "reminder_days", "assessors_per_application", "max_spread",
        ]  # fmt: skip
        widgets = {name: forms.DateInput(attrs={"type": "date"}) for name in ("opens_on", "closes_on", "announce_on")}


class JurorForm(forms.Form):
    username = ActiveUserField(label=_("User name"), max_length=150)
    side = forms.ChoiceField(label=_("Side"), choices=FOF_SIDES)
    is_chair = forms.BooleanField(label=_("chair"), required=False)


class AffiliationForm(forms.Form):
    """Link a person to the company they work for: they may apply for it and read its reports."""

    username = ActiveUserField(label=_("User name"), max_length=150)
    organisation = forms.ModelChoiceField(label=_("Company"), queryset=Organisation.objects.none())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            side__in=("NL", "VL"), type__in=("sme", "large_company", "startup")
        ).order_by("name")


class AssignForm(forms.Form):
    application = forms.ModelChoiceField(label=_("Application"), queryset=Application.objects.none())
    assessor = forms.ModelChoiceField(label=_("Assessor"), queryset=get_user_model().objects.none())

    def __init__(self, *args: Any, round_: AwardRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = round_.applications.select_related("organisation")  # type: ignore[attr-defined]
        self.fields["assessor"].queryset = get_user_model().objects.filter(fof_juries__round=round_)  # type: ignore[attr-defined]


class ApplyForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Company"), queryset=Organisation.objects.none())
    motivation = forms.CharField(
        label=_("motivation"), widget=forms.Textarea(attrs={"rows": 5}), max_length=5000, required=False
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(  # type: ignore[attr-defined]
            affiliations__user=user, side__in=("NL", "VL")
        ).order_by("name")


class ScoreForm(forms.Form):
    """A level and a comment for every aspect of the round's method."""

    def __init__(self, *args: Any, round_: AwardRound, names: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        method = round_.method
        choices = [(level, str(level)) for level in method.levels]
        for key in method.keys:
            self.fields[key] = forms.TypedChoiceField(
                label=names[key], choices=choices, coerce=int, widget=forms.RadioSelect, required=False
            )
            self.fields[f"{key}_comment"] = forms.CharField(
                label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), max_length=3000, required=False
            )
        self.keys = method.keys

    def levels(self) -> dict[str, object]:
        return {key: self.cleaned_data.get(key) for key in self.keys}

    def comments(self) -> dict[str, str]:
        return {key: self.cleaned_data.get(f"{key}_comment", "") for key in self.keys}

    def pairs(self) -> list[tuple[forms.BoundField, forms.BoundField]]:
        return [(self[key], self[f"{key}_comment"]) for key in self.keys]


class AgreeForm(forms.Form):
    aspect = forms.CharField(widget=forms.HiddenInput, max_length=60)
    level = forms.TypedChoiceField(label=_("agreed level"), coerce=int, choices=())
    reason = forms.CharField(
        label=_("reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=3000, required=False
    )
    comment = forms.CharField(
        label=_("the jury's comment to the company"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=3000,
        required=False,
    )

    def __init__(self, *args: Any, round_: AwardRound, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["level"].choices = [(level, str(level)) for level in round_.method.levels]  # type: ignore[attr-defined]
