"""Partner recommendation (trechter/analytics/recommend.py): features on tiny graphs whose
answers are known by hand, the learnt combiner and reasons on a real CORDIS fixture
(tests/data/recommend, Source: CORDIS, © European Union)."""

from __future__ import annotations

import math
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from trechter.analytics import embeddings, evaluation, recommend
from trechter.analytics.recommend import FEATURES, Member, Project, Query, Reason, Weights

FIXTURE = Path(__file__).resolve().parent.parent / "data" / "recommend"
FILES = [FIXTURE / "h2020_projects.csv", FIXTURE / "h2020_participations.csv"]


def tiny_model(weights: Weights | None = None) -> recommend.Model:
    """q (NL) works with hubs z1 and z2 (DE); b1 (BE) shares both, b2 only z1, b3 neither;
    b4 did two projects with q itself. z1 has 4 neighbours, z2 has 2."""
    memberships = {
        "P1": [("q", "NL"), ("z1", "DE")],
        "P2": [("q", "NL"), ("z2", "DE")],
        "P3": [("b1", "BE"), ("z1", "DE")],
        "P4": [("b1", "BE"), ("z2", "DE")],
        "P5": [("b2", "BE"), ("z1", "DE")],
        "P6": [("q", "NL"), ("b4", "BE")],
        "P7": [("q", "NL"), ("b4", "BE")],
        "P8": [("b3", "BE"), ("x", "FR")],
    }
    projects = [Project(key=k, year=2015, programme=("SC4",) if k in ("P5", "P8") else ()) for k in memberships]
    members = [Member(k, org, side, "REC") for k, rows in memberships.items() for org, side in rows]
    return recommend.build(projects, members, weights=weights)


def feature(found: recommend.Candidates, model: recommend.Model, name: str) -> dict[str, float]:
    """One feature by organisation id."""
    column = recommend.features_of(found, name)
    return {model.org_ids[i]: float(v) for i, v in zip(found.index, column, strict=True)}


def test_candidates_are_the_wanted_side_without_partners() -> None:
    model = tiny_model()

    found = recommend.candidates(model, Query(partners=("q",), sides=("BE",)))

    assert [model.org_ids[i] for i in found.index] == ["b1", "b2", "b3", "b4"]
    assert not found.is_cold


def test_common_neighbours_and_adamic_adar_match_hand_counts() -> None:
    model = tiny_model()

    found = recommend.candidates(model, Query(partners=("q",), sides=("BE",)))

    common = feature(found, model, "common")
    adamic_adar = feature(found, model, "adamic_adar")
    # z1 has neighbours q, b1, b2 → degree 3; z2 has q, b1 → degree 2.
    assert common == pytest.approx({"b1": math.log1p(2), "b2": math.log1p(1), "b3": 0.0, "b4": 0.0})
    expected_b1 = 1 / math.log(3) + 1 / math.log(2)
    assert adamic_adar == pytest.approx(
        {"b1": math.log1p(expected_b1), "b2": math.log1p(1 / math.log(3)), "b3": 0.0, "b4": 0.0}
    )


def test_joint_projects_count_direct_collaborations() -> None:
    model = tiny_model()

    found = recommend.candidates(model, Query(partners=("q",), sides=("BE",)))

    assert feature(found, model, "joint") == pytest.approx({"b1": 0.0, "b2": 0.0, "b3": 0.0, "b4": math.log1p(2)})


def test_walk_reaches_partners_of_partners_before_strangers() -> None:
    model = tiny_model()

    walk = feature(recommend.candidates(model, Query(partners=("q",), sides=("BE",))), model, "walk")

    assert walk["b4"] > walk["b1"] > walk["b2"] > walk["b3"] == 0.0


def test_unknown_partners_make_a_cold_query_with_zero_graph_features() -> None:
    model = tiny_model()

    found = recommend.candidates(model, Query(partners=("nobody",), sides=("BE",), programme=("SC4",)))

    assert found.is_cold
    assert not found.features[:, : len(recommend.GRAPH_FEATURES)].any()
    assert feature(found, model, "programme") == pytest.approx(
        {"b1": 0.0, "b2": math.log1p(1), "b3": math.log1p(1), "b4": 0.0}
    )


def test_activity_type_filter_keeps_only_wanted_types() -> None:
    model = tiny_model()

    found = recommend.candidates(model, Query(partners=("q",), sides=("BE",), activity_types=("PRC",)))

    assert len(found.index) == 0


def test_recommend_orders_by_score_then_id_and_gives_reasons() -> None:
    only_joint = tuple(1.0 if name == "joint" else 0.0 for name in FEATURES)
    model = tiny_model(Weights(FEATURES, warm=only_joint, cold=only_joint))

    found = recommend.recommend(model, Query(partners=("q",), sides=("BE",)), limit=3)

    assert [r.org_id for r in found] == ["b4", "b1", "b2"]  # b1, b2, b3 tie at 0: by id
    assert found[0].reasons[0] == Reason("joint_projects", count=2, with_org="q")
    assert found[0].reasons[-1] == Reason("profile", count=2, with_org="BE", detail="REC")
    assert found[0].reasons[0].describe() == "2 joint projects with q"


