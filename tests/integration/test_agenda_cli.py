"""`trechter agenda` reproduces the overview table of section 2.1, entry by entry."""

import json
from pathlib import Path

import pytest
import yaml

pytestmark = pytest.mark.django_db

TABLE = yaml.safe_load((Path(__file__).parent.parent / "data" / "section_2_1.yaml").read_text(encoding="utf-8"))


def test_agenda_json_matches_section_2_1(call) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(call("agenda", "--json"))
    assert [r["name"] for r in rows] == [t["theme"] for t in TABLE]
    for row, expected in zip(rows, TABLE, strict=True):
        assert row["cooperation"] == expected["cooperation"], row["theme"]
        assert row["projects"] == expected["projects"], row["theme"]


def test_agenda_text_table_shows_every_entry(call) -> None:  # type: ignore[no-untyped-def]
    out = call("agenda")
    flat = " ".join(out.split())
    assert flat.startswith("Thema Samenwerkingsvoorstellen Projectvoorstellen")
    for theme in TABLE:
        for label in theme["cooperation"] + theme["projects"]:
            assert " ".join(label.split()) in flat.replace("• ", "")


def test_agenda_in_english_uses_english_theme_names(call) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(call("agenda", "--json", "--lang", "en"))
    assert rows[3]["name"] == "Photonics"
