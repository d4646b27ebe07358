"""Drafts, review and publication of agenda versions. Every write of the workflow is here."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from trechter import vocabulary
from trechter.actors.models import Organisation
from trechter.agenda.models import Agenda, FunnelAnswer, FunnelQuestion, Party, Proposal, Theme
from trechter.search import actions as search
from trechter.versions.models import Comment, Draft, ThemeDraft, Version
from trechter.versions.snapshot import PROPOSAL_FIELDS, THEME_FIELDS, draft_values, take_snapshot, theme_draft_values

KEY_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")  # the seed schema's keys (trechter/seed/schema.py)
NEW_TOKEN = "new"  # noqa: S105 — not a secret: the token of an edit that starts from the published text


class WorkflowError(Exception):
    """A workflow step that cannot be taken now; the message says why, for the user."""


class ConcurrentEdit(WorkflowError):
    """Somebody else saved the draft after this edit started. Nothing was written."""

    def __init__(self, message: str, *, current: Draft | ThemeDraft | None, theirs: dict[str, Any]):
        super().__init__(message)
        self.current = current
        self.theirs = theirs


@dataclass(frozen=True)
class PublishResult:
    version: Version
    added: int
    changed: int
    removed: int


def open_version(*, agenda: Agenda, by: Any, lock: bool = True) -> Version:
    """The agenda's open version, created (as a draft) when there is none.

    Locks the row: draft saves and publication of one agenda queue behind each other."""
    versions = Version.objects.select_for_update() if lock else Version.objects.all()
    version = versions.open().filter(agenda=agenda).first()
    if version is None:
        number = (Version.objects.filter(agenda=agenda).aggregate(n=Max("number"))["n"] or 0) + 1
        try:
            with transaction.atomic():
                version = Version.objects.create(agenda=agenda, number=number, status="draft", created_by=by)
        except IntegrityError:
            # Another request opened it a moment ago (unique: one open version per agenda).
            version = versions.open().get(agenda=agenda)
    return version


def current_draft(key: str, *, agenda: Agenda) -> Draft | None:
    """The draft of proposal `key` in the agenda's open version, if any."""
    return (
        Draft.objects.select_related("version", "created_by", "updated_by", "theme")
        .filter(version__agenda=agenda, version__status__in=("draft", "review"), proposal_key=key)
        .first()
    )


def _editable(version: Version) -> None:
    if version.status != "draft":
        raise WorkflowError(
            _("Version %(number)s is in review; drafts can be changed again when it is published or sent back.")
            % {"number": version.number}
        )


def _check_token(draft: Draft | ThemeDraft | None, token: str, *, live: dict[str, Any] | None) -> None:
    """Refuse a save that did not start from the draft as it is now (optimistic concurrency)."""
    if draft is None and token == NEW_TOKEN:
        return
    if draft is not None and token == draft.token:
        return
    if draft is None:
        raise ConcurrentEdit(
            _("The draft you started from has since been published or discarded. Here is the published text now."),
            current=None,
            theirs=live or {},
        )
    who = draft.updated_by.get_username() if draft.updated_by else _("someone")
    raise ConcurrentEdit(
        _("%(who)s saved this draft at %(when)s, after you started editing. Your changes were not saved.")
        % {"who": who, "when": timezone.localtime(draft.updated_at).strftime("%Y-%m-%d %H:%M:%S")},
        current=draft,
        theirs=dict(draft.data),
    )


@transaction.atomic
def save_change(*, proposal: Proposal, data: dict[str, Any], token: str, by: Any) -> Draft:
    """Keep `data` (the proposal's editable fields) as the draft of `proposal`; the public page
    is untouched until a version is published. Raises ConcurrentEdit or WorkflowError."""
    version = open_version(agenda=proposal.theme.agenda, by=by)
    draft = Draft.objects.select_for_update().filter(version=version, proposal_key=proposal.key).first()
    live = draft_values(proposal)
    _check_token(draft, token, live=live)
    _editable(version)
    values = _values(data)
    if draft is None:
        draft = Draft(
            version=version,
            operation="change",
            proposal=proposal,
            proposal_key=proposal.key,
            theme=proposal.theme,
            base=live,
            created_by=by,
        )
    else:
        draft.revision += 1
        draft.operation = "change"  # also when it was marked for removal: editing revives it
        if "parties" not in values and "parties" in draft.data:
            values["parties"] = draft.data["parties"]  # a save without parties keeps the drafted ones
    draft.data = values
    draft.updated_by = by
    return _save(draft)


