"""How a typed query becomes search terms (trechter/search/terms.py): pure, no database."""

import pytest

from trechter.search.backends import fts5_query, tsquery
from trechter.search.terms import MAX_TERMS, Term, dutch_prefixes, parse


@pytest.mark.parametrize(
    ("word", "prefixes"),
    [
        ("systemen", ("system", "systeem")),
        ("systeem", ("systeem", "system")),
        ("materialen", ("material", "materiaal")),
        ("zonnecellen", ("zonnecel", "zonneceel")),
        ("sensoren", ("sensor", "sensoor")),
        ("fotonische", ("fotonisch",)),
        ("technologieen", ("technologie",)),
        ("boeken", ("boek",)),
        ("pv", ("pv",)),
    ],
)
def test_dutch_prefixes_cover_singular_and_plural(word: str, prefixes: tuple[str, ...]) -> None:
    assert dutch_prefixes(word) == prefixes


def test_dutch_prefixes_only_widen_the_word() -> None:
    for word in ["implantaten", "bedrijven", "processen", "energie", "waterstof", "clusters"]:
        assert word.startswith(dutch_prefixes(word)[0])


def test_parse_keeps_letters_and_digits_only() -> None:
    assert parse('"  NEAR( * AND OR') == (
        Term(words=("near",), prefixes=("near",)),
        Term(words=("and",), prefixes=("and",)),
        Term(words=("or",), prefixes=("or",)),
    )


def test_parse_folds_case_and_accents() -> None:
    assert parse("Geïntegreerde")[0].words == ("geintegreerde",)


def test_parse_makes_a_phrase_of_a_joined_term() -> None:
    assert parse("TU/e") == (Term(words=("tu", "e"), prefixes=()),)


@pytest.mark.parametrize("query", ["", "   ", '"', "*", "()", "_", "'\\", "-:&|!<>"])
def test_parse_finds_nothing_in_punctuation(query: str) -> None:
    assert parse(query) == ()


def test_parse_caps_the_number_of_terms() -> None:
    assert len(parse("word " * 100)) == MAX_TERMS


def test_fts5_query_quotes_every_word() -> None:
    assert fts5_query(parse("systemen OR tu/e")) == '("system"* OR "systeem"*) AND ("or"*) AND "tu e"*'


def test_tsquery_quotes_every_word() -> None:
    assert tsquery(parse("systemen tu/e")) == "('system':* | 'systeem':*) & ('tu' <-> 'e':*)"


def test_query_builders_escape_quotes_on_their_own() -> None:
    hostile = (Term(words=('a"b',), prefixes=('a"b',)), Term(words=("c'd", "e"), prefixes=()))

    assert fts5_query(hostile) == '("a""b"*) AND "c\'d e"*'
    assert tsquery(hostile) == "('a\"b':*) & ('c''d' <-> 'e':*)"
