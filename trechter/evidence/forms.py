"""The period the evidence pages show: a start-year range from the query string (shareable)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

FIRST_YEAR, LAST_YEAR = 1984, 2100  # FP1 started in 1984
# Framework programmes by the start (else call) year the pages count with.
PRESETS = (("FP7", 2007, 2013), ("H2020", 2014, 2020), ("HORIZON", 2021, 2027))


class PeriodForm(forms.Form):
    start = forms.IntegerField(label=_("From year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    end = forms.IntegerField(label=_("To year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if isinstance(start, int) and isinstance(end, int) and start > end:
            self.add_error("end", _("The last year comes before the first."))
        return data

    def years(self) -> tuple[int, int] | None:
        """The chosen range, None for all years (or when the input is not valid)."""
        if not self.is_valid():
            return None
        start, end = self.cleaned_data.get("start"), self.cleaned_data.get("end")
        if start is None and end is None:
            return None
        return (start or FIRST_YEAR, end or LAST_YEAR)
