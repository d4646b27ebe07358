"""Organisations, people and meetings: what the public reference pages show."""

from typing import Any, Literal

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query, Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trechter.actors import queries
from trechter.actors.models import Membership, Person
from trechter.api.auth import READ_AUTH
from trechter.api.common import Mapped, organisation_ref
from trechter.api.schemas import Detail, MeetingItem, OrganisationDetail, OrganisationItem, PersonItem

router = Router(tags=["organisations, people and meetings"])


class OrganisationFilters(Schema):
    side: Literal["NL", "VL", "BE_OTHER", "OTHER"] | None = None
    type: str | None = None
    q: str | None = None


def _organisation(o: Any) -> dict[str, Any]:
    return {
        **{name: getattr(o, name) for name in ("key", "name", "side", "country", "type", "city", "proposal_count")},
        "parent": o.parent.key if o.parent else None,
        "aliases": [alias.name for alias in o.aliases.all()],
    }


@router.get("/organisations", response=list[OrganisationItem], auth=READ_AUTH, summary="The organisation register")
@paginate(LimitOffsetPagination)
def organisation_list(request: HttpRequest, filters: Query[OrganisationFilters]) -> Any:
    """By name; `q` matches a part of the name, an alias or the key."""
    chosen = queries.OrganisationFilter(side=filters.side or "", type=filters.type or "", name=(filters.q or "")[:100])
    return Mapped(queries.organisations(chosen).select_related("parent"), _organisation)


@router.get(
    "/organisations/{key}",
    response={200: OrganisationDetail, 404: Detail},
    auth=READ_AUTH,
    summary="An organisation and where in the agenda it takes part",
)
def organisation_detail(request: HttpRequest, key: str) -> dict[str, Any]:
    found = queries.organisations(queries.OrganisationFilter()).select_related("parent").filter(key=key).first()
    profile = queries.organisation_profile(key)
    if found is None or profile is None:
        raise Http404(f"No organisation '{key}'.")
    return {
        **_organisation(found),
        "note": found.note,
        "source": found.source,
        "units": [unit.key for unit in profile.units],
        "parties": [
            {"proposal": p.proposal.key, "title_nl": p.proposal.title_nl, "theme": p.proposal.theme.key, "role": p.role}
            for p in profile.parties
        ],
        "theme_roles": [
            {"theme": r.theme.key, "note_nl": r.note_nl, "trl_from": r.trl_from, "trl_to": r.trl_to}
            for r in profile.theme_roles
        ],
    }


class PeopleFilters(Schema):
    organisation: str | None = None
    group: str | None = None


def _person(person: Person) -> dict[str, Any]:
    groups = []
    for membership in person.memberships.all():
        _listed_as, role = queries.split_role(membership.role)  # the source's wording stays on the group page
        group = membership.group
        groups.append(
            {"key": group.key, "kind": group.kind, "name_nl": group.name_nl, "name_en": group.name_en, "role": role}
        )
    return {
        "key": person.key,
        "name": person.name,
        "organisation": organisation_ref(person.organisation),
        "function": person.function,
        "groups": groups,
    }


@router.get("/people", response=list[PersonItem], auth=READ_AUTH, summary="People named in the agenda")
@paginate(LimitOffsetPagination)
def person_list(request: HttpRequest, filters: Query[PeopleFilters]) -> Any:
    return Mapped(_people(filters), _person)


def _people(filters: PeopleFilters | None = None) -> QuerySet[Person]:
    found = Person.objects.select_related("organisation").prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("group").order_by("group__key"))
    )
    if filters and filters.organisation:
        found = found.filter(organisation__key=filters.organisation)
    if filters and filters.group:
        found = found.filter(pk__in=Membership.objects.filter(group__key=filters.group).values("person_id"))
    return found.order_by("name", "key")


@router.get("/people/{key}", response={200: PersonItem, 404: Detail}, auth=READ_AUTH, summary="One person")
def person_detail(request: HttpRequest, key: str) -> dict[str, Any]:
    person = _people().filter(key=key).first()
    if person is None:
        raise Http404(f"No person '{key}'.")
    return _person(person)


def _meeting(meeting: Any) -> dict[str, Any]:
    group = meeting.group
    return {
        **{name: getattr(meeting, name) for name in ("key", "held_on", "place", "title_nl", "title_en")},
        "group": {"key": group.key, "kind": group.kind, "name_nl": group.name_nl, "name_en": group.name_en},
        "host": organisation_ref(meeting.host),
        "participant_count": meeting.participant_count,
    }


@router.get("/meetings", response=list[MeetingItem], auth=READ_AUTH, summary="Meetings, oldest first")
@paginate(LimitOffsetPagination)
def meeting_list(request: HttpRequest) -> Any:
    return Mapped(queries.meetings(), _meeting)


@router.get("/meetings/{key}", response={200: MeetingItem, 404: Detail}, auth=READ_AUTH, summary="One meeting")
def meeting_detail(request: HttpRequest, key: str) -> dict[str, Any]:
    meeting = queries.meetings().filter(key=key).first()
    if meeting is None:
        raise Http404(f"No meeting '{key}'.")
    return _meeting(meeting)
