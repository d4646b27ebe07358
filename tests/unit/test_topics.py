"""Topic discovery (trechter/analytics/topics.py): stable ids, theme shares and Rao–Stirling
diversity computed by hand, and Dutch and English texts on one subject in one topic with
the real multilingual encoder."""

from __future__ import annotations

import numpy as np
import pytest

from trechter.analytics import embeddings, topics
from trechter.analytics.topics import Document


def blobs(seed: int = 0, per: int = 20) -> tuple[list[Document], np.ndarray]:
    """Three well separated groups of unit vectors; group g's documents carry theme t{g}, and
    group 2's also theme t0 (so it spans two themes)."""
    rng = np.random.default_rng(seed)
    centres = np.eye(8)[:3]
    documents, rows = [], []
    for g, centre in enumerate(centres):
        for i in range(per):
            themes = (f"t{g}",) if g < 2 else (("t2",) if i % 2 else ("t0",))
            organisations = (f"org{g}", "shared") if i % 4 == 0 else (f"org{g}",)
            documents.append(Document(f"g{g}-{i:02d}", f"group {g}", themes=themes, organisations=organisations))
            rows.append(centre + rng.normal(scale=0.05, size=8))
    vectors = np.array(rows)
    return documents, vectors / np.linalg.norm(vectors, axis=1, keepdims=True)


def test_groups_become_topics_and_a_mixed_group_is_cross_theme() -> None:
    documents, vectors = blobs()

    found = topics.discover(documents, vectors, k=3)

    groups = [{key.split("-")[0] for key in t.documents} for t in found.topics]
    assert sorted(map(sorted, groups)) == [["g0"], ["g1"], ["g2"]]
    mixed = next(t for t in found.topics if t.documents[0].startswith("g2"))
    assert mixed.theme_shares == {"t0": 0.5, "t2": 0.5}
    assert mixed.is_cross_theme
    assert [t.id for t in found.cross_theme()] == [mixed.id]
    # Rao–Stirling by hand: Σ_{i≠j} d_ij p_i p_j = 2 × d(t0, t2) × 0.5 × 0.5
    assert mixed.diversity == pytest.approx(found.theme_distance[("t0", "t2")] / 2, abs=1e-6)
    assert all(not t.is_cross_theme for t in found.topics if t is not mixed)
    assert mixed.organisations == (("org2", 20), ("shared", 5))


def test_same_input_in_any_order_gives_the_same_ids() -> None:
    documents, vectors = blobs()
    order = np.random.default_rng(5).permutation(len(documents))

    first = topics.discover(documents, vectors, k=3)
    again = topics.discover([documents[i] for i in order], vectors[order], k=3)

    assert first.topic_of == again.topic_of
    assert [t.id for t in first.topics] == [t.id for t in again.topics]


def test_topics_keep_their_ids_when_documents_are_added() -> None:
    documents, vectors = blobs(per=40)
    first = topics.discover(documents[::2] + documents[1::4], np.vstack([vectors[::2], vectors[1::4]]), k=3)

    later = topics.discover(documents, vectors, k=3, previous=topics.as_anchors(first.topics))

    assert {t.id for t in later.topics} == {t.id for t in first.topics}
    assert all(later.topic_of[key] == topic for key, topic in first.topic_of.items())


def test_without_earlier_anchors_a_changed_core_gives_a_new_id() -> None:
    documents, vectors = blobs()
    found = topics.discover(documents, vectors, k=3)
    renamed = [Document(key=f"x-{d.key}", text=d.text, themes=d.themes) for d in documents]

    other = topics.discover(renamed, vectors, k=3)

    assert not {t.id for t in found.topics} & {t.id for t in other.topics}


def test_documents_and_vectors_must_match() -> None:
    documents, vectors = blobs()
    with pytest.raises(ValueError, match="60 documents but 59 vectors"):
        topics.discover(documents, vectors[:-1])
    with pytest.raises(ValueError, match="unique"):
        topics.discover(documents[:2] + documents[:1], vectors[:3])


def test_topic_count_grows_with_the_square_root_then_with_the_corpus() -> None:
    assert topics.topic_count(1) == 1
    assert topics.topic_count(20) == 3
    assert topics.topic_count(220) == 10  # the seed agenda's texts
    assert topics.topic_count(2915) == 97  # the CORDIS text fixture: n / 30
    assert topics.topic_count(5000) == 120
    assert topics.topic_count(10**7) == topics.MAX_TOPICS


SUBJECTS = {
    "solar": [
        ("en", "Thin-film photovoltaic modules integrated in building facades"),
        ("nl", "Dunnefilm zonnepanelen geïntegreerd in de gevels van gebouwen"),
        ("en", "Perovskite solar cells with higher efficiency"),
        ("nl", "Perovskiet zonnecellen met een hoger rendement"),
    ],
    "print": [
        ("en", "3D printing of bone implants for regenerative medicine"),
        ("nl", "3D-printen van botimplantaten voor regeneratieve geneeskunde"),
        ("en", "Additive manufacturing of patient-specific prostheses"),
        ("nl", "Additieve productie van protheses op maat van de patiënt"),
    ],
    "photonics": [
        ("en", "Photonic integrated circuits for optical data communication"),
        ("nl", "Fotonische geïntegreerde schakelingen voor optische datacommunicatie"),
        ("en", "Laser sources on silicon chips"),
        ("nl", "Laserbronnen op siliciumchips"),
    ],
}


