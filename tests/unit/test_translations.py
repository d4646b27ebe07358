"""Every interface string has a Dutch translation (English is the source language)."""

import re
from pathlib import Path

PO = Path(__file__).resolve().parents[2] / "trechter" / "locale" / "nl" / "LC_MESSAGES" / "django.po"


# msgid, an optional msgid_plural, then msgstr or msgstr[0], msgstr[1], … (each may span lines).
ENTRY = re.compile(
    r'^msgid ((?:".*"\n)+)(?:msgid_plural (?:".*"\n)+)?((?:msgstr(?:\[\d+\])? (?:".*"(?:\n|$))+)+)', re.M
)
FORM = re.compile(r'msgstr(?:\[\d+\])? ((?:".*"(?:\n|$))+)')


def _joined(quoted: str) -> str:
    return "".join(re.findall(r'"(.*)"', quoted))


def _entries() -> list[tuple[str, str, str]]:
    """(flags, msgid, msgstr) of every entry but the header; a plural entry's msgstr is
    empty when any of its forms is."""
    entries = []
    for block in PO.read_text(encoding="utf-8").split("\n\n")[1:]:
        match = ENTRY.search(block)
        assert match, block
        flags = " ".join(line for line in block.splitlines() if line.startswith("#,"))
        forms = [_joined(form) for form in FORM.findall(match.group(2))]
        entries.append((flags, _joined(match.group(1)), "" if not all(forms) else forms[0]))
    return entries


def test_every_string_is_translated_to_dutch() -> None:
    entries = _entries()
    assert len(entries) > 150
    assert [msgid for _, msgid, msgstr in entries if not msgstr] == []


def test_no_translation_is_fuzzy() -> None:
    assert [msgid for flags, msgid, _ in _entries() if "fuzzy" in flags] == []


def test_compiled_catalogue_is_present() -> None:
    assert PO.with_suffix(".mo").stat().st_size > 1000
