"""Which organisations on the other side of the border to invite to a proposal: a ranked list
with reasons, from the collaboration graph of EU projects (CORDIS), the text and programme of
the proposal against what each organisation has worked on, and activity priors.

The score of a candidate is a linear combination of features (FEATURES): past joint projects
with the partners on board, common neighbours / Adamic–Adar / resource allocation in the
organisation graph, a short personalised random walk (PageRank with restarts) on the
organisation–project graph, TF-IDF cosine of the proposal's words and of its programme and
call-topic codes against each organisation's profile, the organisation's projects in the
proposal's programme parts and agenda themes, log-popularity, recent activity and the activity
type. The weights are never set by hand: fit_weights() learns them on labelled queries
(evaluation.py builds those from a validation year: train on earlier years, ask for the real
partners of that year's projects) with a pairwise logistic regression. Queries without any
partner known to the model ("cold") get weights of their own, since their graph features are 0.

Plain data in, plain data out, no Django (tests/unit/test_pure_modules.py checks). Results come
best first, ties broken by organisation id.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray

ACTIVITY_TYPES = ("PRC", "HES", "REC", "PUB", "OTH")
ACTIVITY_NAMES = {
    "PRC": "company",
    "HES": "higher-education institution",
    "REC": "research organisation",
    "PUB": "public body",
    "OTH": "organisation",
}
GRAPH_FEATURES = ("joint", "joint_recent", "common", "adamic_adar", "resource", "walk")
CONTENT_FEATURES = (
    "words", "codes", "log_words", "log_codes", "word_mass", "code_mass", "meaning", "meaning_best",
    "programme", "theme",
)  # fmt: skip
PRIOR_FEATURES = ("popularity", "recent", "with_home_side", *(f"type_{t}" for t in ACTIVITY_TYPES))
SIMILARITY_FLOOR = 0.01  # log(similarity + floor): a multiplicative similarity × popularity trade-off
FEATURES = (*GRAPH_FEATURES, *CONTENT_FEATURES, *PRIOR_FEATURES)
RECENT_YEARS = 3  # "recent" = the last three years of the training data
WALK_RESTART = 0.3  # personalised PageRank restart probability
WALK_STEPS = 3  # org → project → org rounds; three reach the partners' partners' partners
# Funding schemes that fit a TRL band (the seed's instrument table, section 3: research
# grants low, innovation actions and SME instruments high); added to the query's codes.
TRL_CODES = {1: ("ERC", "MSCA", "RIA"), 4: ("RIA", "IA"), 7: ("IA", "SME")}
_WORD = re.compile(r"[^A-Za-z0-9]+")
# Proposals come in Dutch too, and CORDIS names and texts hold Dutch and French: without these,
# "en", "op", "de" of a Dutch query matched organisations by their function words alone.
# fmt: off
DUTCH_FRENCH_STOP_WORDS = frozenset((
    "aan", "al", "als", "bij", "dan", "dat", "de", "der", "des", "deze", "die", "dit", "door", "du", "een", "en",
    "er", "et", "het", "hij", "hun", "in", "is", "je", "la", "le", "les", "maar", "met", "na", "naar", "niet", "of",
    "om", "onder", "ook", "op", "over", "par", "pour", "qu", "que", "qui", "sur", "te", "tot", "uit", "un", "une",
    "van", "veel", "voor", "want", "was", "wat", "we", "werd", "wij", "worden", "zal", "ze", "zich", "zij", "zijn",
    "zo",
))
# fmt: on


@dataclass(frozen=True)
class Project:
    """A past project as the model reads it. `programme`: programme parts ("LEIT", "SC1");
    `codes`: call-topic codes, legal basis, funding scheme; `themes`: agenda theme keys."""

    key: str
    year: int | None
    programme: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    text: str = ""
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Member:
    """One organisation in one project. `side` is any side code ("NL", "BE", "VL", …)."""

    project: str
    organisation: str
    side: str
    activity_type: str = "OTH"


@dataclass(frozen=True)
class Query:
    """What a proposal asks for: its text (Dutch and/or English), programme parts, codes,
    themes, the partners already on board, the wanted side(s), the activity types wanted
    (empty: any) and an optional TRL range (lowest, highest)."""

    text: str = ""
    programme: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    sides: tuple[str, ...] = ("BE",)
    home_side: str | None = None  # the proposer's side; None: that of the known partners
    activity_types: tuple[str, ...] = ()
    trl: tuple[int, int] | None = None
    embedding: bytes = b""  # the text's multilingual embedding (embeddings.to_bytes); b"": none
    language: str = "en"  # of the text; the word features (English vocabulary) are 0 for any other


@dataclass(frozen=True)
class Reason:
    """Why an organisation is recommended; the web layer can translate it from its fields.

    kinds: joint_projects (count with with_org), shared_partners (count), similar_text
    (detail: matching words), similar_project (detail: key of its project closest in meaning
    to the query, any language), programme (count, detail: part), theme (count, detail: key),
    profile (count: projects, detail: activity type, side in with_org)."""

    kind: str
    count: int = 0
    with_org: str = ""
    detail: str = ""

    def describe(self) -> str:
        """The reason as one English sentence fragment."""
        if self.kind == "joint_projects":
            return f"{self.count} joint project{'s' * (self.count != 1)} with {self.with_org}"
        if self.kind == "shared_partners":
            return f"{self.count} partner{'s' * (self.count != 1)} in common with the consortium"
        if self.kind == "similar_text":
            return f"worked on similar subjects ({self.detail})"
        if self.kind == "similar_project":
            return f"its project {self.detail} is close in meaning"
        if self.kind == "programme":
            return f"{self.count} project{'s' * (self.count != 1)} in {self.detail}"
        if self.kind == "theme":
            return f"{self.count} project{'s' * (self.count != 1)} in theme {self.detail}"
        return f"{ACTIVITY_NAMES.get(self.detail, 'organisation')} in {self.with_org}, {self.count} EU projects"


@dataclass(frozen=True)
class Recommendation:
    """One ranked organisation: its id, score (higher is better) and reasons."""

    org_id: str
    score: float
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Weights:
    """Learnt feature weights: `warm` for queries with a partner known to the model, `cold`
    for the others, `foreign` for those others when their text is not in English (the word
    features are then 0 and the meaning features carry the text; empty: use `cold`). Each has
    one entry per name in `names` (FEATURES)."""

    names: tuple[str, ...]
    warm: tuple[float, ...]
    cold: tuple[float, ...]
    foreign: tuple[float, ...] = ()

    def as_dict(self) -> dict[str, dict[str, float]]:
        """{"warm": {feature: weight}, "cold": {...}, "foreign": {...}} for printing and JSON."""
        sets = {"warm": self.warm, "cold": self.cold, "foreign": self.foreign}
        return {
            key: {n: round(w, 4) for n, w in zip(self.names, weights, strict=True)}
            for key, weights in sets.items()
            if weights
        }


@dataclass
class _Side:
    """The candidate organisations of one side and the rows of every matrix restricted to them."""

    index: NDArray[np.int64]  # organisation indices into Model.org_ids
    memberships: sp.csr_matrix  # org × project
    neighbours: sp.csr_matrix  # org × org (binary)
    words: sp.csr_matrix  # org × word profile (L2-normalised)
    word_mass: sp.csr_matrix  # org × word: sum of its projects' (L2-normalised) vectors
    code_mass: sp.csr_matrix
    codes: sp.csr_matrix  # org × code profile (L2-normalised)
    meaning: _Meaning | None  # computed on the side's first query with an embedding
    programme: sp.csr_matrix  # org × programme part counts
    themes: sp.csr_matrix  # org × theme counts
    with_sides: NDArray[np.float64]  # org × side: projects with a member of that side
    priors: NDArray[np.float64]  # org × (popularity, recent, type one-hots)


@dataclass(frozen=True)
class _Meaning:
    """A side's organisations in the embedding space (dense, so made only for sides queried)."""

    projects: sp.csr_matrix  # org × the model's projects with an embedding (binary)
    profiles: NDArray[np.float32]  # org × embedding: normalised mean of its projects' (zeros: none)
    present: NDArray[np.bool_]  # org has at least one project with an embedding


