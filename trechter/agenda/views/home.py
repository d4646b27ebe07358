from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trechter.agenda import queries
from trechter.agenda.models import Agenda
from trechter.versions.queries import latest_published


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The agenda at a glance: its version, its themes and the overview table of section 2.1."""
    agenda = Agenda.objects.order_by("-presented_on").first()
    context = {
        "agenda": agenda,
        "version": latest_published(agenda) if agenda else None,
        "themes": queries.theme_cards(agenda) if agenda else [],
        "rows": queries.overview_table(),
        "counts": queries.headline_counts(),
    }
    return render(request, "agenda/home.html", context)


@require_GET
def health(request: HttpRequest) -> JsonResponse:
    """Liveness for deployments: the database answers."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
