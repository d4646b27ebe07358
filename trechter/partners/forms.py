"""What a visitor asks the partner finder: a proposal or free text, and what the partners must be."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trechter.actors.models import Organisation
from trechter.agenda.models import Proposal, Theme

WANTED_SIDES = {
    "VL": ("VL",),
    "BE": ("VL", "BRU", "WAL", "BE"),
    "NL": ("NL",),
    "both": ("NL", "VL", "BRU", "WAL", "BE"),
}
ROLE_TYPES = {"company": ("PRC",), "knowledge": ("HES", "REC"), "public": ("PUB",)}


class PartnerSearchForm(forms.Form):
    proposal = forms.ModelChoiceField(
        label=_("Proposal"),
        queryset=Proposal.objects.order_by("theme__order", "key"),
        required=False,
        to_field_name="key",
        help_text=_("Its text, theme, TRL range and parties fill in what you leave empty."),
    )
    text = forms.CharField(
        label=_("Describe the project (Dutch or English)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        max_length=5000,
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=Theme.objects.order_by("order"), required=False, to_field_name="key"
    )
    trl_from = forms.IntegerField(label=_("TRL from"), required=False, min_value=1, max_value=9)
    trl_to = forms.IntegerField(label=_("TRL to"), required=False, min_value=1, max_value=9)
    side = forms.ChoiceField(
        label=_("Partners from"),
        choices=[
            ("VL", _("Flanders")),
            ("BE", _("Belgium (all regions)")),
            ("NL", _("the Netherlands")),
            ("both", _("both sides of the border")),
        ],
        initial="VL",
    )
    roles = forms.MultipleChoiceField(
        label=_("Kinds of organisation"),
        choices=[
            ("company", _("Companies")),
            ("knowledge", _("Universities and research organisations")),
            ("public", _("Public bodies")),
        ],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text=_("None ticked: every kind."),
    )
    partners = forms.ModelMultipleChoiceField(
        label=_("Partners on board"),
        queryset=Organisation.objects.filter(cordis_links__status__in=("accepted", "confirmed"))
        .distinct()
        .order_by("name"),
        to_field_name="key",
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Agenda organisations with a record in the EU project data."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not any(data.get(name) for name in ("proposal", "text", "theme", "partners")):
            raise forms.ValidationError(_("Choose a proposal, describe the project, pick a theme or name a partner."))
        low, high = data.get("trl_from"), data.get("trl_to")
        if low is not None and high is not None and low > high:
            self.add_error("trl_to", _("The highest TRL is below the lowest."))
        return data


class ConsortiumForm(PartnerSearchForm):
    """The partner search plus the call's demands on the team."""

    size_min = forms.IntegerField(label=_("At least (partners)"), required=False, min_value=1, max_value=20)
    size_max = forms.IntegerField(label=_("At most (partners)"), required=False, min_value=1, max_value=20)
    dutch_min = forms.IntegerField(label=_("Dutch partners, at least"), required=False, min_value=0, max_value=10)
    flemish_min = forms.IntegerField(label=_("Flemish partners, at least"), required=False, min_value=0, max_value=10)
    need_company = forms.BooleanField(label=_("A company"), required=False)
    need_knowledge = forms.BooleanField(label=_("A university or research organisation"), required=False)
    need_public = forms.BooleanField(label=_("A public body"), required=False)
    alternatives = forms.IntegerField(label=_("Teams to show"), required=False, min_value=1, max_value=5)

    DEFAULTS = {"size_min": 3, "size_max": 6, "dutch_min": 1, "flemish_min": 1, "alternatives": 3}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("side", "roles"):
            del self.fields[name]
        self.fields["trl_from"].label = _("TRL range to cover, from")
        self.fields["trl_to"].label = _("to")
        for name, value in self.DEFAULTS.items():
            self.fields[name].widget.attrs["placeholder"] = str(value)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        for name, value in self.DEFAULTS.items():
            if data.get(name) is None:
                data[name] = value
        if data["size_min"] > data["size_max"]:
            self.add_error("size_max", _("The largest team is smaller than the smallest."))
        return data
