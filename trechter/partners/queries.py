"""Partner recommendations from the imported EU projects, for the pages."""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.utils.translation import get_language, gettext, ngettext
from django.utils.translation import gettext_lazy as _

from trechter.actors.models import Organisation
from trechter.agenda.models import Proposal, Theme
from trechter.analytics import embeddings, evaluation, recommend, themes
from trechter.evidence.models import CordisOrganisation, OrganisationLink, Project
from trechter.evidence.queries import VISIBLE_LINKS, evidence_stamp
from trechter.partners import data
from trechter.partners.forms import ROLE_TYPES, WANTED_SIDES
from trechter.partners.models import RecommenderWeights

UNNAMED_SPARE = 10
_lock = threading.Lock()
_model: tuple[str, recommend.Model] | None = None


@dataclass(frozen=True)
class Status:
    is_ready: bool  # weights learnt and projects imported
    weights: RecommenderWeights | None


def status() -> Status:
    weights = RecommenderWeights.objects.first()
    return Status(is_ready=weights is not None, weights=weights)


def model() -> recommend.Model | None:
    """The recommendation model of the imported projects with the latest learnt weights; built
    once per process and evidence stamp (seconds on the full data), None before any training."""
    global _model
    weights = RecommenderWeights.objects.first()
    if weights is None or tuple(weights.names) != recommend.FEATURES:
        return None  # never trained, or trained for other features: train again
    stamp = f"{evidence_stamp()}:{weights.pk}"
    with _lock:  # one build at a time; the others wait for it instead of building too
        if _model is None or _model[0] != stamp:
            learnt = recommend.Weights(
                names=tuple(weights.names),
                warm=tuple(weights.warm),
                cold=tuple(weights.cold),
                foreign=tuple(weights.foreign),
            )
            _model = (stamp, evaluation.build_model(data.dataset(), learnt))
        return _model[1]


@dataclass(frozen=True)
class Found:
    """One recommended organisation with its CORDIS record and its reasons in plain words."""

    recommendation: recommend.Recommendation
    organisation: CordisOrganisation
    reasons: list[str]


@dataclass(frozen=True)
class Search:
    """What was asked (as the model reads it) and what was found, best first."""

    query: recommend.Query
    partners: list[CordisOrganisation]  # the partners on board, as CORDIS knows them
    found: list[Found]
    theme_names: dict[str, str]

    @property
    def themes(self) -> list[str]:
        """The names of the themes the query was read as."""
        return [self.theme_names.get(key, key) for key in self.query.themes]


@dataclass(frozen=True)
class Request:
    """What the visitor asked: a proposal and/or text, theme, TRL range, partners on board,
    the side wanted and the kinds of organisation (keys of forms.ROLE_TYPES)."""

    proposal: Proposal | None = None
    text: str = ""
    theme: Theme | None = None
    trl: tuple[int | None, int | None] = (None, None)
    side: str = "VL"
    roles: tuple[str, ...] = ()
    partners: tuple[Organisation, ...] = ()


def query_of(
    request: Request, sides: tuple[str, ...] | None = None
) -> tuple[recommend.Query, list[CordisOrganisation]]:
    """The model's query for a request, and the partners on board as CORDIS records. A proposal
    fills in what is left empty: its titles and summaries, theme, TRL range and parties. Dutch
    text reaches the model through its multilingual embedding (analytics.embeddings) and the
    agenda's bilingual theme lexicon (analytics.themes)."""
    text, theme, trl, partners = request.text, request.theme, request.trl, list(request.partners)
    proposal = request.proposal
    if proposal is not None:
        parts = (proposal.title_en, proposal.summary_en, proposal.title_nl, proposal.summary_nl)
        text = text or " ".join(part for part in parts if part)
        theme = theme or proposal.theme
        trl = (trl[0] or proposal.trl_from, trl[1] or proposal.trl_to)
        partners = partners or [party.organisation for party in proposal.parties.select_related("organisation")]
    on_board = _cordis_records(partners)
    themes_found = {
        a.theme for a in themes.classify(themes.ProjectText(key="query", title=text), themes.Lexicon.default())
    }
    query = recommend.Query(
        text=text,
        themes=tuple(sorted(themes_found | ({theme.key} if theme else set()))),
        partners=tuple(o.org_id for o in on_board),
        sides=sides or WANTED_SIDES[request.side],
        home_side=None if sides or request.side == "both" else ("VL" if request.side == "NL" else "NL"),
        activity_types=tuple(t for role in request.roles for t in ROLE_TYPES[role]),
        trl=(trl[0] or 1, trl[1] or 9) if trl[0] or trl[1] else None,
        embedding=embeddings.to_bytes(embeddings.encode([text])[0]) if embeddings.prepare(text) else b"",
        language=embeddings.language_of(text),
    )
    return query, on_board


