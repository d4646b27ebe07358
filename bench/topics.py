"""Topic discovery (issue 7) on all public CORDIS texts: time, id stability and NL/EN
paraphrase agreement against a bag-of-words baseline measured in the same run.

    .venv/bin/python bench/topics.py

Reads ../shared/data/cordis/*_projects.csv.gz and *_participations.csv.gz with
trechter.analytics.evaluation.read_files (themes from the agenda's lexicon), embeds every
project text (analytics.embeddings), then:
- discovery: trechter.analytics.topics.discover on all texts (the embeddings are stored at
  import in the app, so they are timed apart). Target ≤ 60 s.
- stability: topics of a random 95 % of the texts, then of all of them with the first run's
  anchors; the share of first-run topics whose id survives. Target ≥ 80 %.
- paraphrases: the 65 Dutch/English title pairs of tests/data/paraphrases added to the
  corpus; the share of pairs whose two texts land in one topic (target ≥ 85 %), and the same
  chance-corrected ((agreement − chance) / (1 − chance), chance = Σ share² of topic sizes),
  for ours (k-means, then each document takes the topic of most of its nearest documents), for
  ours without that vote (neighbours=0: k-means alone, what the vote adds) and for a bag of
  words (TF-IDF + k-means with the same k), since a clustering that puts most texts in one
  topic "agrees" by size alone.
Targets are printed next to the figures, never asserted. Source: CORDIS, © European Union.
"""

from __future__ import annotations

import csv
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from trechter.analytics import embeddings, evaluation, topics  # noqa: E402

CORDIS = ROOT.parent / "shared" / "data" / "cordis"
PARAPHRASES = ROOT / "tests" / "data" / "paraphrases" / "cordis_titles_nl_en.csv"
TIME_TARGET = 60.0
KEEP_TARGET = 0.8
AGREEMENT_TARGET = 0.85


def chance(sizes: np.ndarray) -> float:
    share = sizes / sizes.sum()
    return float(share @ share)


def main() -> None:
    start = time.perf_counter()
    data = evaluation.read_files(
        sorted(CORDIS.glob("*_projects.csv.gz")) + sorted(CORDIS.glob("*_participations.csv.gz")), embed=False
    )
    keys = sorted(k for k, p in data.projects.items() if embeddings.prepare(p.text))
    documents = [topics.Document(f"project:{k}", data.projects[k].text, "en", data.projects[k].themes) for k in keys]
    print(f"read {len(documents):,} project texts: {time.perf_counter() - start:.1f} s")
    start = time.perf_counter()
    vectors = embeddings.encode([d.text for d in documents])
    print(f"embedded: {time.perf_counter() - start:.1f} s")

    start = time.perf_counter()
    found = topics.discover(documents, vectors)
    took = time.perf_counter() - start
    print(
        f"\ndiscovery: {took:.1f} s (target ≤ {TIME_TARGET:.0f} s: {'met' if took <= TIME_TARGET else 'NOT met'}); "
        f"{topics.summary(found)}"
    )
    for topic in found.cross_theme()[:10]:
        shares = ", ".join(f"{k} {v:.0%}" for k, v in sorted(topic.theme_shares.items(), key=lambda kv: -kv[1]))
        size = len(topic.documents)
        print(
            f"  {topic.id} {size:>4} docs  score {topic.cross_theme_score:.3f} (diversity {topic.diversity:.3f}, "
            f"integration {topic.integration:.2f})  {shares}  | {topic.label_en}"
        )

    rng = np.random.default_rng(1)
    part = np.sort(rng.choice(len(documents), size=int(len(documents) * 0.95), replace=False))
    first = topics.discover([documents[i] for i in part], vectors[part])
    start = time.perf_counter()
    later = topics.discover(documents, vectors, previous=topics.as_anchors(first.topics))
    kept = len({t.id for t in first.topics} & {t.id for t in later.topics}) / len(first.topics)
    fresh = topics.discover(documents, vectors)
    kept_fresh = len({t.id for t in first.topics} & {t.id for t in fresh.topics}) / len(first.topics)
    print(
        f"\nstability: 5 % more texts keep {kept:.0%} of {len(first.topics)} topic ids with the earlier anchors "
        f"(target ≥ {KEEP_TARGET:.0%}: {'met' if kept >= KEEP_TARGET else 'NOT met'}); "
        f"without anchors {kept_fresh:.0%} ({time.perf_counter() - start:.1f} s)"
    )

    with PARAPHRASES.open(encoding="utf-8") as handle:
        pairs = list(csv.DictReader(handle))
    extra = [
        topics.Document(f"pair:{language}:{p['key']}", p[language], language)
        for p in pairs
        for language in ("en", "nl")
    ]
    everything = documents + extra
    matrix = np.vstack([vectors, embeddings.encode([d.text for d in extra])])
    ours = topics.discover(everything, matrix)
    agree = np.mean([ours.topic_of[f"pair:en:{p['key']}"] == ours.topic_of[f"pair:nl:{p['key']}"] for p in pairs])
    ours_chance = chance(np.array([len(t.documents) for t in ours.topics]))
    plain = topics.discover(everything, matrix, neighbours=0)
    plain_agree = np.mean(
        [plain.topic_of[f"pair:en:{p['key']}"] == plain.topic_of[f"pair:nl:{p['key']}"] for p in pairs]
    )
    plain_chance = chance(np.array([len(t.documents) for t in plain.topics]))

    from sklearn.cluster import KMeans
    from sklearn.feature_extraction.text import TfidfVectorizer

    words = TfidfVectorizer(sublinear_tf=True, min_df=2, stop_words=topics._stop_words())
    labels = (
        KMeans(n_clusters=len(ours.topics), n_init=4, random_state=topics.SEED)  # as ours
        .fit(words.fit_transform([d.text for d in everything]))
        .labels_
    )
    index = {d.key: i for i, d in enumerate(everything)}
    bow = np.mean([labels[index[f"pair:en:{p['key']}"]] == labels[index[f"pair:nl:{p['key']}"]] for p in pairs])
    bow_chance = chance(np.bincount(labels).astype(np.float64))
    print(f"\nparaphrases: {len(pairs)} Dutch/English pairs, {len(ours.topics)} topics")
    print(f"{'':24}{'agreement':>11}{'chance':>9}{'corrected':>11}")
    for name, value, base in (
        ("ours (embeddings)", agree, ours_chance),
        ("  without the vote", plain_agree, plain_chance),
        ("bag of words", bow, bow_chance),
    ):
        print(f"  {name:22}{value:>11.1%}{base:>9.1%}{(value - base) / (1 - base):>11.1%}")
    print(f"agreement target ≥ {AGREEMENT_TARGET:.0%}: {'met' if agree >= AGREEMENT_TARGET else 'NOT met'}")


if __name__ == "__main__":
    main()
