"""Reads for topic discovery: the corpus (agenda texts and EU project texts with their themes
and organisations) and the topics of the latest run for the pages."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from trechter.actors.models import Organisation
from trechter.agenda.models import Activity, Proposal, SubPriority
from trechter.analytics import embeddings, topics
from trechter.assessment.models import AssessmentRound
from trechter.evidence.models import CordisOrganisation, Participation, Project, ProjectEmbedding, ProjectTheme
from trechter.topics.models import Topic, TopicDocument, TopicOrganisation, TopicRun

NEAR_SIDES = ("NL", "VL")  # the organisations a topic lists: the agenda's two sides


@dataclass(frozen=True)
class Source:
    """Where a document of the corpus comes from, for storing and showing it."""

    kind: str
    title: str
    title_en: str = ""
    proposal_id: int | None = None
    project_id: int | None = None


@dataclass(frozen=True)
class OrganisationInfo:
    side: str
    name: str
    kind: str
    organisation_id: int | None = None
    cordis_id: int | None = None


@dataclass
class Corpus:
    documents: list[topics.Document]
    sources: dict[str, Source]
    organisations: dict[str, OrganisationInfo]  # "org:<key>" / "cordis:<org_id>" → who
    project_vectors: dict[str, NDArray[np.float32]]  # document key → stored embedding

    def vectors(self) -> NDArray[np.float32]:
        """One unit vector per document in order: stored for projects, encoded now for agenda texts."""
        missing = [d for d in self.documents if d.key not in self.project_vectors]
        encoded = dict(zip((d.key for d in missing), embeddings.encode_cached([d.text for d in missing]), strict=True))
        rows = [
            self.project_vectors[d.key] if d.key in self.project_vectors else encoded[d.key] for d in self.documents
        ]
        return np.vstack(rows).astype(np.float32) if rows else np.zeros((0, embeddings.DIMENSIONS), np.float32)


def corpus() -> Corpus:
    """Every agenda text (proposals, activities, sub-priorities; Dutch) and every imported EU
    project with a stored embedding, with themes and Dutch/Flemish organisations."""
    documents: list[topics.Document] = []
    sources: dict[str, Source] = {}
    organisations: dict[str, OrganisationInfo] = {}

    def agenda_org(organisation: Organisation) -> str | None:
        if organisation.side not in NEAR_SIDES:
            return None
        key = f"org:{organisation.key}"
        organisations[key] = OrganisationInfo(organisation.side, organisation.name, organisation.type, organisation.pk)
        return key

    def add(document: topics.Document, source: Source) -> None:
        if embeddings.prepare(document.text):
            documents.append(document)
            sources[document.key] = source

    proposals = Proposal.objects.select_related("theme").prefetch_related("other_themes", "parties__organisation")
    for proposal in proposals.order_by("key"):
        themes = (proposal.theme.key, *(t.key for t in proposal.other_themes.all()))
        orgs = tuple(k for p in proposal.parties.all() if (k := agenda_org(p.organisation)))
        text = ". ".join(part for part in (proposal.title_nl, proposal.summary_nl) if part)
        english = ". ".join(part for part in (proposal.title_en, proposal.summary_en) if part)
        add(topics.Document(f"proposal:{proposal.key}", text, "nl", themes, orgs, _english(english)),
            Source(TopicDocument.PROPOSAL, proposal.title_nl, proposal.title_en, proposal_id=proposal.pk))  # fmt: skip
    for activity in Activity.objects.select_related("theme").prefetch_related("organisations").order_by("key"):
        orgs = tuple(k for o in activity.organisations.all() if (k := agenda_org(o)))
        add(topics.Document(f"activity:{activity.key}", activity.text_nl, "nl", (activity.theme.key,), orgs,
                            _english(activity.text_en)),
            Source(TopicDocument.ACTIVITY, activity.text_nl[:300], activity.text_en[:300]))  # fmt: skip
    for sub in SubPriority.objects.select_related("theme").order_by("theme__key", "key"):
        text = ". ".join(part for part in (sub.title_nl, sub.description_nl) if part)
        add(topics.Document(f"sub_priority:{sub.theme.key}:{sub.key}", text, "nl", (sub.theme.key,), (),
                            _english(sub.title_en)),
            Source(TopicDocument.SUB_PRIORITY, sub.title_nl, sub.title_en))  # fmt: skip
    project_vectors = _add_projects(add, organisations)
    return Corpus(documents, sources, organisations, project_vectors)


def _english(text: str) -> tuple[tuple[str, str], ...]:
    """The English version of an agenda text, for the topic's English words (when there is one)."""
    return (("en", text),) if text.strip() else ()


