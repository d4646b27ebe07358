"""The content stamp: a token that changes with every change to public content.

Every save or delete of a model with a history (simple-history's post_create_historical_record)
in the content apps renews it in the same transaction, so a rollback also rolls it back.
Drafts, comments and roles do not change public pages and leave it alone."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from uuid import uuid4

from trechter.versions.models import ContentStamp

CONTENT_APPS = {"actors", "agenda", "funding", "assessment", "versions", "fof"}
# Rows no public page shows: drafts, and the FoF round's inner workings (its winners and
# labels are public: AwardRound and Application renew the stamp).
NOT_PUBLIC = {"Draft", "ThemeDraft", "JuryMember", "Assignment", "AspectScore", "Consensus", "Affiliation"}


_state = threading.local()


def current() -> str:
    """The stamp now; one indexed read."""
    token = ContentStamp.objects.filter(pk=1).values_list("token", flat=True).first()
    return token or "none"


def renew() -> None:
    """Give the content a new stamp."""
    if not ContentStamp.objects.filter(pk=1).update(token=uuid4().hex):
        ContentStamp.objects.get_or_create(pk=1, defaults={"token": uuid4().hex})


@contextmanager
def renewed_once() -> Iterator[None]:
    """Inside this block (a bulk write such as a seed load), changes renew the stamp once,
    at the end, instead of once per row; a block that changed nothing leaves it alone."""
    outermost = not getattr(_state, "deferred", 0)
    if outermost:
        _state.pending = False
    _state.deferred = getattr(_state, "deferred", 0) + 1
    try:
        yield
    finally:
        _state.deferred -= 1
    if outermost and _state.pending:
        renew()


def on_history_record(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Receiver of simple-history's post_create_historical_record."""
    meta = instance._meta
    if meta.app_label not in CONTENT_APPS or meta.object_name in NOT_PUBLIC:
        return
    if meta.object_name == "Version" and instance.status != "published":
        return  # opening a version or sending it for review shows nothing new to the public
    if getattr(_state, "deferred", 0):
        _state.pending = True
        return
    renew()
