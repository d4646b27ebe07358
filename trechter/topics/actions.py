"""Changes to the discovered topics: one discovery run over the agenda's and the projects' texts."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from django.db import transaction
from django.utils import timezone

from trechter.analytics import themes, topic_map, topics
from trechter.topics import queries
from trechter.topics.models import Topic, TopicDocument, TopicOrganisation, TopicRun
from trechter.versions import stamps

Progress = Callable[[str, int, int], None]
KEEP_RUNS = 3  # the latest runs kept (each holds every text's place: ~16,000 rows on the public data)


def _no_progress(step: str, done: int, total: int) -> None:
    return None


class NothingToDiscover(Exception):
    """No agenda text and no embedded project text to discover topics in."""


@dataclass(frozen=True)
class RunSummary:
    run: TopicRun
    kept: int  # topics that kept an id of the previous run
    previous: int  # topics of the previous run


def discover_topics(*, by: str = "", progress: Progress = _no_progress) -> RunSummary:
    """Discover the topics of all stored texts and store them as a new finished run; the
    previous run's topic ids are kept where topics match. The run is written in one
    transaction: a failed run leaves the previous one in place."""
    progress("reading texts", 0, 1)
    corpus = queries.corpus()
    if not corpus.documents:
        raise NothingToDiscover("no agenda texts and no embedded project texts; run import-cordis first")
    progress("reading texts", 1, 1)
    vectors = corpus.vectors()
    anchors = queries.previous_anchors()
    progress("discovering topics", 0, 1)
    found = topics.discover(corpus.documents, vectors, previous=anchors, extra_phrases=_dutch_phrases())
    progress("discovering topics", 1, 1)
    ranking = {t.id: rank for rank, t in enumerate(found.cross_theme(), start=1)}
    plane = topic_map.plane(np.vstack([t.centre for t in found.topics]))
    kept = len({a.id for a in anchors} & {t.id for t in found.topics})
    run = _store(corpus, found, vectors, ranking, plane, kept, by, progress)
    stamps.renew()
    return RunSummary(run, kept, len(anchors))


@transaction.atomic
def _store(
    corpus: queries.Corpus,
    found: topics.Discovery,
    vectors: np.ndarray,
    ranking: dict[str, int],
    plane: np.ndarray,
    kept: int,
    by: str,
    progress: Progress,
) -> TopicRun:
    run = TopicRun.objects.create(started_by=by[:150], kept_count=kept)
    row_of = {d.key: i for i, d in enumerate(corpus.documents)}
    document_of = {d.key: d for d in corpus.documents}
    stored = []
    for i, found_topic in enumerate(found.topics):
        sources = [corpus.sources[k] for k in found_topic.documents]
        stored.append(
            Topic(
                run=run,
                key=found_topic.id,
                label_en=found_topic.label_en[:300],
                label_nl=found_topic.label_nl[:300],
                keywords={k: list(v) for k, v in found_topic.keywords.items()},
                theme_shares=found_topic.theme_shares,
                theme_documents=found_topic.theme_documents,
                diversity=found_topic.diversity,
                cross_theme_score=found_topic.cross_theme_score,
                is_cross_theme=found_topic.is_cross_theme,
                size_rank=i + 1,
                cross_theme_rank=ranking.get(found_topic.id),
                document_count=len(found_topic.documents),
                proposal_count=sum(1 for s in sources if s.kind != TopicDocument.PROJECT),
                project_count=sum(1 for s in sources if s.kind == TopicDocument.PROJECT),
                x=round(float(plane[i, 0]), 5),
                y=round(float(plane[i, 1]), 5),
                centre=found_topic.centre.astype(np.float32).tobytes(),
            )
        )
    Topic.objects.bulk_create(stored, batch_size=500)
    documents, organisations = [], []
    for done, (found_topic, topic) in enumerate(zip(found.topics, stored, strict=True)):
        centre = found_topic.centre.astype(np.float64)
        centre /= np.linalg.norm(centre) or 1.0
        for position, key in enumerate(found_topic.documents):
            source, document = corpus.sources[key], document_of[key]
            documents.append(
                TopicDocument(
                    topic=topic,
                    key=key[:120],
                    kind=source.kind,
                    title=source.title[:500],
                    title_en=source.title_en[:500],
                    language=document.language,
                    themes=list(document.themes),
                    position=position + 1,
                    similarity=round(float(vectors[row_of[key]] @ centre), 5),
                    proposal_id=source.proposal_id,
                    project_id=source.project_id,
                )
            )
        for key, count in found_topic.organisations:
            who = corpus.organisations.get(key)
            if who is not None:
                organisations.append(
                    TopicOrganisation(
                        topic=topic,
                        side=who.side,
                        name=who.name[:500],
                        kind=who.kind,
                        document_count=count,
                        organisation_id=who.organisation_id,
                        cordis_id=who.cordis_id,
                    )
                )
        progress("storing topics", done + 1, len(stored))
    TopicDocument.objects.bulk_create(documents, batch_size=2000)
    TopicOrganisation.objects.bulk_create(organisations, batch_size=2000)
    run.status = TopicRun.FINISHED
    run.finished_at = timezone.now()
    run.document_count = len(corpus.documents)
    run.topic_count = len(stored)
    run.cross_theme_count = sum(1 for t in stored if t.is_cross_theme)
    run.summary = {**topics.summary(found), "kinds": _kinds(corpus)}
    run.save()
    # Older runs go: pages read the latest, and candidates name topics by their stable id.
    older = TopicRun.objects.exclude(pk__in=list(TopicRun.objects.values_list("pk", flat=True)[:KEEP_RUNS]))
    older.delete()
    return run


def _kinds(corpus: queries.Corpus) -> dict[str, int]:
    counts: dict[str, int] = {}
    for source in corpus.sources.values():
        counts[source.kind] = counts.get(source.kind, 0) + 1
    return dict(sorted(counts.items()))


def _dutch_phrases() -> dict[str, list[str]]:
    """The theme lexicon's Dutch terms (without their * wildcards), as candidate Dutch labels."""
    lexicon = themes.Lexicon.load()
    phrases = sorted(
        {
            term.text.strip("*").strip()
            for theme in lexicon.themes
            for term in theme.terms
            if term.language == "nl" and len(term.text.strip("*")) >= 4
        }
    )
    return {"nl": phrases}
