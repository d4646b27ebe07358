"""Topics in the agenda's and the EU projects' texts, Dutch and English together, and which of
them span several themes (the seed's "thema-overstijgende onderwerpen").

Method. Every document is a unit vector in one multilingual space (analytics.embeddings), so a
Dutch proposal and an English project on the same subject lie close. Documents are grouped by
spherical k-means (scikit-learn KMeans on unit vectors, fixed seed; k grows with the square
root of a small corpus, so tens of agenda texts give a handful of topics, and as n / 30 for
thousands of abstracts, up to MAX_TOPICS; see topic_count). Then each document takes the topic
that most of its NEIGHBOURS nearest documents hold (weighed by cosine; its own topic weighs 1
and wins ties), repeated until no document moves. Why: k-means cuts straight through dense
regions of near-identical texts, and a text just across a cut belongs with its neighbours, not
with the nearer centre. Of the CORDIS paraphrase pairs, the nearest text of the Dutch title is
its English source (or a copy) for 97 %, yet k-means alone put the two in one topic for only
71–78 % (bench/topics.py). The vote moves some 7 % of the documents and keeps k and the spread
of topic sizes; it is skipped when the topics are too small to be outvoted (under 4 documents
each on average). Not done, as measured: centring each language on a common mean (the
Dutch–English offset of these vectors is small, norm 0.11, and when one language has only short
texts its mean is mostly style, so centring pulled Dutch titles away from their English
sources: 71 → 57 % of the pairs, and 85 instead of 89 % with the vote); a PCA projection, more
k-means starts, splitting oversized topics, fitting the centres on long texts only (none
gained; some lost up to 5 points).

A topic's words are its c-TF-IDF terms (the topic's documents joined as one class document,
weighed against the other topics), per language: English from its English documents, Dutch
from its Dutch ones; a topic with no Dutch document gets the Dutch terms of the whole corpus
closest to it in meaning.

Stable ids. A topic's id is a hash of its core documents (the ones nearest its centre), so the
same input gives the same ids. Given the topics of an earlier run, k-means starts from their
centres and each new topic takes the id of the earlier topic it matches best (Hungarian
assignment on centre similarity, at least MATCH_SIMILARITY): adding a few documents keeps
most ids.

Cross-theme. Each document carries the agenda themes it belongs to (a proposal its theme, a
project its classification). A topic's theme shares are the themes of its documents; its
diversity is Rao–Stirling, Σ_{i≠j} d_ij p_i p_j, with d_ij = 1 − cosine of the centres of
themes i and j; it is cross-theme when at least two themes each hold CROSS_SHARE of it and
CROSS_DOCUMENTS documents. Diversity alone ranks a topic that merely mixes single-theme
documents (a cluster of "excellence" or "twinning" projects from every field, or "climate"
projects the lexicon files under two themes) as high as one whose documents each join themes,
which is what the seed means by a thema-overstijgend topic (3D printing × biotech × sensors in
one project). So cross-theme topics are ranked by diversity × (INTEGRATION_FLOOR +
integration), integration being the share of the topic's documents that carry two or more
themes themselves (the "integration" beside "diversity" of interdisciplinarity studies; Rafols
& Meyer 2010). The floor lets diversity decide among topics whose texts each carry one theme,
as the agenda's own proposals mostly do.

Plain data in, plain data out, no Django.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
from numpy.typing import NDArray

MIN_TOPICS = 2
MAX_TOPICS = 120
SQUARE_ROOT_OF = 2.0  # small corpora: k ≈ sqrt(n / 2)
TOPIC_SIZE = 30  # large corpora: k ≈ n / 30, topics of some 30 texts (see topic_count)
CORE = 5  # documents nearest the centre that name a topic's id
MATCH_SIMILARITY = 0.8  # centre cosine for a topic to keep an earlier topic's id
CROSS_SHARE = 0.15
CROSS_DOCUMENTS = 2
INTEGRATION_FLOOR = 0.1
KEYWORDS = 6
LANGUAGE_SHARE = 0.25  # a topic's words in a language come from its texts in it when they are this share
SEED = 0
NEIGHBOURS = 5  # nearest documents that vote on a document's topic (3 did as well, 7 and more worse)
VOTE_ROUNDS = 5  # it settles in two or three; a cap, since simultaneous moves could alternate
NEIGHBOUR_BLOCK = 2048  # rows of the similarity matrix at a time: 2048 × 16,000 float32 is 130 MB
KEYWORD_PATTERN = r"(?u)\b[^\W\d_]{3,}\b"  # words of three letters or more, no digits
PHRASE_PATTERN = r"(?u)\b[^\W\d_]{4,}\b"


@dataclass(frozen=True)
class Document:
    """One text: `key` unique and stable ("proposal:fof-3", "project:H2020:rcn123"), its
    language ("nl", "en", …), the agenda themes it belongs to and its organisations.
    `translations`: the same text in other languages, as (language, text) pairs; they give the
    topic its words in those languages and play no part in grouping."""

    key: str
    text: str
    language: str = "en"
    themes: tuple[str, ...] = ()
    organisations: tuple[str, ...] = ()
    translations: tuple[tuple[str, str], ...] = ()

    def text_in(self, language: str) -> str:
        """The text in `language`: its own, a translation, or "" when it has none."""
        if self.language == language:
            return self.text
        return next((text for lang, text in self.translations if lang == language), "")


@dataclass(frozen=True)
class Anchor:
    """What a later run needs of a topic to keep its id: the id and the topic's centre."""

    id: str
    centre: tuple[float, ...]