@transaction.atomic
def save_addition(
    *, theme: Theme, data: dict[str, Any], token: str, by: Any, key: str | None = None, new_key: str | None = None
) -> Draft:
    """Propose a new proposal in `theme` (key None) or change a proposed one (its key).

    A new proposal gets `new_key` when given (an import keeps the key its file names; it
    must be a free slug), else a key made from its title."""
    version = open_version(agenda=theme.agenda, by=by)
    values = _values(data)
    if key is None:
        _editable(version)
        if new_key is not None and (
            not KEY_PATTERN.match(new_key)
            or Proposal.objects.filter(key=new_key).exists()
            or Draft.objects.filter(proposal_key=new_key).exists()
        ):
            raise WorkflowError(_("The key %(key)s is taken or not a valid key.") % {"key": new_key})
        draft = Draft(
            version=version,
            operation="add",
            proposal_key=new_key or _new_key(values["title_nl"]),
            theme=theme,
            base={},
            created_by=by,
        )
    else:
        proposed = Draft.objects.select_for_update().filter(version=version, proposal_key=key, operation="add").first()
        _check_token(proposed, token, live=None)
        _editable(version)
        if proposed is None:
            raise WorkflowError(_("This proposed proposal has been discarded."))
        draft = proposed
        draft.revision += 1
    draft.data = values
    draft.updated_by = by
    return _save(draft)


@transaction.atomic
def save_removal(*, proposal: Proposal, token: str, by: Any) -> Draft:
    """Propose to remove `proposal` from the agenda at the next publication."""
    if proposal.children.exists():
        raise WorkflowError(_("This proposal has sub-proposals; remove those first."))
    version = open_version(agenda=proposal.theme.agenda, by=by)
    draft = Draft.objects.select_for_update().filter(version=version, proposal_key=proposal.key).first()
    live = draft_values(proposal)
    _check_token(draft, token, live=live)
    _editable(version)
    if draft is None:
        draft = Draft(
            version=version,
            proposal=proposal,
            proposal_key=proposal.key,
            theme=proposal.theme,
            base=live,
            created_by=by,
        )
    else:
        draft.revision += 1
    draft.operation = "remove"
    draft.data = {}
    draft.updated_by = by
    return _save(draft)


@transaction.atomic
def save_theme_change(*, theme: Theme, data: dict[str, Any], token: str, by: Any) -> ThemeDraft:
    """Keep new texts of `theme` (name, aim) as its draft; the theme page is untouched until
    publication. Raises ConcurrentEdit or WorkflowError, like proposal drafts."""
    version = open_version(agenda=theme.agenda, by=by)
    draft = ThemeDraft.objects.select_for_update().filter(version=version, theme=theme).first()
    live = theme_draft_values(theme)
    _check_token(draft, token, live=live)
    _editable(version)
    if draft is None:
        draft = ThemeDraft(version=version, theme=theme, base=live, created_by=by)
    else:
        draft.revision += 1
    drafted_answers = draft.data.get("answers") if draft.pk else None
    draft.data = {name: data[name] for name in THEME_FIELDS}
    if "answers" in data:
        draft.data["answers"] = _answers(data["answers"])
    elif drafted_answers is not None:
        draft.data["answers"] = drafted_answers  # a save without answers keeps the drafted ones
    draft.updated_by = by
    return _save(draft)


