"""Writes of funding instruments: their eligibility rules, by the core group."""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from trechter.analytics import eligibility
from trechter.funding.models import Instrument


class RulesChanged(Exception):
    """Someone saved the instrument's rules after this edit started; nothing was written."""


def rules_token(instrument: Instrument) -> str:
    """A fingerprint of the rules and their note as they are; an edit carries it, so a save that
    did not start from the current rules is refused (optimistic concurrency, as drafts)."""
    payload = json.dumps([instrument.rules, instrument.rules_note], ensure_ascii=False, sort_keys=True)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()[:32]


@transaction.atomic
def save_rules(*, instrument: Instrument, rules: Any, rules_note: str, token: str, by: Any) -> Instrument:
    """Store new rules, checked by eligibility.parse_rules (RuleError names the field; nothing
    is written). The instrument's history records who and when; the new history row renews
    the content stamp, so pages show the new advice at once. Raises RulesChanged."""
    parsed = eligibility.parse_rules(rules)
    locked = Instrument.objects.select_for_update().get(pk=instrument.pk)
    if token != rules_token(locked):
        raise RulesChanged(
            _("Someone else saved this instrument's rules after you started. Your rules were not saved.")
        )
    locked.rules = parsed
    locked.rules_note = rules_note
    locked._history_user = by  # type: ignore[attr-defined]
    locked._change_reason = "Eligibility rules edited"  # type: ignore[attr-defined]
    locked.save(update_fields=["rules", "rules_note"])
    return locked