@dataclass
class Model:
    """Everything recommend() needs, built once by build() from the training projects."""

    org_ids: list[str]
    org_index: dict[str, int]
    org_side: list[str]
    org_type: list[str]
    project_keys: list[str]  # columns of memberships
    project_count: NDArray[np.float64]
    memberships: sp.csr_matrix  # org × project, binary
    neighbours: sp.csr_matrix  # org × org, binary
    walk_out: sp.csr_matrix  # org → project transition, transposed (project × org)
    walk_back: sp.csr_matrix  # project → org transition, transposed (org × project)
    inverse_log_degree: NDArray[np.float64]
    inverse_degree: NDArray[np.float64]
    word_vectoriser: Any
    vocabulary: NDArray[np.str_]  # the word vectoriser's terms by column
    code_vectoriser: Any
    programme_index: dict[str, int]
    side_index: dict[str, int]
    recent: NDArray[np.float64]  # per project: 1 when it started in the last RECENT_YEARS
    theme_index: dict[str, int]
    sides: dict[str, _Side]
    vectors: NDArray[np.float32]  # embeddings of the projects that have one (rows of vector_projects)
    vector_projects: NDArray[np.int64]  # their project indices (columns of memberships), ascending
    weights: Weights | None = None
    last_year: int | None = None
    stats: dict[str, int] = field(default_factory=dict)


def code_tokens(codes: Iterable[str]) -> list[str]:
    """Tokens of programme/topic/funding codes, year-free so that calls of different years
    match: "H2020-MSCA-ITN-2018" → H2020, MSCA, ITN, H2020_MSCA, MSCA_ITN."""
    tokens: list[str] = []
    for code in codes:
        parts = [p.upper() for p in _WORD.split(code) if p and not p.isdigit()]
        tokens.extend(parts)
        tokens.extend(f"{a}_{b}" for a, b in pairwise(parts))
    return tokens


