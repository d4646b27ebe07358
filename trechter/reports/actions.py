"""Writes of the agenda document: its conclusions (chapter 4), in Dutch and English."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from trechter.agenda.models import Agenda


class ConclusionsChanged(Exception):
    """Someone saved the conclusions after this edit started; nothing was written."""


def conclusions_token(agenda: Agenda) -> str:
    """A fingerprint of the conclusions as they are: an edit form carries it, so a save that
    did not start from the current text is refused (optimistic concurrency, as drafts)."""
    payload = json.dumps([agenda.conclusions_nl, agenda.conclusions_en], ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


@transaction.atomic
def save_conclusions(
    *, agenda: Agenda, conclusions_nl: list[str], conclusions_en: list[str], token: str, by: Any
) -> Agenda:
    """Store new conclusions (one string per paragraph). The agenda's history records who and
    when, and the new history row renews the content stamp, so cached pages and documents
    show the new text at once (trechter/versions/stamps.py). Raises ConclusionsChanged."""
    locked = Agenda.objects.select_for_update().get(pk=agenda.pk)
    if token != conclusions_token(locked):
        raise ConclusionsChanged(_("Someone else saved the conclusions after you started. Your text was not saved."))
    locked.conclusions_nl = list(conclusions_nl)
    locked.conclusions_en = list(conclusions_en)
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = "Conclusions edited"  # type: ignore[attr-defined]
    locked.save(update_fields=["conclusions_nl", "conclusions_en"])
    return locked
