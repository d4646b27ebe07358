"""Issue 7's acceptance: on real CORDIS texts (tests/data/cordis_texts, cut by a rule that
ignores subjects), discovery finds the seed's own examples of cross-theme topics among its
first ten — 3D printing joined with medical or biological applications, and photovoltaics
reaching beyond the energy theme — with nothing about them in the code: themes come from the
agenda's lexicon classifier, topics from the real multilingual encoder, the ranking from
analytics.topics. The words below only read the result."""

from __future__ import annotations

import csv
import gzip
import re
from pathlib import Path

import pytest

from trechter.analytics import embeddings, themes, topics

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "cordis_texts" / "projects.csv.gz"
TOP = 10
PRINTING = re.compile(r"(?i)3D[- ]?print|additive(ly)? manufactur|bioprint|4D[- ]?print")
SOLAR = re.compile(r"(?i)photovolta|solar cell|solar panel")


@pytest.fixture(scope="module")
def discovered() -> tuple[topics.Discovery, dict[str, str]]:
    with gzip.open(FIXTURE, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    classified = themes.classify_many((themes.ProjectText.from_cordis(r) for r in rows), themes.Lexicon.load())
    documents = [
        topics.Document(f"project:{r['project_key']}", embeddings.project_text(r), "en",
                        tuple(sorted({a.theme for a in classified[r["project_key"]]})))
        for r in rows
    ]  # fmt: skip
    vectors = embeddings.encode([d.text for d in documents])
    return topics.discover(documents, vectors), {d.key: d.text for d in documents}


def share(topic: topics.Topic, texts: dict[str, str], pattern: re.Pattern[str]) -> float:
    return sum(1 for key in topic.documents if pattern.search(texts[key])) / len(topic.documents)


def test_3d_printing_for_medicine_is_among_the_top_cross_theme_topics(
    discovered: tuple[topics.Discovery, dict[str, str]],
) -> None:
    found, texts = discovered

    top = found.cross_theme()[:TOP]

    joined = [
        t for t in top if share(t, texts, PRINTING) >= 0.25 and t.theme_shares.get("lsh", 0) >= topics.CROSS_SHARE
    ]
    assert joined, [(t.label_en, t.theme_shares) for t in top]


def test_photovoltaics_beyond_energy_is_among_the_top_cross_theme_topics(
    discovered: tuple[topics.Discovery, dict[str, str]],
) -> None:
    found, texts = discovered

    top = found.cross_theme()[:TOP]

    beyond = [
        t for t in top
        if share(t, texts, SOLAR) >= 0.25
        and "energy" in t.theme_shares
        and any(s >= topics.CROSS_SHARE for theme, s in t.theme_shares.items() if theme != "energy")
    ]  # fmt: skip
    assert beyond, [(t.label_en, t.theme_shares) for t in top]


def test_the_fixture_was_cut_without_looking_at_subjects() -> None:
    """Every row carries at least 300 characters of its own words (make_fixture.py's one rule)."""
    with gzip.open(FIXTURE, "rt", encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    own = ("title", "objective", "brief_title", "brief_teaser")

    assert len(rows) == 2915
    assert min(len(" ".join(r[c] for c in own)) for r in rows) >= 300