def _analyse_codes(document: str) -> list[str]:
    """Vectoriser analyser for the code space: the document is codes joined by spaces."""
    return code_tokens(document.split())


def build(
    projects: Iterable[Project],
    members: Iterable[Member],
    *,
    weights: Weights | None = None,
    vectors: Mapping[str, NDArray[np.float32]] | None = None,
) -> Model:
    """The model of the given training data. Members of unknown projects are kept (a project
    without metadata still links its organisations). An organisation's side and activity type
    are its most frequent ones (ties: alphabetical). `vectors`: unit embeddings of project
    texts by project key (analytics.embeddings); without them the meaning features are 0.
    Deterministic."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

    stop_words = sorted(ENGLISH_STOP_WORDS | DUTCH_FRENCH_STOP_WORDS)

    project_list = sorted({p.key: p for p in projects}.values(), key=lambda p: p.key)
    member_list = sorted(set(members), key=lambda m: (m.project, m.organisation, m.side, m.activity_type))
    project_index = {p.key: i for i, p in enumerate(project_list)}
    for m in member_list:
        if m.project not in project_index:
            project_index[m.project] = len(project_list)
            project_list.append(Project(key=m.project, year=None))
    org_ids = sorted({m.organisation for m in member_list})
    org_index = {o: i for i, o in enumerate(org_ids)}
    org_side, org_type = _most_frequent(member_list, org_index)
    pairs = sorted({(org_index[m.organisation], project_index[m.project]) for m in member_list})
    rows = np.array([r for r, _ in pairs], dtype=np.int64)
    cols = np.array([c for _, c in pairs], dtype=np.int64)
    shape = (len(org_ids), len(project_list))
    memberships = sp.csr_matrix((np.ones(len(pairs)), (rows, cols)), shape=shape)
    neighbours = _neighbours(memberships)
    degree = np.asarray(neighbours.sum(axis=1)).ravel()
    project_count = np.asarray(memberships.sum(axis=1)).ravel()
    words = TfidfVectorizer(
        stop_words=stop_words, min_df=2, max_df=0.3, sublinear_tf=True, strip_accents="unicode", dtype=np.float64
    )
    word_matrix = _fit_transform(words, [p.text for p in project_list])
    codes = TfidfVectorizer(analyzer=_analyse_codes, min_df=2, sublinear_tf=True, dtype=np.float64)
    code_matrix = _fit_transform(codes, [" ".join((*p.programme, *p.codes)) for p in project_list])
    programme_index = {k: i for i, k in enumerate(sorted({x for p in project_list for x in p.programme}))}
    theme_index = {k: i for i, k in enumerate(sorted({x for p in project_list for x in p.themes}))}
    years = [p.year for p in project_list if p.year is not None]
    last_year = max(years) if years else None
    recent = np.array(
        [p.year is not None and last_year is not None and p.year > last_year - RECENT_YEARS for p in project_list],
        dtype=np.float64,
    )
    priors = np.column_stack(
        [
            np.log1p(project_count),
            np.log1p(memberships @ recent),
            *(np.array([t == a for t in org_type], dtype=np.float64) for a in ACTIVITY_TYPES),
        ]
    )
    profiles = {
        "words": _normalise_rows(memberships @ word_matrix),
        "codes": _normalise_rows(memberships @ code_matrix),
        "word_mass": sp.csr_matrix(memberships @ word_matrix),
        "code_mass": sp.csr_matrix(memberships @ code_matrix),
        "programme": memberships @ _incidence([p.programme for p in project_list], programme_index),
        "themes": memberships @ _incidence([p.themes for p in project_list], theme_index),
    }
    vectors = vectors or {}
    vector_projects = np.array([i for i, p in enumerate(project_list) if p.key in vectors], dtype=np.int64)
    vector_rows = [vectors[project_list[i].key] for i in vector_projects]
    side_index = {k: i for i, k in enumerate(sorted(set(org_side)))}
    project_sides: list[set[str]] = [set() for _ in project_list]
    for m in member_list:
        project_sides[project_index[m.project]].add(m.side)
    profiles["with_sides"] = memberships @ _incidence([tuple(x) for x in project_sides], side_index)
    sides = {
        side: _side(
            np.array([i for i, s in enumerate(org_side) if s == side], dtype=np.int64),
            memberships,
            neighbours,
            profiles,
            priors,
        )
        for side in sorted(set(org_side))
    }
    return Model(
        org_ids=org_ids,
        org_index=org_index,
        org_side=org_side,
        org_type=org_type,
        project_keys=[p.key for p in project_list],
        project_count=project_count,
        memberships=memberships,
        neighbours=neighbours,
        walk_out=_normalise_rows_l1(memberships).T.tocsr(),
        walk_back=_normalise_rows_l1(memberships.T.tocsr()).T.tocsr(),
        inverse_log_degree=np.where(degree > 1, 1.0 / np.log(np.maximum(degree, 2)), 0.0),
        inverse_degree=np.where(degree > 0, 1.0 / np.maximum(degree, 1), 0.0),
        word_vectoriser=words,
        vocabulary=words.get_feature_names_out(),
        code_vectoriser=codes,
        programme_index=programme_index,
        side_index=side_index,
        recent=recent,
        theme_index=theme_index,
        sides=sides,
        vectors=np.vstack(vector_rows).astype(np.float32) if vector_rows else np.zeros((0, 0), dtype=np.float32),
        vector_projects=vector_projects,
        weights=weights,
        last_year=last_year,
        stats={"organisations": len(org_ids), "projects": len(project_list), "memberships": len(pairs)},
    )


def _fit_transform(vectoriser: Any, documents: list[str]) -> sp.csr_matrix:
    """The vectoriser fitted on the documents and their matrix; when they hold no usable term
    (tiny or text-less data) it is fitted on a placeholder, so every document maps to zeros."""
    try:
        return sp.csr_matrix(vectoriser.fit_transform(documents))
    except ValueError:  # sklearn: "empty vocabulary" or "no terms remain" after min_df/max_df
        vectoriser.set_params(min_df=1, max_df=1.0, stop_words=None).fit(["placeholder"])
        return sp.csr_matrix(vectoriser.transform(documents))


def _side(
    index: NDArray[np.int64],
    memberships: sp.csr_matrix,
    neighbours: sp.csr_matrix,
    profiles: Mapping[str, sp.csr_matrix],
    priors: NDArray[np.float64],
) -> _Side:
    """The rows of one side's organisations, sliced once so a query touches only them."""
    return _Side(
        index=index,
        memberships=memberships[index].tocsr(),
        neighbours=neighbours[index].tocsr(),
        words=profiles["words"][index].tocsr(),
        word_mass=profiles["word_mass"][index].tocsr(),
        code_mass=profiles["code_mass"][index].tocsr(),
        codes=profiles["codes"][index].tocsr(),
        meaning=None,
        programme=sp.csr_matrix(profiles["programme"])[index].tocsr(),
        themes=sp.csr_matrix(profiles["themes"])[index].tocsr(),
        with_sides=np.asarray(sp.csr_matrix(profiles["with_sides"])[index].todense()),
        priors=priors[index],
    )


