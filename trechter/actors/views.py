"""Organisation, group and meeting pages: the public reference to who is in the agenda."""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from trechter import vocabulary
from trechter.actors import queries
from trechter.actors.models import Group
from trechter.evidence import queries as evidence_queries

ORGANISATIONS_PER_PAGE = 50


class OrganisationFilterForm(forms.Form):
    """Validates the register's GET parameters; a value it refuses is dropped, not an error page."""

    q = forms.CharField(label=_("Name"), required=False, max_length=100, strip=True)
    side = forms.ChoiceField(label=_("Side"), required=False, choices=[("", _("All sides")), *vocabulary.SIDES])
    type = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("All types")), *vocabulary.ORGANISATION_TYPES]
    )

    def filters(self) -> queries.OrganisationFilter:
        self.is_valid()  # fills cleaned_data with the fields that passed
        data = self.cleaned_data
        return queries.OrganisationFilter(side=data.get("side", ""), type=data.get("type", ""), name=data.get("q", ""))


@require_GET
def organisation_list(request: HttpRequest) -> HttpResponse:
    """The organisation register, filterable; htmx asks for the results partial only."""
    form = OrganisationFilterForm(request.GET)
    filters = form.filters()
    page = Paginator(queries.organisations(filters), ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "form": form,
        "filters": filters,
        "page": page,
        "side_facets": queries.facets(filters, "side"),
        "type_facets": queries.facets(filters, "type"),
    }
    template = "actors/organisation_list.html"
    # A history restore asks for the whole page: htmx found nothing in its cache.
    if request.htmx and not request.htmx.history_restore_request:  # type: ignore[attr-defined]
        template += "#results"
    response = render(request, template, context)
    patch_vary_headers(response, ["HX-Request"])  # or the browser's back button may show the partial alone
    return response


@require_GET
def organisation_detail(request: HttpRequest, key: str) -> HttpResponse:
    """One organisation: what it is, and where in the agenda (and at which TRLs) it takes part."""
    profile = queries.organisation_profile(key)
    if profile is None:
        raise Http404
    context = {
        "profile": profile,
        "o": profile.organisation,
        "cordis_links": evidence_queries.agenda_organisation_links(key),
    }
    return render(request, "actors/organisation_detail.html", context)


@require_GET
def group_detail(request: HttpRequest, key: str) -> HttpResponse:
    """A consultation group (the stakeholder group of Bijlage 1 above all): members by side, meetings."""
    group = get_object_or_404(Group, key=key)
    sides = queries.group_members_by_side(group)
    context = {
        "group": group,
        "sides": sides,
        "member_count": sum(len(side.members) for side in sides),
        "meetings": list(queries.meetings(group)),
    }
    return render(request, "actors/group_detail.html", context)


@require_GET
def meeting_list(request: HttpRequest) -> HttpResponse:
    """Every dated meeting of the seed, oldest first, as a timeline."""
    return render(request, "actors/meeting_list.html", {"meetings": list(queries.meetings())})
