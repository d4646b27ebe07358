"""Reference pages of the agenda document: the overview table (section 2.1) and the TRL
levels (Bijlage 2) with the funding instruments at each level."""

from __future__ import annotations

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from trechter.agenda import queries


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """The cross-theme overview table of section 2.1 on a page of its own, to cite and print."""
    return render(request, "agenda/overview.html", {"rows": queries.overview_table()})


@require_GET
def trl_annex(request: HttpRequest) -> HttpResponse:
    """Bijlage 2's nine TRLs in the funnel model's three bands, with the instruments at each level."""
    levels, unranged = queries.trl_levels_with_instruments()
    bands = [(band, [level for level in levels if band.low <= level.level.level <= band.high]) for band in BANDS]
    context = {"bands": bands, "level_count": len(levels), "unranged_count": unranged}
    return render(request, "agenda/trl_annex.html", context)


@dataclass(frozen=True)
class Band:
    low: int
    high: int
    expectation: Promise  # what section 1.2 expects of a theme's agenda in this band


# Section 1.2, "vanuit de laatstgenoemde vraagstelling (het budgettaire gegeven)": the
# build-up every theme's agenda follows; Interreg's band is the middle one.
BANDS = [
    Band(1, 3, _("clear potential and concrete intentions to cooperate")),
    Band(4, 6, _("concrete cooperation projects")),
    Band(7, 9, _("clear potential and concrete intentions to cooperate")),
]
