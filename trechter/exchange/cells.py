"""Spreadsheet cells that cannot run as formulas: CSV/formula injection (OWASP) defused on
export and undone on import. Pure Python, no Django.

A text cell whose first character is `=`, `+`, `-`, `@`, a tab or a carriage return could
be read by Excel or LibreOffice as a formula ("=HYPERLINK(…)", "@SUM(A1)"); exports write
it with one leading apostrophe, which makes it plain text. Texts that already begin with
apostrophes before such a character get one more, so that `unneutralise` can strip exactly
one and every text comes back as it was: `unneutralise(neutralise(s)) == s` for every s.
"""

from __future__ import annotations

import re

TRIGGERS = "=+-@\t\r"
QUOTE = "'"
# Apostrophes (none or more) followed by a character a spreadsheet would treat as a formula.
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r]")
_QUOTED = re.compile(r"'+[=+\-@\t\r]")


def neutralise(text: str) -> str:
    """`text` made inert for spreadsheets: one apostrophe before a formula-like start."""
    return QUOTE + text if _NEEDS_QUOTE.match(text) else text


def unneutralise(text: str) -> str:
    """The text `neutralise` was given: drops one leading apostrophe when the rest (after
    any further apostrophes) starts with = + - @ tab or CR; anything else is unchanged."""
    return text[1:] if _QUOTED.match(text) else text
