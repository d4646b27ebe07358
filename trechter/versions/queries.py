"""Reads for the review workflow: drafts, histories, version diffs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db.models import Q, QuerySet

from trechter import vocabulary
from trechter.actors.models import Organisation
from trechter.agenda.models import Agenda, Party, Proposal, Theme
from trechter.analytics.diff import FieldChange, RecordsDiff, diff_fields, diff_records
from trechter.versions.models import Draft, ThemeDraft, Version
from trechter.versions.snapshot import PROPOSAL_FIELDS, THEME_FIELDS, flat_answers


@dataclass(frozen=True)
class HistoryEntry:
    at: datetime
    who: str
    what: str  # "created", "changed", "removed", "draft"
    reason: str
    changes: tuple[FieldChange, ...]


def latest_published(agenda: Agenda | None = None) -> Version | None:
    versions = Version.objects.published().select_related("published_by")
    if agenda is not None:
        versions = versions.filter(agenda=agenda)
    return versions.order_by("-number").first()


def theme_draft_changes(draft: ThemeDraft) -> tuple[FieldChange, ...]:
    """What a theme draft would change, field by field and answer by answer."""
    base_answers = draft.base.get("answers", [])
    old = {**{name: draft.base.get(name) for name in THEME_FIELDS}, **flat_answers(base_answers)}
    new = {
        **{name: draft.data.get(name) for name in THEME_FIELDS},
        **flat_answers(draft.data.get("answers", base_answers)),
    }
    return diff_fields(old, new)


def open_theme_draft(theme: Theme) -> ThemeDraft | None:
    """The draft of `theme`'s texts in the open version, if any."""
    return (
        ThemeDraft.objects.select_related("version", "updated_by")
        .filter(theme=theme, version__status__in=("draft", "review"))
        .first()
    )


def open_drafts(agenda: Agenda) -> QuerySet[Draft]:
    return Draft.objects.filter(version__agenda=agenda, version__status__in=("draft", "review")).select_related(
        "version", "theme", "created_by", "updated_by"
    )


def organisation_names(drafts: list[Draft]) -> dict[str, str]:
    """Organisation key → name for every party named in `drafts` (one query)."""
    keys = {
        party["organisation"]
        for draft in drafts
        for values in (draft.data, draft.base)
        for party in values.get("parties", [])
    }
    return dict(Organisation.objects.filter(key__in=keys).values_list("key", "name"))


def _parties_label(parties: list[dict[str, str]], names: dict[str, str]) -> str:
    roles = dict(vocabulary.PARTY_ROLES)
    return "; ".join(
        f"{names.get(p['organisation'], p['organisation'])} ({roles.get(p['role'], p['role'])})" for p in parties
    )


def drafts_of(user: Any) -> list[Draft]:
    """Open drafts this user started or last saved, newest first."""
    return list(
        Draft.objects.filter(version__status__in=("draft", "review"))
        .filter(Q(created_by=user) | Q(updated_by=user))
        .select_related("version", "theme", "updated_by")
        .order_by("-updated_at")
    )


def draft_changes(draft: Draft, names: dict[str, str] | None = None) -> tuple[FieldChange, ...]:
    """What the draft would change on the public page, field by field; parties as one line
    of names. Give `names` (organisation_names) when listing many drafts."""
    if draft.operation == "remove":
        return ()
    old = {name: draft.base.get(name) for name in PROPOSAL_FIELDS}
    new = {name: draft.data.get(name) for name in PROPOSAL_FIELDS}
    if "parties" in draft.data and draft.data["parties"] != draft.base.get("parties", []):
        names = organisation_names([draft]) if names is None else names
        old["parties"] = _parties_label(draft.base.get("parties", []), names)
        new["parties"] = _parties_label(draft.data["parties"], names)
    return diff_fields(old, new)


def _user(record: Any) -> str:
    return record.history_user.get_username() if record.history_user else ""


def _record_entries(records: Any, fields: tuple[str, ...]) -> list[HistoryEntry]:
    """History entries from one object's records, each with its changes against the one before.

    One query: diffs are computed here between consecutive records, not one query each."""
    entries: list[HistoryEntry] = []
    previous: dict[str, Any] = {}
    for record in records.select_related("history_user").order_by("history_date", "history_id"):
        values = {name: getattr(record, name) for name in fields}
        what = {"+": "created", "~": "changed", "-": "removed"}[record.history_type]
        changes = diff_fields(previous, values) if what == "changed" else ()
        entries.append(
            HistoryEntry(record.history_date, _user(record), what, record.history_change_reason or "", changes)
        )
        previous = values
    return entries


def _draft_entries(records: Any) -> list[HistoryEntry]:
    return [
        HistoryEntry(
            at=record.history_date,
            who=_user(record),
            what="draft-deleted" if record.history_type == "-" else f"draft-{getattr(record, 'operation', 'change')}",
            reason=f"r{record.revision}",
            changes=(),
        )
        for record in records.select_related("history_user").order_by("history_date")
    ]


def proposal_history(key: str, proposal: Proposal | None) -> list[HistoryEntry]:
    """Published changes of the proposal and its parties, and draft saves, newest first."""
    entries: list[HistoryEntry] = []
    if proposal is not None:
        entries += _record_entries(proposal.history.all(), PROPOSAL_FIELDS)
        parties = list(
            Party.history.filter(proposal_id=proposal.pk).select_related("history_user").order_by("history_date")
        )
        # By id, not the record's foreign key: an organisation deleted since has no row to join.
        names = dict(Organisation.objects.filter(pk__in={r.organisation_id for r in parties}).values_list("pk", "name"))
        roles = dict(vocabulary.PARTY_ROLES)
        for record in parties:
            what = {"+": "party-added", "~": "party-changed", "-": "party-removed"}[record.history_type]
            name = names.get(record.organisation_id, f"#{record.organisation_id}")
            party = f"{name} ({roles.get(record.role, record.role)})"
            entries.append(
                HistoryEntry(
                    record.history_date,
                    _user(record),
                    what,
                    record.history_change_reason or "",
                    (FieldChange("parties", None, party),),
                )
            )
    entries += _draft_entries(Draft.history.filter(proposal_key=key))
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


def theme_history(theme: Theme) -> list[HistoryEntry]:
    """Published changes of the theme's texts and its draft saves, newest first."""
    entries = _record_entries(theme.history.all(), THEME_FIELDS) + _draft_entries(
        ThemeDraft.history.filter(theme_id=theme.pk)
    )
    entries.sort(key=lambda e: e.at, reverse=True)
    return entries


@dataclass(frozen=True)
class VersionDiff:
    old: Version
    new: Version
    proposals: RecordsDiff
    themes: RecordsDiff
    titles: dict[str, str]  # proposal key → Dutch title, for display of removed ones too


def version_diff(old: Version, new: Version) -> VersionDiff:
    """What changed between two published versions, from their snapshots."""
    old_proposals = (old.snapshot or {}).get("proposals", {})
    new_proposals = (new.snapshot or {}).get("proposals", {})
    titles = {key: record.get("title_nl", key) for key, record in {**old_proposals, **new_proposals}.items()}
    return VersionDiff(
        old=old,
        new=new,
        proposals=diff_records(old_proposals, new_proposals),
        themes=diff_records((old.snapshot or {}).get("themes", {}), (new.snapshot or {}).get("themes", {})),
        titles=titles,
    )