def _answers(answers: list[dict[str, str]]) -> list[dict[str, str]]:
    """Funnel answers as a draft keeps them; questions must exist, bands be known, Dutch given."""
    known = set(FunnelQuestion.objects.values_list("key", flat=True))
    bands = {band for band, _label in vocabulary.BANDS}
    rows = []
    for n, answer in enumerate(answers, start=1):
        if answer.get("question") not in known:
            raise WorkflowError(_("Answer %(n)s: unknown question.") % {"n": n})
        if answer.get("band") not in bands:
            raise WorkflowError(_("Answer %(n)s: unknown TRL band.") % {"n": n})
        if not (answer.get("text_nl") or "").strip():
            raise WorkflowError(_("Answer %(n)s: the Dutch text is required.") % {"n": n})
        rows.append({k: answer.get(k) or "" for k in ("question", "band", "text_nl", "text_en")})
    return rows


@transaction.atomic
def discard_draft(*, draft: Draft | ThemeDraft, token: str, by: Any) -> None:
    """Drop a draft of a proposal or a theme; its history keeps who wrote what."""
    locked = type(draft).objects.select_for_update().select_related("version").filter(pk=draft.pk).first()
    _check_token(locked, token, live=draft.base)
    assert locked is not None  # _check_token refuses a missing draft
    _editable(locked.version)
    locked._history_user = by  # type: ignore[union-attr]
    locked.delete()


def _values(data: dict[str, Any]) -> dict[str, Any]:
    """The fields a draft keeps, and the parties when given (organisation keys must exist)."""
    values = {name: data[name] for name in PROPOSAL_FIELDS}
    if "parties" in data:
        parties = sorted(data["parties"], key=lambda party: party["organisation"])
        keys = [party["organisation"] for party in parties]
        if len(set(keys)) != len(keys):
            raise WorkflowError(_("An organisation is named twice among the parties."))
        known = set(Organisation.objects.filter(key__in=keys).values_list("key", flat=True))
        if unknown := sorted(set(keys) - known):
            raise WorkflowError(_("Unknown organisation: %(keys)s.") % {"keys": ", ".join(unknown)})
        values["parties"] = [
            {"organisation": p["organisation"], "role": p["role"], "note": p.get("note", "")} for p in parties
        ]
    return values


DraftT = TypeVar("DraftT", Draft, ThemeDraft)


def _save(draft: DraftT) -> DraftT:
    draft._history_user = draft.updated_by  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError as error:
        # Two first saves of the same draft at once: the second loses, as with tokens.
        raise ConcurrentEdit(
            _("Someone else started this draft at the same moment. Reload and try again."),
            current=None,
            theirs={},
        ) from error
    return draft


def _new_key(title: str) -> str:
    """A proposal key from the title, unique among proposals and drafts."""
    base = slugify(title)[:60].strip("-") or "proposal"
    key, n = base, 1
    while Proposal.objects.filter(key=key).exists() or Draft.objects.filter(proposal_key=key).exists():
        n += 1
        key = f"{base}-{n}"
    return key


@transaction.atomic
def submit_version(*, version: Version, by: Any) -> Version:
    """Send the open version to the core group for review: its drafts are frozen."""
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.status != "draft":
        raise WorkflowError(_("Only a version in draft can be sent for review."))
    if not (version.drafts.exists() or version.theme_drafts.exists()):
        raise WorkflowError(_("This version has no drafts yet."))
    version.status, version.submitted_at, version.submitted_by = "review", timezone.now(), by
    version._history_user = by  # type: ignore[attr-defined]
    version.save()
    return version


@transaction.atomic
def reopen_version(*, version: Version, by: Any) -> Version:
    """Send a version in review back to draft so its drafts can be edited again."""
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.status != "review":
        raise WorkflowError(_("Only a version in review can be sent back to draft."))
    version.status = "draft"
    version._history_user = by  # type: ignore[attr-defined]
    version.save()
    return version


