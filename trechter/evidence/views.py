"""Evidence pages: who really works with whom across the border, from EU projects (CORDIS)."""

from __future__ import annotations

import csv
import io
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_POST

from trechter.agenda.models import Theme
from trechter.evidence import actions, charts, queries
from trechter.evidence.forms import PRESETS, PeriodForm
from trechter.evidence.models import EVIDENCE_SIDES, OrganisationLink
from trechter.exchange.cells import neutralise

PROJECTS_PER_PAGE = 50
PARTNERS_SHOWN = 20
ROLE_NAMES = {"research": _("Research"), "industry": _("Industry"), "public": _("Public bodies"), "other": _("Other")}


def _themes() -> list[Theme]:
    return list(Theme.objects.order_by("order"))


def _pictures(evidence: queries.ThemeEvidence, themes: list[Theme]) -> dict[str, object]:
    """The drawings and the labels the evidence templates need."""
    english = get_language() == "en"
    return {
        "drawing": charts.network_drawing(evidence.picture, {k: o.display_name for k, o in evidence.names.items()}),
        "chart": charts.trend_bars(evidence.trend, queries.data_years()),
        "theme_names": {t.key: (t.name_en if english and t.name_en else t.name_nl) for t in themes},
        "role_names": ROLE_NAMES,
        "side_names": dict(EVIDENCE_SIDES),
    }


def _period(request: HttpRequest) -> dict[str, Any]:
    """The period filter from the query string; an invalid one is reported and ignored."""
    form = PeriodForm(request.GET or None)
    years = form.years()
    query = urlencode({"start": years[0], "end": years[1]}) if years else ""
    presets = [(label, start, end, years == (start, end)) for label, start, end in PRESETS]
    return {"period_form": form, "years": years, "period_query": query, "period_presets": presets}


@require_GET
def overview(request: HttpRequest) -> HttpResponse:
    """All themes together: the NL–VL network, import status and a row per theme."""
    themes = _themes()
    period = _period(request)
    evidence = queries.theme_evidence(None, [t.key for t in themes], period["years"])
    summaries = queries.theme_summaries([t.key for t in themes], period["years"])
    per_theme = [(t, summaries[t.key]) for t in themes]
    context = {"evidence": evidence, "themes": themes, "per_theme": per_theme, "totals": queries.totals()}
    return render(request, "evidence/overview.html", context | period | _pictures(evidence, themes))


@require_GET
def theme(request: HttpRequest, key: str) -> HttpResponse:
    """A theme's evidence: network picture, top NL–VL pairs, brokers, trend per year, gaps."""
    themes = _themes()
    chosen = next((t for t in themes if t.key == key), None)
    if chosen is None:
        raise Http404
    period = _period(request)
    evidence = queries.theme_evidence(key, [t.key for t in themes], period["years"])
    context = {"theme": chosen, "themes": themes, "evidence": evidence}
    return render(request, "evidence/theme.html", context | period | _pictures(evidence, themes))


@require_GET
def organisation(request: HttpRequest, org_id: str) -> HttpResponse:
    """An organisation's evidence: its projects, its partners across the border, EU funding."""
    record = queries.cordis_record(org_id)
    if record is None:
        raise Http404
    if record.same_as is not None:  # a hashed FP7 id resolved to a PIC: one page per organisation
        return redirect("evidence-organisation", org_id=record.same_as.org_id)
    evidence = queries.organisation_evidence(record)
    across = request.GET.get("across") == "1"
    projects = (
        [p for p in evidence.projects if p.key in evidence.cross_border_projects] if across else evidence.projects
    )
    page = Paginator(projects, PROJECTS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "evidence": evidence,
        "o": evidence.organisation,
        "page": page,
        "across": across,
        "shown_partners": evidence.partners[:PARTNERS_SHOWN],
        "more_partners": evidence.partners[PARTNERS_SHOWN:],
        "funding_chart": charts.year_bars(
            {year: None if money is None else money / 1e6 for year, money in evidence.funding_by_year.items()}
        ),
    }
    return render(request, "evidence/organisation.html", context)


@require_GET
def pairs_csv(request: HttpRequest) -> HttpResponse:
    """Every NL–VL pair of a theme (`theme`, all when absent) in the chosen period, as CSV
    (UTF-8 with BOM for spreadsheets; cells that could run as formulas neutralised)."""
    theme_key = request.GET.get("theme") or None
    if theme_key is not None and not Theme.objects.filter(key=theme_key).exists():
        raise Http404
    years = PeriodForm(request.GET or None).years()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(queries.PAIR_COLUMNS)
    for row in queries.all_pairs(theme_key, years):
        writer.writerow([neutralise(value) if isinstance(value, str) else value for value in row])
    span = f"-{years[0]}-{years[1]}" if years else ""
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="nl-vl-pairs-{theme_key or "all"}{span}.csv"'
    return response


@login_required
@require_GET
def links(request: HttpRequest) -> HttpResponse:
    """The review queue: uncertain matches between agenda organisations and CORDIS records."""
    if not request.user.has_perm("evidence.review_links"):
        raise PermissionDenied
    queue = queries.review_queue()
    for link in queue:
        link.reason_texts = [_reason(text) for text in link.reasons]  # type: ignore[attr-defined]
    return render(request, "evidence/links.html", {"queue": queue, "decided": queries.decided_links()})


# The matcher (analytics/names.py) states its reasons in English; shown in the reader's language.
REASONS = {
    "same name": _("same name"),
    "same short name": _("same short name"),
    "same acronym": _("same acronym"),
    "similar name": _("similar name"),
    "same city": _("same city"),
    "other city": _("other city"),
    "duplicate of": _("duplicate of"),
}


def _reason(text: str) -> str:
    for prefix in sorted(REASONS, key=len, reverse=True):
        if text.startswith(prefix + " "):
            return f"{REASONS[prefix]} {text[len(prefix) + 1 :]}"
    return text


@login_required
@require_POST
def decide_link(request: HttpRequest, pk: int) -> HttpResponse:
    """Confirm or reject one link."""
    if not request.user.has_perm("evidence.review_links"):
        raise PermissionDenied
    link = get_object_or_404(OrganisationLink, pk=pk)
    decision = request.POST.get("decision", "")
    if decision not in ("confirm", "reject"):
        return HttpResponse(status=400)
    actions.decide_link(link=link, confirm=decision == "confirm", by=request.user)  # type: ignore[arg-type]
    return redirect("evidence-links")
