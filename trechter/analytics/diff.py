"""Differences between two snapshots of the agenda: records added, removed and changed
field by field. Plain data in and out; no Django."""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: Any
    new: Any


@dataclass(frozen=True)
class RecordChange:
    key: str
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class RecordsDiff:
    added: tuple[str, ...]
    removed: tuple[str, ...]
    changed: tuple[RecordChange, ...]

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def count(self) -> int:
        return len(self.added) + len(self.removed) + len(self.changed)


def diff_fields(old: Mapping[str, Any], new: Mapping[str, Any]) -> tuple[FieldChange, ...]:
    """The fields whose value differs, in the order of `new` then fields only in `old`.

    A field missing on one side counts as None there, so adding a field to the snapshot
    format later does not show as a change unless it has a value."""
    names = list(new) + [name for name in old if name not in new]
    return tuple(FieldChange(name, old.get(name), new.get(name)) for name in names if old.get(name) != new.get(name))


def diff_records(old: Mapping[str, Mapping[str, Any]], new: Mapping[str, Mapping[str, Any]]) -> RecordsDiff:
    """Compare two {key: record} mappings; keys are sorted so the result is deterministic."""
    added = tuple(sorted(key for key in new if key not in old))
    removed = tuple(sorted(key for key in old if key not in new))
    changed = []
    for key in sorted(key for key in new if key in old):
        fields = diff_fields(old[key], new[key])
        if fields:
            changed.append(RecordChange(key, fields))
    return RecordsDiff(added, removed, tuple(changed))


REWRITE_RATIO = 0.4  # below this share of common words, a text counts as rewritten


def word_diff(old: str, new: str) -> list[tuple[str, str]]:
    """`old` → `new` as ("equal" | "delete" | "insert", text) pieces, word by word, so a
    one-word change in a long summary shows as one word, not two whole paragraphs."""
    # A word keeps its trailing space, so runs of changed words stay one piece.
    old_words, new_words = re.findall(r"\S+\s*|\s+", old), re.findall(r"\S+\s*|\s+", new)
    matcher = difflib.SequenceMatcher(a=old_words, b=new_words, autojunk=False)
    if matcher.ratio() < REWRITE_RATIO:
        # A rewrite: word-level marks would only scatter; show old and new whole.
        return [piece for piece in (("delete", old), ("insert", new)) if piece[1]]
    pieces: list[tuple[str, str]] = []
    for op, a1, a2, b1, b2 in matcher.get_opcodes():
        if op == "equal":
            pieces.append(("equal", "".join(old_words[a1:a2])))
            continue
        if op in ("delete", "replace"):
            pieces.append(("delete", "".join(old_words[a1:a2])))
        if op in ("insert", "replace"):
            pieces.append(("insert", "".join(new_words[b1:b2])))
    return [piece for piece in pieces if piece[1]]