@transaction.atomic
def publish_version(*, version: Version, by: Any, note: str = "") -> PublishResult:
    """Apply every draft of a reviewed version to the agenda, store the snapshot, and make it
    the version the public sees. All or nothing: a conflict leaves everything as it was."""
    version = Version.objects.select_for_update().get(pk=version.pk)
    if version.status != "review":
        raise WorkflowError(_("Only a version in review can be published."))
    drafts = list(version.drafts.select_related("proposal", "theme", "updated_by").order_by("pk"))
    theme_drafts = list(version.theme_drafts.select_related("theme", "updated_by").order_by("pk"))
    problems = [problem for draft in drafts for problem in _conflicts(draft)]
    problems += [problem for theme_draft in theme_drafts for problem in _theme_conflicts(theme_draft)]
    if problems:
        raise WorkflowError(" ".join(problems))
    counts = {"add": 0, "change": 0, "remove": 0}
    # Stored, not shown as is: kept in one language so histories read the same for everyone.
    reason = f"Version {version.number}"
    for draft in drafts:
        try:
            _apply(draft, reason=reason)
        except ValidationError as error:
            raise WorkflowError(f"{draft.proposal_key}: {'; '.join(error.messages)}") from error
        counts[draft.operation] += 1
    for theme_draft in theme_drafts:
        try:
            _apply_theme(theme_draft, reason=reason)
        except ValidationError as error:
            raise WorkflowError(f"{theme_draft.theme.key}: {'; '.join(error.messages)}") from error
    version.snapshot = take_snapshot(version.agenda)
    version.status, version.published_at, version.published_by = "published", timezone.now(), by
    version.note = note or version.note
    version._history_user = by  # type: ignore[attr-defined]
    version.save()
    search.rebuild_index()
    return PublishResult(version, counts["add"], counts["change"], counts["remove"])


def _missing(kind: str, keys: set[str], known: set[str], owner: str) -> list[str]:
    """What a draft names that was deleted (admin) after the draft was saved."""
    gone = sorted(keys - known)
    if not gone:
        return []
    return [
        _("%(owner)s: %(kind)s no longer exists: %(keys)s.") % {"owner": owner, "kind": kind, "keys": ", ".join(gone)}
    ]


def _conflicts(draft: Draft) -> list[str]:
    """Why `draft` cannot be applied: its proposal or a party's organisation went, or the
    proposal was changed outside the workflow (admin) on a field the draft also changes —
    publishing would silently overwrite that."""
    named = {party["organisation"] for party in draft.data.get("parties", [])}
    known = set(Organisation.objects.filter(key__in=named).values_list("key", flat=True)) if named else set()
    missing = _missing(_("organisation"), named, known, draft.proposal_key)
    if draft.operation == "add":
        return missing
    if draft.proposal is None:
        return [_("%(key)s: the proposal no longer exists.") % {"key": draft.proposal_key}]
    live = draft_values(draft.proposal)
    # A draft saved without parties leaves them alone, so changes to them do not collide.
    names = [*PROPOSAL_FIELDS, "parties"] if "parties" in draft.data else list(PROPOSAL_FIELDS)
    touched = [f for f in names if draft.operation == "remove" or draft.data.get(f) != draft.base.get(f)]
    moved = [f for f in touched if live.get(f) != draft.base.get(f)]
    if moved:
        missing.append(
            _("%(key)s: changed by someone else since the draft started (%(fields)s).")
            % {"key": draft.proposal_key, "fields": ", ".join(moved)}
        )
    return missing


def _theme_conflicts(draft: ThemeDraft) -> list[str]:
    named = {answer["question"] for answer in draft.data.get("answers", [])}
    known = set(FunnelQuestion.objects.filter(key__in=named).values_list("key", flat=True)) if named else set()
    missing = _missing(_("question"), named, known, draft.theme.key)
    live = theme_draft_values(draft.theme)
    names = [*THEME_FIELDS, "answers"] if "answers" in draft.data else list(THEME_FIELDS)
    moved = [f for f in names if draft.data.get(f) != draft.base.get(f) and live.get(f) != draft.base.get(f)]
    if moved:
        missing.append(
            _("%(key)s: changed by someone else since the draft started (%(fields)s).")
            % {"key": draft.theme.key, "fields": ", ".join(moved)}
        )
    return missing


def _apply_theme(draft: ThemeDraft, *, reason: str) -> None:
    theme = draft.theme
    for name in THEME_FIELDS:
        setattr(theme, name, draft.data.get(name))
    theme.full_clean()
    theme._history_user, theme._change_reason = draft.updated_by, reason  # type: ignore[attr-defined]
    theme.save()
    if "answers" in draft.data:
        _sync_answers(theme, draft.data["answers"], by=draft.updated_by, reason=reason)


