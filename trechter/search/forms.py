"""The search page's GET parameters: the query, one value per filter, the page number."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from trechter.search.queries import FILTERS, FilterOptions, Filters

MAX_QUERY_LENGTH = 200


class SearchForm(forms.Form):
    """Checks every parameter against the values that exist, so a hand-made URL with an
    unknown theme or status gets a message naming the filter instead of an error page."""

    q = forms.CharField(label=_("Search for"), required=False, max_length=MAX_QUERY_LENGTH)
    page = forms.IntegerField(label=_("Page"), required=False, min_value=1, max_value=10_000)

    def __init__(self, data: Any, *, options: FilterOptions) -> None:
        super().__init__(data)
        for name, label in FILTERS.items():
            self.fields[name] = forms.ChoiceField(
                label=label, required=False, choices=[("", _("All")), *((o.value, o.value) for o in options[name])]
            )

    def query(self) -> str:
        """The query, or "" when it is invalid (the form's error says why)."""
        self.is_valid()
        return str(self.cleaned_data.get("q") or "")

    def filters(self) -> Filters:
        """The valid filter values; an invalid one is reported by the form and left out."""
        self.is_valid()
        values = {name: self.cleaned_data.get(name) or "" for name in FILTERS}
        return Filters(**values, page=self.cleaned_data.get("page") or 1)