def test_recommend_without_weights_is_refused() -> None:
    with pytest.raises(ValueError, match="no weights"):
        recommend.recommend(tiny_model(), Query(partners=("q",)))


def test_top_indices_breaks_ties_by_position() -> None:
    assert recommend.top_indices(np.array([1.0, 3.0, 3.0, 2.0, 3.0]), 4) == [1, 2, 4, 3]


def test_code_tokens_drop_years_so_calls_of_different_years_match() -> None:
    assert recommend.code_tokens(["MG-2-1-2018"]) == recommend.code_tokens(["MG-2-1-2016"]) == ["MG"]
    assert recommend.code_tokens(["H2020-MSCA-ITN-2018"]) == ["H2020", "MSCA", "ITN", "H2020_MSCA", "MSCA_ITN"]


def test_trl_range_adds_the_funding_schemes_of_its_bands() -> None:
    assert recommend._trl_codes((2, 5)) == ("ERC", "IA", "MSCA", "RIA")


SOLAR = ("Thin-film photovoltaic modules for building roofs", "Solar cells integrated in facades")


def meaning_model() -> recommend.Model:
    """Flemish b1 did English projects on solar energy, b2 on cancer, b3 on nothing with a text;
    the German x on other subjects; the Dutch q worked with all of them."""
    texts = {
        "S1": SOLAR[0],
        "S2": SOLAR[1],
        "C1": "Immunotherapy against breast cancer from patient data",
        "C2": "Screening for cancer by imaging data",
        "N1": "",
        **{f"X{i}": f"Other subject number {i}: {word}" for i, word in enumerate(("ships", "wheat", "law", "music"))},
    }
    rows = {"S1": "b1", "S2": "b1", "C1": "b2", "C2": "b2", "N1": "b3", "X0": "x", "X1": "x", "X2": "x", "X3": "x"}
    projects = [Project(key=k, year=2015, text=t) for k, t in texts.items()]
    members = [
        m
        for k, b in rows.items()
        for m in (Member(k, b, "DE" if b == "x" else "VL", "REC"), Member(k, "q", "NL", "PRC"))
    ]
    vectors = embeddings.encode(list(texts.values()))
    only_meaning = tuple(1.0 if name == "meaning" else 0.0 for name in FEATURES)
    return recommend.build(
        projects,
        members,
        weights=Weights(FEATURES, warm=only_meaning, cold=only_meaning),
        vectors={k: vectors[i] for i, k in enumerate(texts) if texts[k]},
    )


def dutch_query(text: str, sides: tuple[str, ...] = ("VL",), partners: tuple[str, ...] = ()) -> Query:
    vector = embeddings.encode([text])[0]
    return Query(text=text, sides=sides, partners=partners, embedding=embeddings.to_bytes(vector))


def test_a_dutch_text_finds_partners_by_the_meaning_of_their_english_projects() -> None:
    model = meaning_model()
    query = dutch_query("zonnepanelen op daken van gebouwen")

    meaning = feature(recommend.candidates(model, query), model, "meaning")
    found = recommend.recommend(model, query, limit=3)

    assert meaning["b1"] > meaning["b2"] + 0.1
    # b3 has no project with a text: it gets the mean of the others, neither bonus nor penalty.
    assert meaning["b3"] == pytest.approx((meaning["b1"] + meaning["b2"]) / 2)
    best = feature(recommend.candidates(model, query), model, "meaning_best")
    vectors = {k: embeddings.encode([t])[0] for k, t in (("S1", SOLAR[0]), ("S2", SOLAR[1]))}
    expected = max(float(v @ embeddings.encode([query.text])[0]) for v in vectors.values())
    assert best["b1"] == pytest.approx(expected, abs=2e-3)  # its closest project, not the mean
    assert best["b3"] == pytest.approx((best["b1"] + best["b2"]) / 2)
    assert feature(recommend.candidates(model, query), model, "words") == {"b1": 0.0, "b2": 0.0, "b3": 0.0}
    assert found[0].org_id == "b1"
    closest = [r for r in found[0].reasons if r.kind == "similar_project"]
    assert closest and closest[0].detail in ("S1", "S2")
    assert not [r for r in found[1].reasons if r.kind == "similar_project"]  # cancer is not close


def test_a_text_in_another_language_skips_the_english_words_and_uses_the_foreign_weights() -> None:
    model = meaning_model()
    by_words = tuple(1.0 if name == "words" else 0.0 for name in FEATURES)
    by_meaning = tuple(1.0 if name == "meaning" else 0.0 for name in FEATURES)
    model = recommend.with_weights(model, Weights(FEATURES, warm=by_words, cold=by_words, foreign=by_meaning))
    # "data" is Dutch too and in the English vocabulary; read as Dutch, it is no shared word.
    english = replace(dutch_query("zonnepanelen op daken, met data van de installateur"), language="en")
    dutch = replace(english, language="nl")

    assert feature(recommend.candidates(model, english), model, "words")["b2"] > 0
    assert feature(recommend.candidates(model, dutch), model, "words") == {"b1": 0.0, "b2": 0.0, "b3": 0.0}
    assert recommend.recommend(model, english, limit=1)[0].org_id == "b2"  # cold weights: words
    assert recommend.recommend(model, dutch, limit=1)[0].org_id == "b1"  # foreign weights: meaning
    assert not [r for r in recommend.recommend(model, dutch, limit=3)[0].reasons if r.kind == "similar_text"]