def _add_projects(
    add: Callable[[topics.Document, Source], None], organisations: dict[str, OrganisationInfo]
) -> dict[str, NDArray[np.float32]]:
    """The embedded projects, their themes and their Dutch/Flemish participants (five queries)."""
    themes: dict[int, list[str]] = defaultdict(list)
    for project_id, theme_key in ProjectTheme.objects.order_by("theme__key").values_list("project_id", "theme__key"):
        themes[project_id].append(theme_key)
    near = CordisOrganisation.objects.filter(side__in=NEAR_SIDES)
    for pk, org_id, name, side, activity_type in near.values_list("pk", "org_id", "name", "side", "activity_type"):
        organisations[f"cordis:{org_id}"] = OrganisationInfo(side, name, activity_type, cordis_id=pk)
    members: dict[int, set[str]] = defaultdict(set)
    participations = Participation.objects.filter(organisation__side__in=NEAR_SIDES)
    for project_id, org_id in participations.values_list("project_id", "organisation__org_id"):
        members[project_id].add(f"cordis:{org_id}")
    vectors = dict(ProjectEmbedding.objects.values_list("project_id", "vector"))
    fields = ("pk", "key", "acronym", *embeddings.PROJECT_TEXT_FIELDS)
    found: dict[str, NDArray[np.float32]] = {}
    for row in Project.objects.filter(pk__in=list(vectors)).order_by("key").values(*fields).iterator(chunk_size=2000):
        key = f"project:{row['key']}"
        title = f"{row['acronym']}: {row['title']}" if row["acronym"] and row["title"] else row["title"] or row["key"]
        add(topics.Document(key, embeddings.project_text(row), "en", tuple(themes[row["pk"]]),
                            tuple(sorted(members[row["pk"]]))),
            Source(TopicDocument.PROJECT, title[:500], project_id=row["pk"]))  # fmt: skip
        found[key] = embeddings.from_bytes(bytes(vectors[row["pk"]]))
    return found


def latest_run() -> TopicRun | None:
    """The latest finished run, or None before the first."""
    return TopicRun.objects.finished().first()


def previous_anchors() -> list[topics.Anchor]:
    """The anchors of the latest finished run's topics, so the next run keeps their ids."""
    run = latest_run()
    if run is None:
        return []
    return [
        topics.Anchor(key, tuple(float(x) for x in np.frombuffer(bytes(centre), dtype=np.float32)))
        for key, centre in run.topics.order_by("key").values_list("key", "centre")
    ]


def topic_list(run: TopicRun, *, theme: str | None = None, cross_theme_only: bool = False) -> list[Topic]:
    """The run's topics, cross-theme ones by their rank first when asked, else largest first."""
    found = run.topics.all()
    if cross_theme_only:
        found = found.filter(is_cross_theme=True).order_by("cross_theme_rank")
    topics_ = list(found)
    if theme:
        topics_ = [t for t in topics_ if t.theme_shares.get(theme, 0) > 0]
    return topics_


def topic_documents(topic: Topic, *, projects: bool, limit: int | None = None) -> list[TopicDocument]:
    """The topic's EU projects or its agenda texts, nearest the centre first."""
    found = (
        topic.documents.filter(kind=TopicDocument.PROJECT)
        if projects
        else topic.documents.exclude(kind=TopicDocument.PROJECT)
    )
    found = found.select_related("proposal").order_by("position")
    return list(found[:limit] if limit else found)


def open_rounds() -> list[AssessmentRound]:
    """The rounds a discovered topic can still be added to."""
    return list(AssessmentRound.objects.filter(status=AssessmentRound.OPEN, is_recorded=False).order_by("-created_at"))


def topic_organisations(topic: Topic) -> list[TopicOrganisation]:
    return list(topic.organisations.select_related("organisation", "cordis").order_by("-document_count", "name"))
