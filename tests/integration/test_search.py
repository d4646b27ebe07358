"""Search on the real seed agenda, through the page a reader uses: matching in Dutch and
English, every filter against the ORM, hostile input, the htmx partial, query counts.
Runs on SQLite (FTS5) and on PostgreSQL (tsvector) alike."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.db import connection
from django.db.models import Q
from django.test import Client
from django.test.utils import CaptureQueriesContext

from trechter.actors.models import Organisation
from trechter.agenda.models import Activity, Proposal, Theme, ThemeLead
from trechter.search import actions
from trechter.search.backends import MARK_END, MARK_START
from trechter.search.models import SearchDocument
from trechter.search.queries import PAGE_SIZE, marked

KINDS = ("theme", "proposal", "organisation", "activity")

pytestmark = pytest.mark.django_db


def _search(client: Client, lang: str = "en", **params: Any) -> Any:
    response = client.get(f"/{lang}/search/", params)
    assert response.status_code == 200
    return response


def _keys(response: Any) -> list[str]:
    return [result.key for result in response.context["page"].results]


def _all_keys(client: Client, **params: Any) -> set[tuple[str, str]]:
    """(kind, key) of every result, over all pages."""
    found: set[tuple[str, str]] = set()
    page = 1
    while True:
        result_page = _search(client, **params, page=page).context["page"]
        found |= {(r.kind, r.key) for r in result_page.results}
        if result_page.next_number is None:
            return found
        page += 1


# --- matching -------------------------------------------------------------------------


def test_search_dutch_query_finds_the_dutch_proposal(client: Client) -> None:
    response = _search(client, "nl", q="koolstofketen")

    assert set(_keys(response)) >= {"energy-hydrogen-p2g-carbon-chain", "energy-carbon-chain-system-study"}
    assert "<mark>koolstofketen</mark>" in response.content.decode()


def test_search_prefix_finds_words_as_they_are_typed(client: Client) -> None:
    assert "energy-hydrogen-p2g-carbon-chain" in _keys(_search(client, "nl", q="koolstofk"))


def _words(key: str) -> set[str]:
    doc = SearchDocument.objects.get(key=key)
    return set(re.findall(r"\w+", f"{doc.title_nl} {doc.body_nl}".lower()))


def test_search_singular_finds_the_plural(client: Client) -> None:
    # These texts have the plural only.
    assert "implantaten" in _words("lsh-implementation") and "implantaat" not in _words("lsh-implementation")
    assert "batterijen" in _words("flexible-electronics") and "batterij" not in _words("flexible-electronics")

    assert ("proposal", "lsh-implementation") in _all_keys(client, q="implantaat")
    assert ("theme", "flexible-electronics") in _all_keys(client, q="batterij")


def test_search_plural_finds_the_singular(client: Client) -> None:
    with_singular = {
        (doc.kind, doc.key)
        for doc in SearchDocument.objects.all()
        if re.search(r"\bsensor\b", f"{doc.title_nl} {doc.body_nl}", re.IGNORECASE)
    }
    assert with_singular

    assert _all_keys(client, q="sensoren") >= with_singular


def test_search_adjective_finds_the_noun_and_the_theme_first(client: Client) -> None:
    response = _search(client, "nl", q="fotonica")

    assert response.context["page"].results[0].key == "photonics"
    assert ("proposal", "photonics-integrated-photonics") in _all_keys(client, q="fotonisch")


def test_search_ignores_accents(client: Client) -> None:
    assert "photonics-integrated-photonics" in _keys(_search(client, "nl", q="geintegreerde fotonische"))


def test_search_english_query_finds_english_titles(client: Client) -> None:
    response = _search(client, "en", q="hydrogen filling station")

    assert _keys(response)[0] == "energy-h2-filling-station"
    assert "<mark>filling</mark>" in response.content.decode()


def test_search_titles_follow_the_readers_language(client: Client) -> None:
    english = _search(client, "en", q="photonics", kind="theme").content.decode()
    dutch = _search(client, "nl", q="photonics", kind="theme").content.decode()

    assert "<mark>Photonics</mark></a>" in english
    assert ">Fotonica</a>" in dutch


@pytest.mark.parametrize(("alias", "key"), [("Ghent University", "ugent"), ("KULeuven", "ku-leuven"), ("TU/e", "tue")])
def test_search_finds_an_organisation_by_alias(client: Client, alias: str, key: str) -> None:
    assert ("organisation", key) in _all_keys(client, q=alias, kind="organisation")


def test_search_finds_an_organisation_by_exact_name_first(client: Client) -> None:
    assert _keys(_search(client, q="TNO"))[0] == "tno"


def test_search_phrase_of_a_term_keeps_its_words_together(client: Client) -> None:
    keys = _all_keys(client, q="TU/e")

    assert ("organisation", "tue") in keys
    assert ("organisation", "tu-delft") not in keys


# --- filters --------------------------------------------------------------------------


def _organisations_in_theme(key: str) -> int:
    return (
        Organisation.objects.filter(
            Q(parties__proposal__theme__key=key)
            | Q(parties__proposal__other_themes__key=key)
            | Q(theme_roles__theme__key=key)
            | Q(activities__theme__key=key)
            | Q(id__in=ThemeLead.objects.filter(theme__key=key).values("organisation_id"))
        )
        .distinct()
        .count()
    )


def _trl(low: int, high: int) -> Q:
    return Q(trl_from__lte=high, trl_to__gte=low)


EXPECTED = {
    "kind=proposal": (
        {"kind": "proposal"},
        lambda: Proposal.objects.count(),
    ),
    "kind=activity": (
        {"kind": "activity"},
        lambda: Activity.objects.count(),
    ),
    "theme=photonics": (
        {"theme": "photonics"},
        lambda: (
            1
            + Proposal.objects.filter(Q(theme__key="photonics") | Q(other_themes__key="photonics")).distinct().count()
            + Activity.objects.filter(theme__key="photonics").count()
            + _organisations_in_theme("photonics")
        ),
    ),
    "trl=1-3": (
        {"trl": "1-3"},
        lambda: Proposal.objects.filter(_trl(1, 3)).count() + Activity.objects.filter(_trl(1, 3)).count(),
    ),
    "trl=7-9": (
        {"trl": "7-9"},
        lambda: Proposal.objects.filter(_trl(7, 9)).count() + Activity.objects.filter(_trl(7, 9)).count(),
    ),
    "side=VL": (
        {"side": "VL"},
        lambda: (
            Proposal.objects.filter(parties__organisation__side="VL").distinct().count()
            + Organisation.objects.filter(side="VL").count()
            + Activity.objects.filter(side__in=["VL", "BOTH"]).count()
        ),
    ),
    "side=OTHER": (
        {"side": "OTHER"},
        lambda: (
            Proposal.objects.filter(parties__organisation__side="OTHER").distinct().count()
            + Organisation.objects.filter(side="OTHER").count()
        ),
    ),
    "proposal_kind=cooperation": (
        {"proposal_kind": "cooperation"},
        lambda: Proposal.objects.filter(kind="cooperation").count(),
    ),
    "status=proposed": (
        {"status": "proposed"},
        lambda: Proposal.objects.filter(status="proposed").count(),
    ),
    "instrument=tb": (
        {"instrument": "tb"},
        lambda: Proposal.objects.filter(instruments__instrument__key="tb").distinct().count(),
    ),
    "kind=proposal&theme=energy&trl=4-6": (
        {"kind": "proposal", "theme": "energy", "trl": "4-6"},
        lambda: (
            Proposal.objects.filter(Q(theme__key="energy") | Q(other_themes__key="energy"))
            .filter(_trl(4, 6))
            .distinct()
            .count()
        ),
    ),
}


@pytest.mark.parametrize("case", EXPECTED)
def test_search_filter_narrows_to_what_the_database_holds(client: Client, case: str) -> None:
    params, expected = EXPECTED[case]
    everything = _search(client).context["page"].total

    page = _search(client, **params).context["page"]

    assert 0 < page.total < everything
    assert page.total == expected()


@pytest.mark.parametrize("case", [c for c in EXPECTED if "&" not in c])
def test_search_facet_count_announces_the_filtered_total(client: Client, case: str) -> None:
    (name, value), expected = next(iter(EXPECTED[case][0].items())), EXPECTED[case][1]

    facets = {facet.name: facet for facet in _search(client).context["page"].facets}

    assert {option.value: option.count for option in facets[name].options}[value] == expected()


def test_search_filter_combines_with_the_query(client: Client) -> None:
    everything = _search(client, q="waterstof").context["page"]
    proposals = _search(client, q="waterstof", kind="proposal").context["page"]

    assert 0 < proposals.total < everything.total
    assert {r.kind for r in proposals.results} == {"proposal"}
    kind_facet = next(f for f in everything.facets if f.name == "kind")
    assert {o.value: o.count for o in kind_facet.options}["proposal"] == proposals.total


def test_search_empty_query_with_filters_lists_everything_filtered(client: Client) -> None:
    page = _search(client, kind="theme").context["page"]

    assert [r.key for r in page.results] == list(Theme.objects.order_by("name_nl").values_list("key", flat=True))


def test_search_filters_are_kept_in_the_page_and_its_links(client: Client) -> None:
    html = _search(client, q="energie", theme="energy").content.decode()

    assert '<option value="energy" selected>' in html
    assert 'name="q" type="search" value="energie"' in html


# --- hostile and invalid input ----------------------------------------------------------


HOSTILE = ['"', "NEAR(", "*", "a OR", "AND OR", "NOT", "'", "\\", "foo:*", "(", "-x", "^", "a & | !b", "x" * 5000]


@pytest.mark.parametrize("q", HOSTILE, ids=lambda q: q[:12])
def test_search_hostile_query_is_answered(client: Client, q: str) -> None:
    response = _search(client, q=q)

    assert response.context["page"] is not None


def test_search_script_in_the_query_is_escaped(client: Client) -> None:
    html = _search(client, q='<script>alert("x")</script>').content.decode()

    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_search_query_too_long_is_reported_not_searched(client: Client) -> None:
    response = _search(client, q="x" * 5000)

    assert "q" in response.context["form"].errors
    assert "at most 200 characters" in response.content.decode()


def test_search_query_of_punctuation_only_lists_everything_and_says_so(client: Client) -> None:
    response = _search(client, q='"*"')

    assert response.context["page"].total == SearchDocument.objects.count()
    assert "has no letters or digits to search for" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "label"),
    [
        ({"theme": "no-such-theme"}, "theme", "Theme"),
        ({"kind": "person"}, "kind", "Kind of result"),
        ({"trl": "0-3"}, "trl", "TRL band"),
        ({"side": "<b>x</b>"}, "side", "Side"),
        ({"instrument": "nope"}, "instrument", "Funding instrument"),
        ({"page": "abc"}, "page", "Page"),
        ({"q": "a\x00b"}, "q", "Search for"),
    ],
)
def test_search_invalid_parameter_is_named_and_left_out(client: Client, params: dict, field: str, label: str) -> None:
    response = _search(client, **params)
    html = response.content.decode()

    assert field in response.context["form"].errors
    assert f"<strong>{label}</strong>:" in html
    assert "<b>x</b>" not in html
    assert response.context["page"].total == SearchDocument.objects.count()


def test_search_page_beyond_the_last_shows_the_last(client: Client) -> None:
    page = _search(client, kind="theme", page=99).context["page"]

    assert page.number == 1
    assert len(page.results) == Theme.objects.count()


def test_search_pages_through_all_results(client: Client) -> None:
    first = _search(client).context["page"]
    second = _search(client, page=2).context["page"]

    assert len(first.results) == PAGE_SIZE
    assert {r.key for r in first.results}.isdisjoint({r.key for r in second.results})
    assert first.page_count == -(-SearchDocument.objects.count() // PAGE_SIZE)


# --- output ---------------------------------------------------------------------------


def test_marked_escapes_the_text_then_marks_the_matches() -> None:
    text = f'a <b>&"x" {MARK_START}<i>c</i>{MARK_END} {MARK_START}'

    assert marked(text) == "a &lt;b&gt;&amp;&quot;x&quot; <mark>&lt;i&gt;c&lt;/i&gt;</mark> "


def test_search_result_text_is_escaped(client: Client) -> None:
    html = _search(client, "nl", q="Life Sciences", kind="theme").content.decode()

    assert "<mark>Life</mark> <mark>Sciences</mark> &amp; Health" in html


def test_search_results_link_to_their_pages(client: Client) -> None:
    html = _search(client, "en", q="imec").content.decode()

    assert 'href="/en/organisations/imec/"' in html
    assert 'href="/en/themes/' in html  # activities link to their theme


def test_search_without_results_says_so_with_a_hint(client: Client) -> None:
    html = _search(client, "en", q="qqqzzzxxx").content.decode()

    assert "No results for “qqqzzzxxx”." in html
    assert "check the spelling" in html


def test_search_htmx_request_gets_only_the_results(client: Client) -> None:
    response = client.get("/en/search/", {"q": "energie"}, headers={"HX-Request": "true"})
    html = response.content.decode()

    assert response.status_code == 200
    assert "<html" not in html
    assert 'class="search-list"' in html
    assert 'id="search-q"' not in html
    assert "HX-Request" in response["Vary"]


def test_search_htmx_request_pushes_the_url_without_empty_filters(client: Client) -> None:
    params = {"q": "energie", "kind": "", "theme": "energy", "status": ""}
    response = client.get("/en/search/", params, headers={"HX-Request": "true"})
    everything = client.get("/en/search/", {"q": "", "kind": ""}, headers={"HX-Request": "true"})

    assert response["HX-Push-Url"] == "/en/search/?q=energie&theme=energy"
    assert everything["HX-Push-Url"] == "/en/search/"


def test_search_htmx_history_restore_gets_the_whole_page(client: Client) -> None:
    headers = {"HX-Request": "true", "HX-History-Restore-Request": "true"}
    html = client.get("/en/search/", {"q": "energie"}, headers=headers).content.decode()

    assert "<html" in html


def test_search_page_works_without_javascript(client: Client) -> None:
    html = _search(client, "en", q="energie").content.decode()

    assert '<form class="search" role="search" action="/en/search/" method="get"' in html
    assert "<noscript><button" in html


def test_search_only_accepts_get(client: Client) -> None:
    assert client.post("/en/search/", {"q": "x"}).status_code == 405


# --- the index --------------------------------------------------------------------------


def test_index_holds_exactly_the_published_rows() -> None:
    count = actions.rebuild_index()

    assert count == SearchDocument.objects.count()
    by_kind = {kind: SearchDocument.objects.filter(kind=kind).count() for kind in KINDS}
    assert by_kind == {
        "theme": Theme.objects.count(),
        "proposal": Proposal.objects.count(),
        "organisation": Organisation.objects.count(),
        "activity": Activity.objects.count(),
    }


def test_index_rebuild_shows_new_content_and_drops_removed(client: Client) -> None:
    theme = Theme.objects.get(key="photonics")
    Proposal.objects.create(key="zz-new", kind="project", theme=theme, title_nl="Kwantumtelescoopvoorstel")
    assert _search(client, q="kwantumtelescoop").context["page"].total == 0

    actions.rebuild_index()
    assert _keys(_search(client, q="kwantumtelescoop")) == ["zz-new"]

    Proposal.objects.filter(key="zz-new").delete()
    actions.rebuild_index()
    assert _search(client, q="kwantumtelescoop").context["page"].total == 0


def test_index_never_holds_the_match_markers() -> None:
    theme = Theme.objects.get(key="photonics")
    Proposal.objects.create(key="zz-mark", kind="project", theme=theme, title_nl=f"a{MARK_START}b{MARK_END}c")

    actions.rebuild_index()

    assert SearchDocument.objects.get(key="zz-mark").title_nl == "abc"


# --- query counts -----------------------------------------------------------------------


def _query_count(client: Client, **params: Any) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as queries:
        page = _search(client, **params).context["page"]
    return len(queries.captured_queries), len(page.results)


@pytest.mark.parametrize("q", ["", "fotonica"])
def test_search_query_count_does_not_grow_with_results(client: Client, q: str) -> None:
    one, one_results = _query_count(client, q=q, kind="theme", theme="photonics")
    many, many_results = _query_count(client, q=q)

    assert one_results == 1
    assert many_results > 3
    assert many == one