def _most_frequent(members: Sequence[Member], org_index: Mapping[str, int]) -> tuple[list[str], list[str]]:
    """Per organisation, its most frequent side and activity type (ties: alphabetical)."""
    sides: list[Counter[str]] = [Counter() for _ in org_index]
    types: list[Counter[str]] = [Counter() for _ in org_index]
    for m in members:
        sides[org_index[m.organisation]][m.side] += 1
        types[org_index[m.organisation]][m.activity_type if m.activity_type in ACTIVITY_TYPES else "OTH"] += 1
    return [_top(c) for c in sides], [_top(c) for c in types]


def _top(counter: Counter[str]) -> str:
    """The most common key; ties go to the alphabetically first."""
    return min(counter.items(), key=lambda kv: (-kv[1], kv[0]))[0]


def _neighbours(memberships: sp.csr_matrix) -> sp.csr_matrix:
    """Binary organisation × organisation adjacency: a shared project makes a link; no loops."""
    adjacency = (memberships @ memberships.T).tocsr()
    adjacency.setdiag(0)
    adjacency.eliminate_zeros()
    adjacency.data[:] = 1.0
    return adjacency


def _incidence(values: Sequence[tuple[str, ...]], index: Mapping[str, int]) -> sp.csr_matrix:
    """A project × key 0/1 matrix from each project's keys."""
    rows = [r for r, keys in enumerate(values) for k in set(keys) if k in index]
    cols = [index[k] for keys in values for k in set(keys) if k in index]
    return sp.csr_matrix((np.ones(len(rows)), (rows, cols)), shape=(len(values), max(len(index), 1)))


def _normalise_rows(matrix: sp.spmatrix) -> sp.csr_matrix:
    """Rows scaled to unit L2 norm (empty rows stay empty)."""
    matrix = sp.csr_matrix(matrix)
    norms = np.sqrt(np.asarray(matrix.multiply(matrix).sum(axis=1)).ravel())
    return sp.csr_matrix(sp.diags(np.where(norms > 0, 1.0 / np.maximum(norms, 1e-12), 0.0)) @ matrix)


def _normalise_rows_l1(matrix: sp.spmatrix) -> sp.csr_matrix:
    """Rows scaled to sum 1 (empty rows stay empty): a random-walk transition matrix."""
    matrix = sp.csr_matrix(matrix)
    sums = np.asarray(matrix.sum(axis=1)).ravel()
    return sp.csr_matrix(sp.diags(np.where(sums > 0, 1.0 / np.maximum(sums, 1e-12), 0.0)) @ matrix)


@dataclass(frozen=True)
class Candidates:
    """The organisations a query may get, with one row of FEATURES each, in org-id order."""

    index: NDArray[np.int64]  # organisation indices into Model.org_ids
    features: NDArray[np.float64]  # len(index) × len(FEATURES)
    is_cold: bool  # no partner on board is known to the model
    is_foreign: bool = False  # the query's text is not in English