def _attribute(obj: Any, *, by: Any, reason: str) -> None:
    """Who and why for the history record the next save or delete of `obj` writes."""
    obj._history_user, obj._change_reason = by, reason


def _sync_answers(theme: Theme, wanted: list[dict[str, str]], *, by: Any, reason: str) -> None:
    """Make the theme's funnel answers exactly `wanted`: the n-th answer to a question in a
    band updates the n-th stored one, so unchanged answers keep their rows and history."""
    questions = {q.key: q for q in FunnelQuestion.objects.all()}
    existing = {(a.question.key, a.band, a.order): a for a in theme.funnel_answers.select_related("question")}
    keep: set[tuple[str, str, int]] = set()
    counts: dict[tuple[str, str], int] = {}
    for row in wanted:
        slot = (row["question"], row["band"])
        counts[slot] = counts.get(slot, 0) + 1
        key = (*slot, counts[slot])
        keep.add(key)
        answer = existing.get(key) or FunnelAnswer(
            theme=theme, question=questions[row["question"]], band=row["band"], order=counts[slot]
        )
        if answer.pk and (answer.text_nl, answer.text_en) == (row["text_nl"], row["text_en"]):
            continue
        answer.text_nl, answer.text_en = row["text_nl"], row["text_en"]
        _attribute(answer, by=by, reason=reason)
        answer.save()
    for key, answer in existing.items():
        if key not in keep:
            _attribute(answer, by=by, reason=reason)
            answer.delete()


def _apply(draft: Draft, *, reason: str) -> None:
    if draft.operation == "remove":
        assert draft.proposal is not None
        proposal = draft.proposal
        proposal._history_user = draft.updated_by  # type: ignore[attr-defined]
        proposal._change_reason = reason  # type: ignore[attr-defined]
        proposal.delete()
        return
    if draft.operation == "add":
        proposal = Proposal(key=draft.proposal_key, theme=draft.theme)
    else:
        assert draft.proposal is not None
        proposal = draft.proposal
    for name in PROPOSAL_FIELDS:
        setattr(proposal, name, draft.data.get(name))
    proposal.full_clean()
    proposal._history_user = draft.updated_by  # type: ignore[attr-defined]
    proposal._change_reason = reason  # type: ignore[attr-defined]
    proposal.save()
    if "parties" in draft.data:
        _sync_parties(proposal, draft.data["parties"], by=draft.updated_by, reason=reason)
    if draft.operation == "add":
        Draft.objects.filter(pk=draft.pk).update(proposal=proposal)


def _sync_parties(proposal: Proposal, wanted: list[dict[str, str]], *, by: Any, reason: str) -> None:
    """Make the proposal's parties exactly `wanted`, row by row so each change has a history."""
    organisations = {o.key: o for o in Organisation.objects.filter(key__in=[p["organisation"] for p in wanted])}
    existing = {party.organisation.key: party for party in proposal.parties.select_related("organisation")}
    for key, party in existing.items():
        if key not in organisations:
            party._history_user, party._change_reason = by, reason  # type: ignore[attr-defined]
            party.delete()
    for row in wanted:
        party = existing.get(row["organisation"]) or Party(
            proposal=proposal, organisation=organisations[row["organisation"]]
        )
        if party.pk and (party.role, party.note) == (row["role"], row.get("note", "")):
            continue
        party.role, party.note = row["role"], row.get("note", "")
        party.full_clean()
        party._history_user, party._change_reason = by, reason  # type: ignore[attr-defined]
        party.save()


@transaction.atomic
def record_seed_version(*, agenda: Agenda) -> Version | None:
    """Version 1 is the agenda as loaded from the seed, when nothing was published before."""
    if Version.objects.filter(agenda=agenda).exists():
        return None
    return Version.objects.create(
        agenda=agenda,
        number=1,
        status="published",
        snapshot=take_snapshot(agenda),
        published_at=timezone.now(),
    )


@transaction.atomic
def add_comment(*, proposal: Proposal, text: str, by: Any) -> Comment:
    """A member's comment on a published proposal (not part of any version)."""
    return Comment.objects.create(proposal=proposal, author=by, text=text.strip())
