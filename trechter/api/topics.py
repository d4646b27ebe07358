"""Discovered topics (the latest run) and assessment rounds with their results."""

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Router, Schema
from ninja.pagination import LimitOffsetPagination, paginate

from trechter.api.auth import READ_AUTH
from trechter.api.common import caller, require
from trechter.api.schemas import Detail
from trechter.assessment import results
from trechter.assessment.models import AssessmentRound
from trechter.topics import queries

router = Router(tags=["topics and assessment"])


class TopicItem(Schema):
    key: str
    label_en: str
    label_nl: str
    keywords: dict[str, list[str]]
    theme_shares: dict[str, float]
    diversity: float
    is_cross_theme: bool
    cross_theme_score: float
    cross_theme_rank: int | None
    document_count: int
    proposal_count: int
    project_count: int


class TopicDocumentOut(Schema):
    key: str
    kind: str
    title: str
    title_en: str
    language: str
    themes: list[str]
    similarity: float


class TopicOrganisationOut(Schema):
    side: str
    name: str
    kind: str
    document_count: int
    cordis_id: str | None
    agenda_key: str | None


class TopicDetail(TopicItem):
    documents: list[TopicDocumentOut]
    organisations: list[TopicOrganisationOut]


class RankedCandidate(Schema):
    key: str
    title_nl: str
    title_en: str
    topic_key: str
    rank: int | None
    topsis_score: float | None
    p_rank_1: float | None
    p_top_3: float | None
    mean_disagreement: float
    values: dict[str, float | None]


class RoundResults(Schema):
    key: str
    title_nl: str
    title_en: str
    status: str
    is_recorded: bool
    weights: dict[str, float]
    groups: list[str]
    draws: int
    candidates: list[RankedCandidate]


TOPIC_FIELDS = tuple(f for f in TopicItem.model_fields)


def _topic(topic: Any) -> dict[str, Any]:
    return {name: getattr(topic, name) for name in TOPIC_FIELDS}


@router.get("/topics", response=list[TopicItem], auth=READ_AUTH,
            summary="Topics of the latest discovery run; ?cross_theme=true: the cross-theme ones by rank")  # fmt: skip
@paginate(LimitOffsetPagination)
def topic_list(request: HttpRequest, cross_theme: bool = False) -> Any:
    run = queries.latest_run()
    return [_topic(t) for t in queries.topic_list(run, cross_theme_only=cross_theme)] if run else []


@router.get("/topics/{key}", response={200: TopicDetail, 404: Detail}, auth=READ_AUTH,
            summary="One topic: its texts (nearest first) and Dutch and Flemish organisations")  # fmt: skip
def topic_detail(request: HttpRequest, key: str) -> dict[str, Any]:
    run = queries.latest_run()
    topic = run.topics.filter(key=key).first() if run else None
    if topic is None:
        raise Http404(f"No topic '{key}' in the latest run.")
    documents = queries.topic_documents(topic, projects=False) + queries.topic_documents(topic, projects=True)
    return {
        **_topic(topic),
        "documents": [
            {"key": d.key, "kind": d.kind, "title": d.title, "title_en": d.title_en, "language": d.language,
             "themes": d.themes, "similarity": d.similarity}
            for d in sorted(documents, key=lambda d: d.position)
        ],
        "organisations": [
            {"side": o.side, "name": o.name, "kind": o.kind, "document_count": o.document_count,
             "cordis_id": o.cordis.org_id if o.cordis else None,
             "agenda_key": o.organisation.key if o.organisation else None}
            for o in queries.topic_organisations(topic)
        ],
    }  # fmt: skip


@router.get(
    "/assessment-rounds/{key}",
    response={200: RoundResults, 401: Detail, 403: Detail, 404: Detail},
    auth=READ_AUTH,
    summary="A round's ranking, rank acceptability and values per top-level criterion",
)
def round_results(request: HttpRequest, key: str) -> dict[str, Any]:
    round_ = AssessmentRound.objects.filter(key=key).first()
    if round_ is None:
        raise Http404(f"No assessment round '{key}'.")
    if not caller(request).has_perm("assessment.view_round", round_):
        require(request, "assessment.view_round", round_)  # 401 for visitors, 403 for others
    outcome = results.round_results(round_, with_evidence=False)
    return {
        "key": round_.key, "title_nl": round_.title_nl, "title_en": round_.title_en, "status": round_.status,
        "is_recorded": round_.is_recorded, "weights": outcome.weights, "groups": outcome.groups,
        "draws": outcome.draws,
        "candidates": [
            {"key": r.candidate.key, "title_nl": r.candidate.title_nl, "title_en": r.candidate.title_en,
             "topic_key": r.candidate.topic_key, "rank": r.rank, "topsis_score": r.score, "p_rank_1": r.p_first,
             "p_top_3": r.p_top3, "mean_disagreement": r.mean_spread,
             "values": dict(zip((c.key for c in outcome.criteria), r.values or [None] * len(outcome.criteria),
                                strict=True))}
            for r in outcome.rows
        ],
    }  # fmt: skip