def candidates(model: Model, query: Query) -> Candidates:
    """The feature matrix of every organisation on the wanted side(s), except the partners on
    board and, when the query names activity types, organisations of other types."""
    known = np.array(sorted({model.org_index[p] for p in query.partners if p in model.org_index}), dtype=np.int64)
    context = _Context.of(model, query, known)
    indices: list[NDArray[np.int64]] = []
    blocks: list[NDArray[np.float64]] = []
    for side_code in sorted(set(query.sides)):
        side = model.sides.get(side_code)
        if side is None:
            continue
        indices.append(side.index)
        blocks.append(_side_features(model, side, context))
    if not indices:
        return Candidates(
            np.zeros(0, dtype=np.int64),
            np.zeros((0, len(FEATURES))),
            is_cold=len(known) == 0,
            is_foreign=query.language != "en",
        )
    index = np.concatenate(indices)
    features = np.vstack(blocks)
    keep = ~np.isin(index, known)
    if query.activity_types:
        wanted = set(query.activity_types)
        keep &= np.array([model.org_type[i] in wanted for i in index], dtype=bool)
    order = np.argsort(index[keep], kind="stable")  # org ids are sorted, so index order is id order
    return Candidates(
        index[keep][order], features[keep][order], is_cold=len(known) == 0, is_foreign=query.language != "en"
    )


@dataclass(frozen=True)
class _Context:
    """The query-side vectors every side's features are computed from."""

    projects: NDArray[np.float64]  # joint-project counts per project (sum over known partners)
    neighbours: NDArray[np.float64]  # how many known partners each organisation is linked to
    walk: NDArray[np.float64]  # personalised PageRank from the known partners, × organisation count
    words: sp.csr_matrix  # 1 × vocabulary
    codes: sp.csr_matrix
    meaning: NDArray[np.float32] | None  # the query's embedding, when it has one and the model has vectors
    programme: list[int]
    themes: list[int]
    home_side: int | None  # column of Model.side_index

    @classmethod
    def of(cls, model: Model, query: Query, known: NDArray[np.int64]) -> _Context:
        """The context of `query`; the graph vectors are zero when no partner is known."""
        organisations, projects = model.memberships.shape
        if len(known):
            project_vector = np.asarray(model.memberships[known].sum(axis=0)).ravel()
            neighbour_vector = np.asarray(model.neighbours[known].sum(axis=0)).ravel()
            walk = _walk(model, known) * organisations
        else:
            project_vector, neighbour_vector, walk = (
                np.zeros(projects),
                np.zeros(organisations),
                np.zeros(organisations),
            )
        codes = (*query.programme, *query.codes, *_trl_codes(query.trl))
        return cls(
            projects=project_vector,
            neighbours=neighbour_vector,
            walk=walk,
            words=_query_words(model, query),
            codes=model.code_vectoriser.transform([" ".join(codes)]),
            meaning=_query_vector(model, query),
            programme=sorted({model.programme_index[p] for p in query.programme if p in model.programme_index}),
            themes=sorted({model.theme_index[t] for t in query.themes if t in model.theme_index}),
            home_side=model.side_index.get(_home_side(model, query, known) or ""),
        )


def _side_features(model: Model, side: _Side, context: _Context) -> NDArray[np.float64]:
    """FEATURES for every organisation of one side (rows in side.index order)."""
    n = len(side.index)
    shared = context.neighbours
    words = np.asarray((side.words @ context.words.T).todense()).ravel()
    codes = np.asarray((side.codes @ context.codes.T).todense()).ravel()
    home = side.with_sides[:, context.home_side] if context.home_side is not None else np.zeros(n)
    meaning, meaning_best = (
        _meaning(model, side, context.meaning) if context.meaning is not None else (np.zeros(n), np.zeros(n))
    )
    columns = [
        np.log1p(side.memberships @ context.projects),
        np.log1p(side.memberships @ (context.projects * model.recent)),
        np.log1p(side.neighbours @ shared),
        np.log1p(side.neighbours @ (shared * model.inverse_log_degree)),
        np.log1p(side.neighbours @ (shared * model.inverse_degree)),
        np.log1p(context.walk[side.index]),
        words,
        codes,
        np.log(words + SIMILARITY_FLOOR),
        np.log(codes + SIMILARITY_FLOOR),
        np.log1p(np.asarray((side.word_mass @ context.words.T).todense()).ravel()),
        np.log1p(np.asarray((side.code_mass @ context.codes.T).todense()).ravel()),
        meaning,  # linear only: a learnt log term made very dissimilar score above slightly similar
        meaning_best,
        np.log1p(_column_sum(side.programme, context.programme, n)),
        np.log1p(_column_sum(side.themes, context.themes, n)),
        side.priors[:, 0],
        side.priors[:, 1],
        np.log1p(home),
        side.priors[:, 2:],
    ]
    return np.column_stack(columns)


def _query_words(model: Model, query: Query) -> sp.csr_matrix:
    """The TF-IDF vector of the query text; zeros for a text in another language than English
    (its words would match the English vocabulary by accident: Dutch "data", "door", "model")."""
    if query.language != "en" or not query.text:
        return sp.csr_matrix((1, len(model.vocabulary)))
    return sp.csr_matrix(model.word_vectoriser.transform([query.text]))