def test_foreign_weights_are_learnt_from_queries_with_an_embedding(fixture_data: evaluation.Dataset) -> None:
    model = evaluation.build_model(fixture_data.between(None, 2014))
    asked = evaluation.cases(fixture_data.between(2015, 2015), model)  # the fixture's year with texts
    examples = [(c.query, c.relevant) for c in asked]
    assert sum(1 for c in asked if c.query.embedding) >= 10

    weights = recommend.fit_weights(model, examples)

    assert len(weights.foreign) == len(FEATURES)
    foreign = dict(zip(FEATURES, weights.foreign, strict=True))
    assert foreign["words"] == foreign["codes"] == foreign["programme"] == 0.0  # never seen by them
    assert foreign["meaning"] != 0.0 or foreign["meaning_best"] != 0.0
    assert "foreign" in weights.as_dict()


def test_without_an_embedding_the_meaning_features_are_zero() -> None:
    model = meaning_model()

    found = recommend.candidates(model, Query(text="zonnepanelen", sides=("VL",)))

    assert feature(found, model, "meaning") == {"b1": 0.0, "b2": 0.0, "b3": 0.0}


def test_a_model_without_vectors_ignores_the_query_embedding() -> None:
    model = tiny_model()

    found = recommend.candidates(model, dutch_query("zonnepanelen", sides=("BE",), partners=("q",)))

    assert len(found.index) == 4
    assert not recommend.features_of(found, "meaning").any()


def test_an_embedding_of_another_size_is_refused() -> None:
    with pytest.raises(ValueError, match="dimensions"):
        recommend.candidates(meaning_model(), Query(sides=("VL",), embedding=b"\x00\x00" * 10))


@pytest.fixture(scope="module")
def fixture_data() -> evaluation.Dataset:
    return evaluation.read_files(FILES)


def test_fit_weights_on_a_validation_year_is_deterministic(fixture_data: evaluation.Dataset) -> None:
    model = evaluation.build_model(fixture_data.between(None, 2016))
    examples = [(c.query, c.relevant) for c in evaluation.cases(fixture_data.between(2017, 2017), model)]

    first = recommend.fit_weights(model, examples)
    second = recommend.fit_weights(model, examples)

    assert first == second
    assert first.names == FEATURES
    assert first.cold[: len(recommend.GRAPH_FEATURES)] == (0.0,) * len(recommend.GRAPH_FEATURES)
    assert any(w != 0 for w in first.warm[: len(recommend.GRAPH_FEATURES)])


def test_recommend_on_real_fixture_returns_other_side_with_reasons(fixture_data: evaluation.Dataset) -> None:
    weights, _ = evaluation.learn_weights(fixture_data.between(None, 2017), 2017)
    model = evaluation.build_model(fixture_data.between(None, 2017), weights)
    case = evaluation.cases(fixture_data.between(2018, 2019), model)[0]

    found = recommend.recommend(model, case.query, limit=10)

    assert len(found) == 10
    assert all(model.org_side[model.org_index[r.org_id]] == case.query.sides[0] for r in found)
    assert not {r.org_id for r in found} & set(case.query.partners)
    assert [r.score for r in found] == sorted((r.score for r in found), reverse=True)
    assert all(r.reasons and r.reasons[-1].kind == "profile" for r in found)


def test_dutch_and_french_function_words_do_not_make_texts_similar() -> None:
    """A Dutch query shares only "en", "de", "op" with French and Dutch CORDIS texts: no similarity."""
    texts = {
        "P1": "Union internationale des transports en commun et de la mobilité urbaine",
        "P2": "Réseau européen de la sécurité en conteneurs sur les ports maritimes",
        "P3": "Solar cells on roofs and facades for building integrated photovoltaics",
        "P4": "Building integrated photovoltaics and solar cells in glass facades",
        "P5": "Protein folding enzymes studied by crystallography",
        "P6": "Enzymes and protein folding in yeast crystallography",
        "P7": "Ship hull corrosion coatings for the maritime sector",
        "P8": "Corrosion resistant coatings of ship hulls",
        "P9": "Wheat crop drought genetics in dry regions",
        "P10": "Drought tolerant wheat crop genetics",
    }
    members = [Member(k, f"org{k}", "BE", "PRC") for k in texts] + [Member(k, "q", "NL", "REC") for k in texts]
    model = recommend.build([Project(key=k, year=2015, text=t) for k, t in texts.items()], members)

    found = recommend.candidates(model, Query(text="zonnecellen en waterstof op de daken", sides=("BE",)))

    assert set(feature(found, model, "words").values()) == {0.0}
    solar = recommend.candidates(model, Query(text="solar cells on facades", sides=("BE",)))
    words = feature(solar, model, "words")
    assert words["orgP3"] > 0 and words["orgP1"] == 0.0
