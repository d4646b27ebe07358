"""Downloads of the published agenda: the Data page, JSON (+ JSON Schema), XLSX, CSV per
sheet, and a theme lead's pre-filled template. Public exports hold published content only."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from trechter.agenda.models import Theme
from trechter.exchange import export, sheets

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _download(content: bytes, content_type: str, filename: str, *, inline: bool = False) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'{"inline" if inline else "attachment"}; filename="{filename}"'
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """What can be downloaded, in which format, and the theme templates this user may fill in."""
    themes = [t for t in Theme.objects.order_by("order") if request.user.has_perm("agenda.edit_theme", t)]
    context = {
        "sheets": sheets.SHEETS,
        "template_sheets": [s.name for s in sheets.TEMPLATE_SHEETS],
        "editable_themes": themes,
    }
    return render(request, "exchange/data.html", context)


@require_safe
def agenda_json(request: HttpRequest) -> HttpResponse:
    body = export.document_bytes(export.agenda_document())
    return _download(body, "application/json", f"trechter-agenda-{export.export_date()}.json")


@require_safe
def agenda_schema(request: HttpRequest) -> HttpResponse:
    return _download(export.schema_bytes(), "application/schema+json", "agenda.schema.json", inline=True)


@require_safe
def agenda_xlsx(request: HttpRequest) -> HttpResponse:
    return _download(export.workbook_bytes(), XLSX, f"trechter-agenda-{export.export_date()}.xlsx")


@require_safe
def sheet_csv(request: HttpRequest, name: str) -> HttpResponse:
    sheet = sheets.BY_NAME.get(name)
    if sheet is None:
        raise Http404(_("There is no sheet of that name."))
    return _download(export.csv_bytes(sheet), "text/csv; charset=utf-8", f"trechter-{name}-{export.export_date()}.csv")


@login_required
@require_safe
def theme_template(request: HttpRequest, key: str) -> HttpResponse:
    """The theme's sheets pre-filled with its published rows, for its lead to edit and import."""
    theme = get_object_or_404(Theme, key=key)
    if not request.user.has_perm("agenda.edit_theme", theme):
        raise PermissionDenied(_("Only this theme's lead and the core group download its template."))
    filename = f"trechter-template-{theme.key}-{export.export_date()}.xlsx"
    return _download(export.workbook_bytes(theme=theme), XLSX, filename)