def search(request: Request, *, limit: int = 20) -> Search | None:
    """The `limit` best partners for the request; None before the model is trained."""
    built = model()
    if built is None:
        return None
    query, on_board = query_of(request)
    # A few more than asked: records that CORDIS lists without a name cannot be contacted.
    ranked = recommend.recommend(built, query, limit=limit + UNNAMED_SPARE)
    records = {o.org_id: o for o in CordisOrganisation.objects.filter(org_id__in=_mentioned(ranked))}
    named = [r for r in ranked if r.org_id in records and is_named(records[r.org_id])][:limit]
    names = theme_names()
    described = describe_all([r.reasons for r in named], records, names)
    found = [Found(r, records[r.org_id], words) for r, words in zip(named, described, strict=True)]
    return Search(query=query, partners=on_board, found=found, theme_names=names)


def is_named(record: CordisOrganisation) -> bool:
    """False for records CORDIS gives no name (the name is then the id)."""
    return bool(record.name) and record.name != record.org_id


def _cordis_records(organisations: list[Organisation]) -> list[CordisOrganisation]:
    """The canonical CORDIS records the agenda organisations are linked to (accepted or confirmed)."""
    links = OrganisationLink.objects.filter(organisation__in=organisations, status__in=VISIBLE_LINKS)
    records = {}
    for link in links.select_related("cordis__same_as").order_by("cordis__org_id"):
        record = link.cordis.same_as or link.cordis
        records[record.org_id] = record
    return list(records.values())


def _mentioned(ranked: list[recommend.Recommendation]) -> set[str]:
    return {r.org_id for r in ranked} | {reason.with_org for r in ranked for reason in r.reasons if reason.with_org}


ACTIVITY_NAMES = {
    "PRC": _("company"),
    "HES": _("university or college"),
    "REC": _("research organisation"),
    "PUB": _("public body"),
    "OTH": _("organisation"),
}


def theme_names() -> dict[str, str]:
    """Theme key → its name in the reader's language (Dutch where no English name is given)."""
    english = get_language() == "en"
    return {t.key: t.name_en if english and t.name_en else t.name_nl for t in Theme.objects.all()}


def describe_all(
    reasons: list[tuple[recommend.Reason, ...]], records: dict[str, CordisOrganisation], themes: dict[str, str]
) -> list[list[str]]:
    """describe() for lists of reasons, reading the projects they name in one query."""
    close = {reason.detail for group in reasons for reason in group if reason.kind == "similar_project"}
    projects = {p.key: p for p in Project.objects.filter(key__in=close)} if close else {}
    return [[describe(reason, records, themes, projects) for reason in group] for group in reasons]


def describe(
    reason: recommend.Reason,
    records: dict[str, CordisOrganisation],
    themes: dict[str, str],
    projects: dict[str, Project] | None = None,
) -> str:
    """A reason in the reader's language; `themes` names the theme keys (theme_names()),
    `projects` the projects of similar_project reasons by key."""
    if reason.kind == "joint_projects":
        partner = records.get(reason.with_org)
        return ngettext(
            "%(n)s joint EU project with %(name)s", "%(n)s joint EU projects with %(name)s", reason.count
        ) % {"n": reason.count, "name": partner.display_name if partner else reason.with_org}
    if reason.kind == "shared_partners":
        return ngettext(
            "%(n)s partner in common with those on board", "%(n)s partners in common with those on board", reason.count
        ) % {"n": reason.count}
    if reason.kind == "similar_text":
        return gettext("worked on similar subjects (%(words)s)") % {"words": reason.detail}
    if reason.kind == "similar_project":
        project = (projects or {}).get(reason.detail)
        name = reason.detail
        if project is not None:
            name = ": ".join(part for part in (project.acronym, project.display_title) if part) or name
        return gettext("close in meaning to its project “%(project)s”") % {"project": name}
    if reason.kind in ("programme", "theme"):
        part = themes.get(reason.detail, reason.detail) if reason.kind == "theme" else reason.detail
        return ngettext("%(n)s project in %(part)s", "%(n)s projects in %(part)s", reason.count) % {
            "n": reason.count,
            "part": part,
        }
    return ngettext("%(kind)s, %(n)s EU project", "%(kind)s, %(n)s EU projects", reason.count) % {
        "kind": ACTIVITY_NAMES.get(reason.detail, ACTIVITY_NAMES["OTH"]),
        "n": reason.count,
    }