@dataclass(frozen=True)
class Topic:
    """One topic: stable id, its documents (keys, nearest the centre first), its organisations
    (with their number of documents, most first, ties by id), keywords per language, theme
    shares, diversity, and whether it spans themes."""

    id: str
    documents: tuple[str, ...]
    organisations: tuple[tuple[str, int], ...]
    keywords: dict[str, tuple[str, ...]]
    theme_shares: dict[str, float]
    theme_documents: dict[str, int]
    diversity: float  # Rao–Stirling
    integration: float  # share of its documents that carry two or more themes
    is_cross_theme: bool
    centre: NDArray[np.float32] = field(repr=False, compare=False)

    @property
    def label_en(self) -> str:
        return ", ".join(self.keywords.get("en", ())[:3])

    @property
    def label_nl(self) -> str:
        return ", ".join(self.keywords.get("nl", ())[:3])

    @property
    def cross_theme_score(self) -> float:
        """Diversity × (INTEGRATION_FLOOR + integration); ranks the cross-theme topics."""
        return round(self.diversity * (INTEGRATION_FLOOR + self.integration), 6)

    def anchor(self) -> Anchor:
        return Anchor(self.id, tuple(float(x) for x in self.centre))


@dataclass(frozen=True)
class Discovery:
    """The topics of one run (largest first), each document's topic, and the theme distances."""

    topics: list[Topic]
    topic_of: dict[str, str]  # document key → topic id
    theme_distance: dict[tuple[str, str], float]

    def topic_of_document(self, key: str) -> Topic:
        """The topic of a document."""
        wanted = self.topic_of[key]
        return next(t for t in self.topics if t.id == wanted)

    def cross_theme(self) -> list[Topic]:
        """The cross-theme topics, best first by cross_theme_score (ties: larger, then id)."""
        found = [t for t in self.topics if t.is_cross_theme]
        return sorted(found, key=lambda t: (-t.cross_theme_score, -len(t.documents), t.id))


def topic_count(n: int) -> int:
    """How many topics for n documents: sqrt(n / 2) for tens or hundreds of texts (the agenda
    alone: a handful of topics), n / TOPIC_SIZE for thousands, within bounds.

    Why n / 30 for thousands: a cross-theme topic the seed names is a niche of some tens of
    projects in the public data (photovoltaics, 3D printing for medicine); sqrt(n / 2) gave
    topics of 80–180 texts in which such niches drowned in their field. On the CORDIS text
    fixture both niches ranked among the first ten cross-theme topics at every k tried from 75
    to 110, at only one of six tried from 42 to 70, and not at 38 or 120 (measured while
    choosing; tests/integration/test_topic_discovery.py)."""
    if n <= MIN_TOPICS:
        return max(1, n)
    wanted = max(math.sqrt(n / SQUARE_ROOT_OF), n / TOPIC_SIZE)
    return int(min(MAX_TOPICS, max(MIN_TOPICS, round(wanted))))


