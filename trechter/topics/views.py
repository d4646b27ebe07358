"""The topic explorer: the latest run's topics on a map and in a table, and one topic's page."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from trechter.agenda.models import Theme
from trechter.topics import charts, queries
from trechter.topics.models import Topic

DOCUMENTS_SHOWN = 40
MIN_SHARE = 0.05  # themes below it are left out of the explorer's table (the topic page lists all)


def _label(topic: Topic) -> str:
    """The topic's label in the reader's language, else in the other."""
    if (get_language() or "nl").startswith("en"):
        return topic.label_en or topic.label_nl
    return topic.label_nl or topic.label_en


@require_GET
def explorer(request: HttpRequest) -> HttpResponse:
    """All topics of the latest run (or the cross-theme ones, or those of one theme)."""
    run = queries.latest_run()
    themes = list(Theme.objects.order_by("order"))
    theme = request.GET.get("theme") or None
    if theme and theme not in {t.key for t in themes}:
        theme = None
    cross = request.GET.get("cross") == "1"
    found = queries.topic_list(run, theme=theme, cross_theme_only=cross) if run else []
    labels = {t.key: _label(t) for t in found}
    shares = {
        t.key: [(k, v) for k, v in sorted(t.theme_shares.items(), key=lambda kv: (-kv[1], kv[0])) if v >= MIN_SHARE]
        for t in found
    }
    context = {
        "run": run,
        "themes": themes,
        "theme_names": {t.key: t for t in themes},
        "theme": theme,
        "cross": cross,
        "topics": found,
        "labels": labels,
        "shares": shares,
        "map": charts.topic_map(found, labels, [t.key for t in themes]) if found else None,
    }
    return render(request, "topics/explorer.html", context)


@require_GET
def topic(request: HttpRequest, key: str) -> HttpResponse:
    """One topic of the latest run: its words, themes, documents and organisations."""
    run = queries.latest_run()
    found = run.topics.filter(key=key).first() if run else None
    if found is None:
        raise Http404("no such topic in the latest run")
    show_all = request.GET.get("all") == "1"
    agenda = queries.topic_documents(found, projects=False)
    projects = queries.topic_documents(found, projects=True, limit=None if show_all else DOCUMENTS_SHOWN)
    organisations = queries.topic_organisations(found)
    themes = {t.key: t for t in Theme.objects.all()}
    context = {
        "run": run,
        "topic": found,
        "label": _label(found),
        "shares": [(themes.get(k), k, v) for k, v in sorted(found.theme_shares.items(), key=lambda kv: -kv[1])],
        "agenda_documents": agenda,
        "projects": projects,
        "more": found.project_count - len(projects),
        "dutch": [o for o in organisations if o.side == "NL"],
        "flemish": [o for o in organisations if o.side == "VL"],
        "open_rounds": queries.open_rounds() if request.user.has_perm("assessment.manage_rounds") else [],
    }
    return render(request, "topics/topic.html", context)