def test_a_dutch_text_and_its_english_paraphrase_share_a_topic_with_keywords_in_both() -> None:
    documents = [
        Document(key=f"{subject}-{i // 2}-{language}", text=text, language=language)
        for subject, texts in SUBJECTS.items()
        for i, (language, text) in enumerate(texts)
    ]
    vectors = embeddings.encode([d.text for d in documents])

    found = topics.discover(documents, vectors, k=6)

    pairs = sorted(sorted({key.rsplit("-", 1)[0] for key in t.documents}) for t in found.topics)
    assert pairs == [[f"{subject}-{n}"] for subject in sorted(SUBJECTS) for n in (0, 1)]
    for topic in found.topics:
        assert topic.keywords["en"] and topic.keywords["nl"]
    solar = found.topic_of_document("solar-0-en")
    assert any("photovoltaic" in word for word in solar.keywords["en"])
    assert any("zonnepanelen" in word for word in solar.keywords["nl"])


def at_angle(degrees: float) -> np.ndarray:
    """A unit vector in the plane of the first two axes, `degrees` from the first (8 dimensions)."""
    vector = np.zeros(8)
    vector[:2] = np.cos(np.radians(degrees)), np.sin(np.radians(degrees))
    return vector


def test_a_document_just_across_a_boundary_takes_the_topic_of_its_nearest_documents() -> None:
    # Two groups at 0° and 90°; four bridge documents at 38–41° lie on group a's side of the
    # k-means boundary (about 47°), and "x" at 49° just across it, nearer b's centre but far
    # nearer the bridge documents than any of b's.
    rng = np.random.default_rng(0)
    documents, rows = [], []
    for group, angle in (("a", 0.0), ("b", 90.0)):
        for i in range(20):
            documents.append(Document(f"{group}-{i:02d}", group))
            rows.append(at_angle(angle) + rng.normal(scale=0.05, size=8))
    for i, angle in enumerate((38.0, 39.0, 40.0, 41.0)):
        documents.append(Document(f"bridge-{i}", "bridge"))
        rows.append(at_angle(angle))
    documents.append(Document("x", "x"))
    rows.append(at_angle(49.0))
    vectors = np.array(rows) / np.linalg.norm(rows, axis=1, keepdims=True)

    plain = topics.discover(documents, vectors, k=2, neighbours=0)
    voted = topics.discover(documents, vectors, k=2)

    assert plain.topic_of["x"] == plain.topic_of["b-00"] != plain.topic_of["bridge-0"]
    assert voted.topic_of["x"] == voted.topic_of["bridge-0"] == voted.topic_of["a-00"]
    with_a = {key for key, topic in plain.topic_of.items() if topic == plain.topic_of["a-00"]}
    assert {key for key, topic in voted.topic_of.items() if topic == voted.topic_of["a-00"]} == with_a | {"x"}


def test_the_vote_of_nearest_documents_puts_more_dutch_english_paraphrases_in_one_topic() -> None:
    import csv
    from pathlib import Path

    path = Path(__file__).resolve().parents[1] / "data" / "paraphrases" / "cordis_titles_nl_en.csv"
    with path.open(encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    documents = [Document(f"{language}:{p['key']}", p[language], language) for p in pairs for language in ("en", "nl")]
    vectors = embeddings.encode([d.text for d in documents])

    def together(found: topics.Discovery) -> int:
        return sum(found.topic_of[f"en:{p['key']}"] == found.topic_of[f"nl:{p['key']}"] for p in pairs)

    plain = topics.discover(documents, vectors, neighbours=0)
    voted = topics.discover(documents, vectors)

    assert len(voted.topics) == len(plain.topics) == topics.topic_count(130) == 8
    assert together(plain) < together(voted)
    assert together(voted) >= 0.9 * len(pairs)


def test_cross_theme_rank_weighs_diversity_by_documents_that_join_themes() -> None:
    """A topic of texts that each join two themes outranks a wider mix of single-theme texts."""
    rng = np.random.default_rng(2)
    centres = np.eye(8)[:2]
    documents, rows = [], []
    for i in range(20):  # group 0: half its texts carry two themes; group 1: single-theme texts of far themes
        joined = ("x", "y") if i % 2 else ("x",)
        documents.append(Document(f"a{i:02d}", "a", themes=joined))
        documents.append(Document(f"b{i:02d}", "b", themes=("x",) if i % 2 else ("z",)))
        rows += [centres[0] + rng.normal(scale=0.05, size=8), centres[1] + rng.normal(scale=0.05, size=8)]
    vectors = np.array(rows)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)

    found = topics.discover(documents, vectors, k=2, neighbours=0)

    joined_topic = found.topic_of_document("a00")
    mixed_topic = found.topic_of_document("b00")
    assert joined_topic.integration == 0.5 and mixed_topic.integration == 0.0
    assert joined_topic.cross_theme_score == pytest.approx(joined_topic.diversity * 0.6, abs=1e-6)
    assert mixed_topic.cross_theme_score == pytest.approx(mixed_topic.diversity * 0.1, abs=1e-6)
    ranked = found.cross_theme()
    assert {t.id for t in ranked} == {joined_topic.id, mixed_topic.id}
    assert [t.cross_theme_score for t in ranked] == sorted((t.cross_theme_score for t in ranked), reverse=True)
