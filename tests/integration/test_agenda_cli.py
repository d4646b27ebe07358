"""`trechter agenda` reproduces the overview table of section 2.1, entry by entry."""

import json
from pathlib import Path

import pytest
import yaml

from trechter.agenda.models import Proposal

pytestmark = pytest.mark.django_db

TABLE = yaml.safe_load((Path(__file__).parent.parent / "data" / "section_2_1.yaml").read_text(encoding="utf-8"))


def test_agenda_json_matches_section_2_1(call) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(call("agenda", "--json"))
    assert [r["name"] for r in rows] == [t["theme"] for t in TABLE]
    for row, expected in zip(rows, TABLE, strict=True):
        assert row["cooperation"] == expected["cooperation"], row["theme"]
        assert row["projects"] == expected["projects"], row["theme"]


def _columns(out: str) -> list[tuple[str, ...]]:
    """Read the text table back into (theme, cooperation, projects) cell texts, one per theme:
    themes are blocks separated by blank lines, columns are cut at the dashed rule's gaps."""
    _header, rule, *body = out.splitlines()
    widths = [len(dashes) for dashes in rule.split("  ")]
    cuts = [0, widths[0] + 2, widths[0] + widths[1] + 4, None]
    rows = []
    for block in "\n".join(body).split("\n\n"):
        if not block.strip():
            continue
        cells = ["", "", ""]
        for line in block.splitlines():
            for i in range(3):
                cells[i] += " " + line[cuts[i] : cuts[i + 1]]
        rows.append(tuple(" ".join(cell.split()) for cell in cells))
    return rows


def test_agenda_text_table_shows_every_entry_in_its_column(call) -> None:  # type: ignore[no-untyped-def]
    out = call("agenda")
    assert out.split()[:3] == ["Thema", "Samenwerkingsvoorstellen", "Projectvoorstellen"]
    rows = _columns(out)
    assert [theme for theme, _, _ in rows] == [t["theme"] for t in TABLE]
    for (_, cooperation, projects), expected in zip(rows, TABLE, strict=True):
        assert cooperation == " ".join("• " + label for label in expected["cooperation"])
        assert projects == " ".join("• " + label for label in expected["projects"])


def test_agenda_in_english_uses_english_theme_names(call) -> None:  # type: ignore[no-untyped-def]
    rows = json.loads(call("agenda", "--json", "--lang", "en"))
    assert rows[3]["name"] == "Photonics"
    photonics = Proposal.objects.get(theme__key="photonics", kind="cooperation", overview_order=1)
    assert rows[3]["cooperation"] == [photonics.title_en]
    assert photonics.title_en and photonics.title_en != photonics.overview_label_nl
