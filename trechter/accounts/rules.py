"""Per-object permissions (django-rules). Views ask `user.has_perm(name, obj)`; the names are
ours, not Django's model permissions, so the admin stays for superusers only.

| permission                 | object   | who                                              |
|----------------------------|----------|--------------------------------------------------|
| agenda.propose_in_theme    | Theme    | any member (goes into the draft of the open version) |
| agenda.edit_proposal       | Proposal | theme lead of its theme, core group, admin       |
| agenda.edit_theme          | Theme    | its theme lead, core group, admin                |
| agenda.view_drafts         | –        | theme leads, core group, admin                   |
| agenda.comment_proposal    | Proposal | any member                                       |
| agenda.view_history        | –        | any member (who changed what and when)           |
| versions.edit_draft        | Draft    | who may edit its proposal, or the member who proposed it |
| versions.review_version    | Version  | core group, admin                                |
| fof.judge                  | –        | jury, admin (kept for the FoF award)             |
| assessment.manage_rounds   | –        | core group, admin (rounds, candidates, assessors) |
| assessment.view_round      | Round    | anyone for a recorded round; else members and its assessors |
| assessment.score_round     | Round    | its assessors while it is open (not a recorded round) |
"""

from __future__ import annotations

from typing import Any

import rules

from trechter.accounts.roles import roles_of


def _theme_id(obj: Any) -> int | None:
    """The theme an object belongs to: a theme itself, a proposal or a draft."""
    if obj is None:
        return None
    if obj.__class__.__name__ == "Theme":
        return int(obj.pk)
    return getattr(obj, "theme_id", None)


@rules.predicate
def is_member(user: Any) -> bool:
    return roles_of(user).is_member


@rules.predicate
def is_core_group(user: Any) -> bool:
    return roles_of(user).is_core_group


@rules.predicate
def is_editor(user: Any) -> bool:
    return roles_of(user).is_editor


@rules.predicate
def is_jury(user: Any) -> bool:
    roles = roles_of(user)
    return "jury" in roles.kinds or roles.is_admin


@rules.predicate
def leads_theme_of(user: Any, obj: Any) -> bool:
    theme_id = _theme_id(obj)
    return theme_id is not None and theme_id in roles_of(user).lead_theme_ids


@rules.predicate
def proposed_it(user: Any, draft: Any) -> bool:
    """The member who proposed a new proposal may keep editing it until it is published."""
    return draft is not None and draft.operation == "add" and draft.created_by_id == getattr(user, "pk", None)


@rules.predicate
def assesses(user: Any, round_: Any) -> bool:
    return round_ is not None and round_.assessors.filter(user_id=getattr(user, "pk", None)).exists()


@rules.predicate
def is_recorded_round(user: Any, round_: Any) -> bool:
    return round_ is not None and bool(round_.is_recorded)


@rules.predicate
def is_open_round(user: Any, round_: Any) -> bool:
    return round_ is not None and round_.is_open and not round_.is_recorded


may_edit_proposal = leads_theme_of | is_core_group

rules.add_perm("agenda.propose_in_theme", is_member)
rules.add_perm("agenda.edit_proposal", may_edit_proposal)
rules.add_perm("agenda.edit_theme", may_edit_proposal)
rules.add_perm("agenda.view_drafts", is_editor)
rules.add_perm("agenda.comment_proposal", is_member)
rules.add_perm("agenda.view_history", is_member)
rules.add_perm("versions.edit_draft", may_edit_proposal | proposed_it)
rules.add_perm("versions.review_version", is_core_group)
rules.add_perm("fof.judge", is_jury)
rules.add_perm("evidence.review_links", is_core_group)
rules.add_perm("assessment.manage_rounds", is_core_group)
rules.add_perm("assessment.view_round", is_recorded_round | is_member | assesses)
rules.add_perm("assessment.score_round", is_open_round & assesses)
