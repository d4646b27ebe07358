"""Version diffs and word diffs: pure functions on plain data."""

from trechter.analytics.diff import FieldChange, RecordChange, diff_fields, diff_records, word_diff


def test_diff_records_lists_added_removed_and_changed_fields_sorted() -> None:
    old = {"b": {"title": "B", "trl": 3}, "a": {"title": "A"}, "gone": {"title": "G"}}
    new = {"b": {"title": "B", "trl": 4}, "a": {"title": "A"}, "new": {"title": "N"}}

    diff = diff_records(old, new)

    assert diff.added == ("new",)
    assert diff.removed == ("gone",)
    assert diff.changed == (RecordChange("b", (FieldChange("trl", 3, 4),)),)
    assert diff.count == 3 and not diff.is_empty


def test_diff_fields_treats_a_missing_field_as_none() -> None:
    assert diff_fields({"a": 1}, {"a": 1, "b": None}) == ()
    assert diff_fields({"a": 1, "c": 2}, {"a": 1}) == (FieldChange("c", 2, None),)


def test_identical_snapshots_have_an_empty_diff() -> None:
    same = {"k": {"x": [1, 2]}}
    assert diff_records(same, same).is_empty


def test_word_diff_marks_only_the_changed_words() -> None:
    pieces = word_diff(
        "De samenwerking start in 2017 met drie partners.", "De samenwerking start in 2018 met vier partners."
    )

    assert [p for p in pieces if p[0] != "equal"] == [
        ("delete", "2017 "),
        ("insert", "2018 "),
        ("delete", "drie "),
        ("insert", "vier "),
    ]
    assert "".join(t for op, t in pieces if op != "insert") == "De samenwerking start in 2017 met drie partners."
    assert "".join(t for op, t in pieces if op != "delete") == "De samenwerking start in 2018 met vier partners."


def test_word_diff_of_equal_texts_is_one_piece() -> None:
    assert word_diff("gelijk blijft gelijk", "gelijk blijft gelijk") == [("equal", "gelijk blijft gelijk")]


def test_word_diff_of_a_rewrite_shows_both_texts_whole() -> None:
    assert word_diff("Een heel andere tekst over waterstof", "Fotonica in Eindhoven") == [
        ("delete", "Een heel andere tekst over waterstof"),
        ("insert", "Fotonica in Eindhoven"),
    ]