def _query_vector(model: Model, query: Query) -> NDArray[np.float32] | None:
    """The query's embedding as a unit vector, None when it has none or the model no vectors."""
    if not query.embedding or not len(model.vector_projects):
        return None
    vector = np.frombuffer(query.embedding, dtype="<f2").astype(np.float32)
    if vector.shape != (model.vectors.shape[1],):
        raise ValueError(f"query embedding has {vector.size} dimensions, the model {model.vectors.shape[1]}")
    norm = float(np.linalg.norm(vector))
    return vector / norm if norm > 0 else None


def _meaning(model: Model, side: _Side, query: NDArray[np.float32]) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Per organisation of the side: the cosine of the query and its meaning profile, and the
    best cosine of the query and any one of its projects (both at least 0). An organisation
    without any project text gets the mean of the others: a missing profile says nothing, and
    scoring it as dissimilar (0) let the weights learnt on text-poor years favour text-less
    organisations over every organisation with a text."""
    meaning = _meaning_of(model, side)
    similarity = np.maximum(meaning.profiles @ query, 0.0).astype(np.float64)
    per_project = np.maximum(model.vectors @ query, 0.0).astype(np.float64)
    # Every value is ≥ 0, so a row's sparse maximum (implicit zeros included) is its best project.
    best = np.asarray(meaning.projects.multiply(per_project[np.newaxis, :]).tocsr().max(axis=1).todense()).ravel()
    if meaning.present.any():
        similarity[~meaning.present] = similarity[meaning.present].mean()
        best[~meaning.present] = best[meaning.present].mean()
    return similarity, best


def _meaning_of(model: Model, side: _Side) -> _Meaning:
    """The side's _Meaning, made on its first query with an embedding. Two threads may both
    make it; they get the same result."""
    if side.meaning is None:
        projects = side.memberships[:, model.vector_projects].tocsr()
        profile = np.asarray(projects @ model.vectors, dtype=np.float32)
        norms = np.linalg.norm(profile, axis=1, keepdims=True)
        side.meaning = _Meaning(
            projects=projects,
            profiles=np.divide(profile, norms, out=np.zeros_like(profile), where=norms > 0),
            present=norms.ravel() > 0,
        )
    return side.meaning


def _home_side(model: Model, query: Query, known: NDArray[np.int64]) -> str | None:
    """The proposer's side: the query's, else the most frequent side of the known partners."""
    if query.home_side is not None or not len(known):
        return query.home_side
    return _top(Counter(model.org_side[i] for i in known))


def _column_sum(matrix: sp.csr_matrix, columns: list[int], rows: int) -> NDArray[np.float64]:
    """Row sums of the given columns (zeros when there are none)."""
    if not columns:
        return np.zeros(rows)
    return np.asarray(matrix[:, columns].sum(axis=1)).ravel()


def _walk(model: Model, known: NDArray[np.int64]) -> NDArray[np.float64]:
    """Personalised PageRank on the organisation–project graph, restarting at the known
    partners: WALK_STEPS rounds of org → project → org. Sums to at most 1."""
    start = np.zeros(model.memberships.shape[0])
    start[known] = 1.0 / len(known)
    state = start
    for _ in range(WALK_STEPS):
        state = WALK_RESTART * start + (1 - WALK_RESTART) * (model.walk_back @ (model.walk_out @ state))
    return state


def _trl_codes(trl: tuple[int, int] | None) -> tuple[str, ...]:
    """The funding-scheme codes of the TRL bands the range touches (TRL_CODES)."""
    if trl is None:
        return ()
    low, high = trl
    return tuple(sorted({c for start, codes in TRL_CODES.items() if start <= high and start + 2 >= low for c in codes}))


def scores(model: Model, found: Candidates) -> NDArray[np.float64]:
    """The learnt linear score of each candidate (warm or cold weights by the query)."""
    if model.weights is None:
        raise ValueError("the model has no weights: fit_weights() first")
    weights = model.weights.cold if found.is_cold else model.weights.warm
    if found.is_cold and found.is_foreign and model.weights.foreign:
        weights = model.weights.foreign
    return found.features @ np.asarray(weights, dtype=np.float64)


def recommend(model: Model, query: Query, *, limit: int = 10) -> list[Recommendation]:
    """The `limit` best organisations for `query`, best first (ties by org id), with reasons."""
    found = candidates(model, query)
    score = scores(model, found)
    top = top_indices(score, limit)
    words = _query_words(model, query)
    return [
        Recommendation(
            org_id=model.org_ids[found.index[i]],
            score=round(float(score[i]), 6),
            reasons=reasons(model, query, int(found.index[i]), words=words),
        )
        for i in top
    ]


def top_indices(score: NDArray[np.float64], limit: int) -> list[int]:
    """Positions of the `limit` highest scores, best first; ties keep position order (= id order)."""
    if limit <= 0 or len(score) == 0:
        return []
    if limit < len(score):
        cut = np.partition(-score, limit - 1)[limit - 1]
        positions = np.flatnonzero(-score <= cut)
    else:
        positions = np.arange(len(score))
    order = np.lexsort((positions, -score[positions]))
    return [int(p) for p in positions[order][:limit]]


def reasons(model: Model, query: Query, organisation: int, *, words: sp.csr_matrix | None = None) -> tuple[Reason, ...]:
    """Why `organisation` (an index) fits `query`: joint projects with each known partner (most
    first, at most three), shared partners, projects in the query's programme parts and
    themes, matching words, its project closest in meaning, and its profile. Only reasons with
    evidence are given. `words`: the query text's word vector, when the caller has it."""
    found: list[Reason] = []
    # Rows are read straight from the CSR arrays: slicing a sparse matrix per reason made
    # the reasons half the time of a recommendation.
    projects = _columns(model.memberships, organisation)
    joint = []
    for partner in sorted({p for p in query.partners if p in model.org_index}):
        count = len(np.intersect1d(projects, _columns(model.memberships, model.org_index[partner]), assume_unique=True))
        if count:
            joint.append((count, partner))
    found += [Reason("joint_projects", count=c, with_org=p) for c, p in sorted(joint, key=lambda x: (-x[0], x[1]))[:3]]
    known = [model.org_index[p] for p in query.partners if p in model.org_index]
    if known:
        theirs = np.unique(np.concatenate([_columns(model.neighbours, k) for k in known]))
        shared = len(np.intersect1d(theirs, _columns(model.neighbours, organisation), assume_unique=True))
        if shared:
            found.append(Reason("shared_partners", count=shared))
    found += _key_reasons("programme", query.programme, model.programme_index, model.sides, model, organisation)
    found += _key_reasons("theme", query.themes, model.theme_index, model.sides, model, organisation)
    shared_words = _shared_words(model, words if words is not None else _query_words(model, query), organisation)
    if shared_words:
        found.append(Reason("similar_text", detail=", ".join(shared_words)))
    closest = _closest_project(model, query, projects)
    if closest:
        found.append(Reason("similar_project", detail=closest))
    found.append(
        Reason(
            "profile",
            count=int(model.project_count[organisation]),
            with_org=model.org_side[organisation],
            detail=model.org_type[organisation],
        )
    )
    return tuple(found)


