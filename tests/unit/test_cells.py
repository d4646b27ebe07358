"""Formula neutralisation of spreadsheet cells: inert on export, lossless on import."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trechter.exchange.cells import TRIGGERS, neutralise, unneutralise

# Texts that lean towards the interesting cases: apostrophes and trigger characters first.
tricky = st.text(alphabet=st.sampled_from("'=+-@\t\r\n a1;,\"é"), max_size=12)


@given(st.text())
def test_unneutralise_undoes_neutralise_for_any_text(text: str) -> None:
    assert unneutralise(neutralise(text)) == text


@given(tricky)
def test_unneutralise_undoes_neutralise_for_apostrophes_and_triggers(text: str) -> None:
    assert unneutralise(neutralise(text)) == text


@given(st.one_of(st.text(), tricky))
def test_neutralised_text_never_starts_with_a_formula_character(text: str) -> None:
    assert not neutralise(text)[:1] or neutralise(text)[0] not in TRIGGERS


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=1+2", "'=1+2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("+31 20 123 4567", "'+31 20 123 4567"),
        ("-x", "'-x"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ('=HYPERLINK("http://evil","click")', '\'=HYPERLINK("http://evil","click")'),
        ("'=x", "''=x"),
        ("imec", "imec"),
        ("'quoted'", "'quoted'"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_neutralise_examples(text: str, written: str) -> None:
    assert neutralise(text) == written
    assert unneutralise(written) == text


def test_unneutralise_leaves_a_plain_leading_apostrophe() -> None:
    assert unneutralise("'t Hooft") == "'t Hooft"
