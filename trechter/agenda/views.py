from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from trechter.agenda import queries
from trechter.agenda.models import Agenda


@require_GET
def home(request: HttpRequest) -> HttpResponse:
    """The agenda at a glance: its themes and the overview table of section 2.1."""
    context = {
        "agenda": Agenda.objects.order_by("-presented_on").first(),
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