def _key_reasons(
    kind: str,
    keys: Sequence[str],
    index: Mapping[str, int],
    sides: Mapping[str, _Side],
    model: Model,
    organisation: int,
) -> list[Reason]:
    """A reason per programme part or theme of the query in which the organisation has projects."""
    side = sides[model.org_side[organisation]]
    row = int(np.searchsorted(side.index, organisation))
    matrix = side.programme if kind == "programme" else side.themes
    start, end = matrix.indptr[row], matrix.indptr[row + 1]
    counts = dict(zip(matrix.indices[start:end].tolist(), matrix.data[start:end].tolist(), strict=True))
    found = []
    for key in sorted(set(keys)):
        if key in index and (count := int(counts.get(index[key], 0))):
            found.append(Reason(kind, count=count, detail=key))
    return found


def _columns(matrix: sp.csr_matrix, row: int) -> NDArray[np.int32]:
    """The column indices stored in one row of a CSR matrix (in no promised order)."""
    return matrix.indices[matrix.indptr[row] : matrix.indptr[row + 1]]


CLOSE_IN_MEANING = 0.35  # cosine of the query and a project above which the project is named


def _closest_project(model: Model, query: Query, projects: NDArray[np.int32]) -> str:
    """The key of the project (of the given project indices) closest in meaning to the query,
    when it is close (CLOSE_IN_MEANING); "" otherwise."""
    vector = _query_vector(model, query)
    if vector is None or not len(model.vector_projects):
        return ""
    at = np.minimum(np.searchsorted(model.vector_projects, projects), len(model.vector_projects) - 1)
    rows = at[model.vector_projects[at] == projects]  # those of the projects that have an embedding
    if not len(rows):
        return ""
    similarity = model.vectors[rows] @ vector
    best = int(np.argmax(similarity))
    if similarity[best] < CLOSE_IN_MEANING:
        return ""
    return model.project_keys[int(model.vector_projects[rows[best]])]


def _shared_words(model: Model, words: sp.csr_matrix, organisation: int, limit: int = 3) -> list[str]:
    """The query words that weigh most in the organisation's word profile (at most `limit`)."""
    side = model.sides[model.org_side[organisation]]
    row = int(np.searchsorted(side.index, organisation))
    product = words.multiply(side.words[row]).tocoo()
    if product.nnz == 0:
        return []
    best = sorted(zip(-product.data, product.col, strict=True))[:limit]
    return [str(model.vocabulary[c]) for _, c in best]


