from __future__ import annotations

import json
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trechter.analytics import eligibility

MAX_RULES_LENGTH = 20_000


class RulesForm(forms.Form):
    """An instrument's rules as JSON (a list of rules, see the reference on the page) and where
    they come from. The rules are parsed and checked here; an error names the rule's field."""

    rules = forms.CharField(
        label=_("Eligibility rules (JSON)"),
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "code"}),
        max_length=MAX_RULES_LENGTH,
        required=False,
        help_text=_("A list of rules, one object per rule with its kind; an empty list [] removes every rule."),
    )
    rules_note = forms.CharField(
        label=_("Where the rules come from"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=3000,
        required=False,
    )
    token = forms.CharField(widget=forms.HiddenInput)

    def clean_rules(self) -> list[dict[str, Any]]:
        text = self.cleaned_data["rules"].strip() or "[]"
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise forms.ValidationError(
                _("Not valid JSON (line %(line)s, column %(column)s): %(message)s"),
                code="json",
                params={"line": error.lineno, "column": error.colno, "message": error.msg},
            ) from None
        except RecursionError:  # "[[[[…" nested thousands deep: no rule list, whatever is inside
            raise forms.ValidationError(_("The JSON is nested too deeply."), code="json_depth") from None
        try:
            return eligibility.parse_rules(data)
        except eligibility.RuleError as error:
            raise forms.ValidationError(
                "%(field)s: %(message)s", code="rule", params={"field": error.field, "message": error.message}
            ) from None