def discover(
    documents: Sequence[Document],
    vectors: NDArray[np.float32],
    *,
    k: int | None = None,
    previous: Sequence[Anchor] = (),
    extra_phrases: Mapping[str, Sequence[str]] | None = None,
    seed: int = SEED,
    neighbours: int = NEIGHBOURS,
) -> Discovery:
    """Topics of the documents; `vectors` holds one unit embedding per document (row order).
    `previous`: the anchors of an earlier run, whose ids are kept where topics match.
    `extra_phrases`: more candidate label phrases per language (e.g. the theme lexicon).
    `neighbours`: how many nearest documents vote on each document's topic (0: none, the
    k-means topics as they are)."""
    from sklearn.cluster import KMeans

    if len(documents) != len(vectors):
        raise ValueError(f"{len(documents)} documents but {len(vectors)} vectors")
    keys = [d.key for d in documents]
    if len(set(keys)) != len(keys):
        raise ValueError("document keys must be unique")
    order = np.argsort(np.array(keys, dtype=object), kind="stable")  # input order must not matter
    documents = [documents[i] for i in order]
    data = _unit(np.asarray(vectors, dtype=np.float64)[order])
    if not documents:
        return Discovery([], {}, {})
    count = min(k or topic_count(len(documents)), len(documents))
    if previous:  # start from the earlier centres: the same topics come back where the data allows
        start = _start(data, count, previous, seed)
        fit = KMeans(n_clusters=count, init=start, n_init=1, random_state=seed, max_iter=300).fit(data)
    else:
        fit = KMeans(n_clusters=count, init="k-means++", n_init=4, random_state=seed, max_iter=300).fit(data)
    labels = fit.labels_
    # Only where topics hold 4 documents or more on average: in smaller ones most of a document's
    # neighbours belong to other topics, and the vote would dissolve them.
    width = min(neighbours, len(documents) // (2 * count))
    if width >= 2:
        nearest, similarity = _neighbours(data, width)
        labels = _vote(labels, nearest, similarity, count)
    centres = _unit(np.vstack([data[labels == c].mean(axis=0) for c in range(count) if (labels == c).any()]))
    used = [c for c in range(count) if (labels == c).any()]
    renumber = {c: i for i, c in enumerate(used)}
    labels = np.array([renumber[c] for c in labels])
    ids = _ids(data, labels, centres, [documents[i].key for i in range(len(documents))], previous)
    theme_centres = _theme_centres(documents, data)
    distance = _theme_distances(theme_centres)
    words = _keywords(documents, labels, len(centres), centres, extra_phrases)
    topics = []
    for c in range(len(centres)):
        members = np.flatnonzero(labels == c)
        nearest = members[np.argsort(-(data[members] @ centres[c]), kind="stable")]
        shares, counts = _theme_shares([documents[i] for i in members])
        diversity = sum(distance.get((a, b), 0.0) * pa * pb for a, pa in shares.items() for b, pb in shares.items())
        spanning = [t for t, share in shares.items() if share >= CROSS_SHARE and counts[t] >= CROSS_DOCUMENTS]
        topics.append(
            Topic(
                id=ids[c],
                documents=tuple(documents[i].key for i in nearest),
                organisations=_organisations([documents[i] for i in members]),
                keywords=words[c],
                theme_shares=shares,
                theme_documents=dict(counts),
                diversity=round(float(diversity), 6),
                integration=round(
                    sum(1 for i in members if len(set(documents[i].themes)) >= 2) / max(1, len(members)), 6
                ),
                is_cross_theme=len(spanning) >= 2,
                centre=centres[c].astype(np.float32),
            )
        )
    topics.sort(key=lambda t: (-len(t.documents), t.id))
    topic_of = {documents[i].key: ids[labels[i]] for i in range(len(documents))}
    return Discovery(topics, topic_of, distance)


def _unit(matrix: NDArray[np.float64]) -> NDArray[np.float64]:
    norms = np.linalg.norm(matrix, axis=1, keepdims=True)
    return np.divide(matrix, norms, out=np.zeros_like(matrix), where=norms > 0)


def _neighbours(data: NDArray[np.float64], width: int) -> tuple[NDArray[np.int64], NDArray[np.float32]]:
    """Each document's `width` most similar other documents (rows of `data`, most similar
    first) and their cosines; deterministic for the same data."""
    matrix = data.astype(np.float32)  # half the memory and time of float64; the order barely changes
    nearest = np.empty((len(matrix), width), dtype=np.int64)
    similarity = np.empty((len(matrix), width), dtype=np.float32)
    for start in range(0, len(matrix), NEIGHBOUR_BLOCK):
        block = matrix[start : start + NEIGHBOUR_BLOCK] @ matrix.T
        block[np.arange(len(block)), np.arange(start, start + len(block))] = -np.inf  # not itself
        found = np.argpartition(-block, width - 1, axis=1)[:, :width]
        cosines = np.take_along_axis(block, found, axis=1)
        order = np.argsort(-cosines, axis=1, kind="stable")
        nearest[start : start + len(block)] = np.take_along_axis(found, order, axis=1)
        similarity[start : start + len(block)] = np.take_along_axis(cosines, order, axis=1)
    return nearest, similarity


def _vote(
    labels: NDArray[np.int64], nearest: NDArray[np.int64], similarity: NDArray[np.float32], count: int
) -> NDArray[np.int64]:
    """Each document's topic becomes the one its nearest documents hold most, weighed by their
    cosine (at least 0), its own topic weighing 1 and winning ties; repeated until no document
    moves, at most VOTE_ROUNDS times."""
    rows = np.repeat(np.arange(len(labels)), nearest.shape[1])
    weights = np.maximum(similarity, 0.0).ravel().astype(np.float64)
    everyone = np.arange(len(labels))
    for _ in range(VOTE_ROUNDS):
        cells = rows * count + labels[nearest].ravel()
        tally = np.bincount(cells, weights=weights, minlength=len(labels) * count).astype(np.float64, copy=False)
        tally = tally.reshape(len(labels), count)
        tally[everyone, labels] += 1.0
        best = tally.argmax(axis=1)
        moved = np.where(tally[everyone, labels] >= tally[everyone, best], labels, best)
        if (moved == labels).all():
            break
        labels = moved
    return labels


def _start(data: NDArray[np.float64], count: int, previous: Sequence[Anchor], seed: int) -> NDArray[np.float64]:
    """Initial centres: the earlier run's (those still nearest some document), then k-means++
    seeding for the rest; deterministic for a seed."""
    from sklearn.cluster import kmeans_plusplus

    chosen: list[NDArray[np.float64]] = []
    if previous:
        old = _unit(np.array([a.centre for a in previous], dtype=np.float64))
        if old.shape[1] == data.shape[1]:
            nearest = np.argmax(data @ old.T, axis=1)
            alive = sorted(set(nearest.tolist()), key=lambda i: previous[i].id)
            chosen = [old[i] for i in alive][:count]
    if len(chosen) < count:
        seeds, _ = kmeans_plusplus(data, n_clusters=count, random_state=seed)
        for centre in seeds:
            if len(chosen) >= count:
                break
            if not chosen or float(np.max(np.vstack(chosen) @ centre)) < 0.999:
                chosen.append(centre)
    while len(chosen) < count:  # duplicates among the seeds: fill with far documents
        far = int(np.argmin(np.max(data @ np.vstack(chosen).T, axis=1)))
        chosen.append(data[far])
    return np.vstack(chosen)


def _ids(
    data: NDArray[np.float64],
    labels: NDArray[np.int64],
    centres: NDArray[np.float64],
    keys: list[str],
    previous: Sequence[Anchor],
) -> list[str]:
    """An id per topic: the matched earlier id, else a hash of its CORE nearest documents."""
    ids = []
    for c in range(len(centres)):
        members = np.flatnonzero(labels == c)
        nearest = members[np.argsort(-(data[members] @ centres[c]), kind="stable")][:CORE]
        core = "\n".join(sorted(keys[i] for i in nearest))
        ids.append("t" + hashlib.blake2b(core.encode("utf-8"), digest_size=5).hexdigest())
    if previous:
        from scipy.optimize import linear_sum_assignment

        old = _unit(np.array([a.centre for a in previous], dtype=np.float64))
        if old.shape[1] == centres.shape[1]:
            similarity = centres @ old.T
            rows, cols = linear_sum_assignment(-similarity)
            for r, c in zip(rows, cols, strict=True):
                if similarity[r, c] >= MATCH_SIMILARITY:
                    ids[r] = previous[c].id
    seen: Counter[str] = Counter()
    unique = []
    for topic_id in ids:  # a new topic's hash may equal an earlier id kept by another topic
        seen[topic_id] += 1
        unique.append(topic_id if seen[topic_id] == 1 else f"{topic_id}-{seen[topic_id]}")
    return unique


def _organisations(members: Sequence[Document]) -> tuple[tuple[str, int], ...]:
    counts = Counter(o for document in members for o in set(document.organisations))
    return tuple(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def _theme_shares(members: Sequence[Document]) -> tuple[dict[str, float], Counter[str]]:
    """Each theme's share of the topic (a document of several themes splits its weight) and
    how many documents carry it; documents without a theme do not count."""
    weights: dict[str, float] = {}
    counts: Counter[str] = Counter()
    for document in members:
        themes = sorted(set(document.themes))
        for theme in themes:
            weights[theme] = weights.get(theme, 0.0) + 1 / len(themes)
            counts[theme] += 1
    total = sum(weights.values())
    shares = {t: round(w / total, 6) for t, w in sorted(weights.items())} if total else {}
    return shares, counts


def _theme_centres(documents: Sequence[Document], data: NDArray[np.float64]) -> dict[str, NDArray[np.float64]]:
    rows: dict[str, list[int]] = {}
    for i, document in enumerate(documents):
        for theme in set(document.themes):
            rows.setdefault(theme, []).append(i)
    return {t: _unit(data[r].mean(axis=0, keepdims=True))[0] for t, r in sorted(rows.items())}


def _theme_distances(centres: Mapping[str, NDArray[np.float64]]) -> dict[tuple[str, str], float]:
    """d_ij = 1 − cosine of the theme centres, for i ≠ j (in [0, 2])."""
    return {(a, b): round(float(1.0 - centres[a] @ centres[b]), 6) for a in centres for b in centres if a != b}


def _keywords(
    documents: Sequence[Document],
    labels: NDArray[np.int64],
    count: int,
    centres: NDArray[np.float64],
    extra_phrases: Mapping[str, Sequence[str]] | None,
) -> list[dict[str, tuple[str, ...]]]:
    """Per topic, KEYWORDS c-TF-IDF terms per language of its documents in that language; a
    topic with too few Dutch documents gets the Dutch phrases nearest its centre in meaning."""
    found: list[dict[str, tuple[str, ...]]] = [{} for _ in range(count)]
    sizes = np.bincount(labels, minlength=count)
    languages = sorted({d.language for d in documents} | {lang for d in documents for lang, _ in d.translations}
                       | {"en", "nl"})  # fmt: skip
    for language in languages:
        classes = [" ".join(d.text_in(language) for d, c in zip(documents, labels, strict=True) if c == t)
                   for t in range(count)]  # fmt: skip
        terms = _class_terms(classes)
        have = np.bincount([c for d, c in zip(documents, labels, strict=True) if d.text_in(language)], minlength=count)
        for t in range(count):
            # Two Dutch proposals in a topic of two hundred English abstracts describe those
            # two, not the topic: their words would label it ("opleidingsnoden, andere topics").
            if terms[t] and have[t] >= LANGUAGE_SHARE * sizes[t]:
                found[t][language] = terms[t]
    missing = [t for t in range(count) if "nl" not in found[t]]
    if missing:
        phrases = _phrases([text for d in documents if (text := d.text_in("nl"))])
        phrases += [p for p in (extra_phrases or {}).get("nl", ()) if p not in phrases]
        if phrases:
            from trechter.analytics import embeddings

            # cached: the same phrases come back on every run over the same texts
            phrase_vectors = embeddings.encode_cached(phrases).astype(np.float64)
            for t in missing:
                best = np.argsort(-(phrase_vectors @ centres[t]), kind="stable")[:3]
                found[t]["nl"] = tuple(phrases[i] for i in best)
    return found


def _stop_words() -> list[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    from trechter.analytics.recommend import DUTCH_FRENCH_STOP_WORDS

    return sorted(ENGLISH_STOP_WORDS | DUTCH_FRENCH_STOP_WORDS | EXTRA_STOP_WORDS)


# Words every proposal or project says, which name no subject; and the words of CORDIS's
# EuroSciVoc paths that frame a field ("/natural sciences/…") rather than name one.
EXTRA_STOP_WORDS = frozenset((
    "project", "projects", "research", "innovation", "new", "european", "eu", "europe", "develop", "development",
    "based", "aims", "aim", "will", "use", "used", "using", "technology", "technologies", "approach", "nieuwe",
    "onderzoek", "innovatie", "ontwikkeling", "ontwikkelen", "worden", "kunnen", "wordt", "tussen", "waar", "hoe",
    "mogelijk", "gebied", "vlaanderen", "nederland", "nederlandse", "vlaamse", "samenwerking", "partners", "call",
    "programme", "support", "action", "actions", "activities", "objective", "objectives", "field", "fields",
    "sciences", "natural",
))  # fmt: skip


def _class_terms(classes: list[str]) -> list[tuple[str, ...]]:
    """The KEYWORDS best c-TF-IDF terms (1–2 words) of each class document ("" → none)."""
    from sklearn.feature_extraction.text import CountVectorizer

    if sum(1 for c in classes if c.strip()) == 0:
        return [() for _ in classes]
    vectoriser = CountVectorizer(
        ngram_range=(1, 2), stop_words=_stop_words(), strip_accents=None, token_pattern=KEYWORD_PATTERN
    )
    try:
        counts = vectoriser.fit_transform(classes).astype(np.float64)
    except ValueError:
        return [() for _ in classes]
    vocabulary = vectoriser.get_feature_names_out()
    # c-TF-IDF: term frequency within the class × log(1 + mean words per class / term frequency overall)
    frequency = np.asarray(counts.sum(axis=0)).ravel()
    mean_words = counts.sum() / max(1, sum(1 for c in classes if c.strip()))
    idf = np.log1p(mean_words / np.maximum(frequency, 1))
    lengths = np.asarray(counts.sum(axis=1)).ravel()
    result: list[tuple[str, ...]] = []
    for row in range(len(classes)):
        if lengths[row] == 0:
            result.append(())
            continue
        line = counts.getrow(row)
        scores = line.data / lengths[row] * idf[line.indices]
        ranked = line.indices[np.lexsort((line.indices, -scores))]
        result.append(_without_parts([str(vocabulary[i]) for i in ranked[: KEYWORDS * 3]])[:KEYWORDS])
    return result


def _without_parts(terms: list[str]) -> tuple[str, ...]:
    """Terms without a single word already inside a better two-word term, nor repeats."""
    kept: list[str] = []
    for term in terms:
        words = term.split()
        if any(term in k.split() or (len(words) == 2 and set(words) <= set(k.split())) for k in kept):
            continue
        if len(words) == 2 and any(k in words for k in kept):
            kept = [k for k in kept if k not in words]
        kept.append(term)
    return tuple(kept)


def _phrases(texts: Sequence[str], limit: int = 1500) -> list[str]:
    """Candidate label phrases: the most frequent 1–2-word terms of the texts."""
    from sklearn.feature_extraction.text import CountVectorizer

    if not any(t.strip() for t in texts):
        return []
    vectoriser = CountVectorizer(
        ngram_range=(1, 2), stop_words=_stop_words(), token_pattern=PHRASE_PATTERN, max_features=limit
    )
    try:
        vectoriser.fit(texts)
    except ValueError:
        return []
    return [str(term) for term in vectoriser.get_feature_names_out()]


def as_anchors(topics: Sequence[Topic]) -> list[Anchor]:
    """The anchors of a run's topics, for the next run."""
    return [t.anchor() for t in topics]


def summary(found: Discovery) -> dict[str, Any]:
    """Counts for printing."""
    return {
        "topics": len(found.topics),
        "cross_theme": sum(1 for t in found.topics if t.is_cross_theme),
        "documents": len(found.topic_of),
    }