def fit_weights(
    model: Model,
    examples: Sequence[tuple[Query, frozenset[str]]],
    *,
    negatives: int = 50,
    rounds: int = 3,
    seed: int = 0,
    regularisation: float = 1.0,
) -> Weights:
    """Weights learnt from labelled queries (query, organisations that really joined) by a
    pairwise logistic regression with hard negatives: round one pairs each relevant candidate
    with `negatives` random others; every later round adds the `negatives` others that the
    current weights rank highest, so the fit concentrates on the top of the list, where
    Recall@10 is decided. The warm weights learn from queries with a known partner; the cold
    ones from every query with its partners removed (the proposer's side kept), since truly
    cold queries are too few to learn from alone; the foreign ones from the cold queries that
    have an embedding, read as a free text in another language: no word features, programme
    or codes (what the partner finder sends for a Dutch text). Deterministic for a seed.
    `model` must not have seen the examples' projects."""
    rng = np.random.default_rng(seed)
    groups: dict[str, list[_Shortlist]] = {"warm": [], "cold": [], "foreign": []}
    for query, relevant in examples:
        known = np.array([model.org_index[p] for p in query.partners if p in model.org_index], dtype=np.int64)
        cold = replace(query, partners=(), home_side=_home_side(model, query, known))
        variants = [("warm", query)] if len(known) else []
        variants.append(("cold", cold))
        if query.embedding:
            variants.append(("foreign", replace(cold, language="xx", programme=(), codes=())))
        for group, variant in variants:
            found = candidates(model, variant)
            is_relevant = np.array([model.org_ids[i] in relevant for i in found.index], dtype=bool)
            if is_relevant.any() and not is_relevant.all():
                groups[group].append(_Shortlist.of(found.features, is_relevant, rng))
    if not groups["cold"]:
        raise ValueError("no example has both relevant and other candidates")
    cold_weights = _fit_rounds(groups["cold"], negatives, rounds, regularisation, rng)
    warm_weights = (
        _fit_rounds(groups["warm"], negatives, rounds, regularisation, rng) if groups["warm"] else cold_weights
    )
    foreign = _fit_rounds(groups["foreign"], negatives, rounds, regularisation, rng) if groups["foreign"] else ()
    return Weights(names=FEATURES, warm=warm_weights, cold=cold_weights, foreign=foreign)


SHORTLIST = 100  # per feature: the top candidates kept for the fit, and as many random ones


@dataclass(frozen=True)
class _Shortlist:
    """The candidates of one labelled query that can matter for the fit: the relevant ones,
    the top SHORTLIST by each feature and SHORTLIST random others (float32 to save memory)."""

    relevant: NDArray[np.float32]
    others: NDArray[np.float32]

    @classmethod
    def of(cls, features: NDArray[np.float64], is_relevant: NDArray[np.bool_], rng: np.random.Generator) -> _Shortlist:
        """The shortlist of one query's candidate features."""
        others = np.flatnonzero(~is_relevant)
        chosen = set(rng.choice(others, size=min(SHORTLIST, len(others)), replace=False).tolist())
        for column in range(features.shape[1]):
            chosen.update(others[np.argsort(-features[others, column], kind="stable")[:SHORTLIST]].tolist())
        return cls(features[is_relevant].astype(np.float32), features[sorted(chosen)].astype(np.float32))


def _fit_rounds(
    shortlists: Sequence[_Shortlist], negatives: int, rounds: int, regularisation: float, rng: np.random.Generator
) -> tuple[float, ...]:
    """Pairwise fits over `rounds` rounds, each adding the current top-ranked wrong candidates."""
    pairs: list[NDArray[np.float32]] = []
    weights: NDArray[np.float64] | None = None
    for _ in range(rounds):
        for shortlist in shortlists:
            if weights is None:
                picked = rng.choice(len(shortlist.others), size=min(negatives, len(shortlist.others)), replace=False)
            else:
                picked = np.argsort(-(shortlist.others @ weights), kind="stable")[:negatives]
            others = shortlist.others[np.sort(picked)]
            pairs.extend(row - others for row in shortlist.relevant)
        weights = np.asarray(_fit_pairs(np.vstack(pairs).astype(np.float64), regularisation))
    assert weights is not None
    return tuple(float(w) for w in weights)


def _fit_pairs(differences: NDArray[np.float64], regularisation: float) -> tuple[float, ...]:
    """Weights w with w·(x_relevant − x_other) > 0 as often as possible (logistic loss, no
    intercept, features scaled to unit spread for the fit and scaled back)."""
    from sklearn.linear_model import LogisticRegression

    scale = differences.std(axis=0)
    scale[scale == 0] = 1.0
    scaled = differences / scale
    x = np.vstack([scaled, -scaled])
    y = np.concatenate([np.ones(len(scaled)), np.zeros(len(scaled))])
    fit = LogisticRegression(C=regularisation, fit_intercept=False, max_iter=2000).fit(x, y)
    return tuple(float(w) for w in fit.coef_[0] / scale)


def with_weights(model: Model, weights: Weights) -> Model:
    """The same model with other weights (shares every matrix)."""
    return Model(**{**model.__dict__, "weights": weights})


def ranked_ids(model: Model, found: Candidates, score: NDArray[np.float64]) -> list[str]:
    """Candidate org ids best first, ties by id (for tests and exports)."""
    return [model.org_ids[found.index[i]] for i in top_indices(score, len(score))]


def features_of(found: Candidates, name: str) -> NDArray[np.float64]:
    """One feature column of the candidates by name."""
    return found.features[:, FEATURES.index(name)]
