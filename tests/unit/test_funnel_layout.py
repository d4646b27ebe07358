"""The funnel's pure logic: presence per TRL band and value-chain stage, gaps, lanes and
coordinates (trechter/analytics/funnel.py)."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from trechter.analytics import funnel
from trechter.analytics.funnel import Group, Item, Presence


def _item(key: str, trl: tuple[int, int] | None, kind: str = "proposal", sides: str = "NL") -> Item:
    return Item(
        key=key,
        label=key,
        kind=kind,
        sides=frozenset(sides.split("+")) if sides else frozenset(),
        trl_from=trl[0] if trl else None,
        trl_to=trl[1] if trl else None,
    )


def _counts(coverage: tuple[funnel.Coverage, ...]) -> dict[str, tuple[int, int]]:
    return {c.key: (c.nl_count, c.vl_count) for c in coverage}


# ---------------------------------------------------------------- presence and gaps


def test_band_coverage_counts_each_actor_once_per_band() -> None:
    presences = [
        Presence("org:tue", "NL", 1, 4),
        Presence("org:tue", "NL", 2, 3),  # the same organisation again: still one
        Presence("org:imec", "VL", 4, 6),
        Presence("org:tno", "NL", 7, 9),
    ]

    coverage = funnel.band_coverage(presences)

    assert _counts(coverage) == {"1-3": (1, 0), "4-6": (1, 1), "7-9": (1, 0)}


def test_band_coverage_reports_the_missing_side_as_a_gap() -> None:
    coverage = funnel.band_coverage([Presence("org:tue", "NL", 1, 9), Presence("org:imec", "VL", 4, 6)])

    assert [(c.key, c.missing) for c in coverage] == [("1-3", ("VL",)), ("4-6", ()), ("7-9", ("VL",))]
    assert [c.is_gap for c in coverage] == [True, False, True]
    assert coverage[0].missing_vl and not coverage[0].missing_nl


def test_band_with_nobody_misses_both_sides() -> None:
    coverage = funnel.band_coverage([Presence("org:tue", "NL", 4, 6), Presence("org:imec", "VL", 4, 9)])

    assert coverage[0].missing == ("NL", "VL")


def test_presence_without_trl_range_or_outside_nl_vl_counts_in_no_band() -> None:
    presences = [
        Presence("org:tue", "NL"),
        Presence("org:huawei", "OTHER", 1, 9),
        Presence("org:proximus", "BE_OTHER", 1, 9),
    ]

    assert _counts(funnel.band_coverage(presences)) == {"1-3": (0, 0), "4-6": (0, 0), "7-9": (0, 0)}


def test_band_labels_are_taken_from_the_caller() -> None:
    coverage = funnel.band_coverage([], {"1-3": "TRL 1–3"})

    assert [c.label for c in coverage] == ["TRL 1–3", "4-6", "7-9"]


def test_stage_coverage_counts_whole_chain_in_every_stage() -> None:
    presences = [
        Presence("org:tue", "NL", value_chain=("whole_chain",)),
        Presence("org:imec", "VL", value_chain=("components", "systems")),
    ]

    coverage = funnel.stage_coverage(presences)

    assert _counts(coverage) == {
        "materials": (1, 0),
        "components": (1, 1),
        "equipment": (1, 0),
        "systems": (1, 1),
        "applications": (1, 0),
        "services": (1, 0),
    }
    assert [c.key for c in coverage if c.is_gap] == ["materials", "equipment", "applications", "services"]


def test_stage_coverage_ignores_unknown_stages_and_other_sides() -> None:
    presences = [
        Presence("org:x", "NL", value_chain=("nonsense",)),
        Presence("org:y", "OTHER", value_chain=("materials",)),
    ]

    assert all(c.missing == ("NL", "VL") for c in funnel.stage_coverage(presences))


# ---------------------------------------------------------------- items


def test_item_side_reads_both_one_or_none() -> None:
    assert _item("a", (1, 3), sides="NL+VL").side == "BOTH"
    assert _item("b", (1, 3), sides="VL").side == "VL"
    assert _item("c", (1, 3), sides="").side == ""


def test_item_trl_label_and_drawn() -> None:
    assert _item("a", (4, 6)).trl_label == "TRL 4–6"
    assert _item("b", (7, 7)).trl_label == "TRL 7"
    assert _item("c", None).trl_label == ""
    assert not _item("c", None).is_drawn


def test_fit_text_shortens_with_an_ellipsis() -> None:
    assert funnel.fit_text("Regeneratie op een chip", 1000) == "Regeneratie op een chip"
    assert funnel.fit_text("Regeneratie op een chip", 12 * 6.5, 6.5) == "Regeneratie…"
    assert funnel.fit_text("Regeneratie", 6.5, 6.5) == ""


def test_short_label_takes_the_first_sentence() -> None:
    text = "TU Eindhoven pioneers generic integration technology. Its ecosystem PhotonDelta has core functions."

    assert funnel.short_label(text) == "TU Eindhoven pioneers generic integration technology"
    assert funnel.short_label("Kort. " + "x" * 200, 30) == "Kort. " + "x" * 23 + "…"


# ---------------------------------------------------------------- lanes


def test_pack_lanes_puts_overlapping_bars_in_different_lanes() -> None:
    items = [_item("a", (1, 3)), _item("b", (2, 5)), _item("c", (4, 6)), _item("d", (7, 9))]

    lanes = funnel.pack_lanes(items)

    assert [[i.key for i in lane] for lane in lanes] == [["a", "c", "d"], ["b"]]


def test_pack_lanes_does_not_depend_on_input_order() -> None:
    items = [_item(f"p{n}", (n % 9 + 1, min(9, n % 9 + 1 + n % 3))) for n in range(20)]
    shuffled = items[:]
    random.Random(4).shuffle(shuffled)

    assert funnel.pack_lanes(items) == funnel.pack_lanes(shuffled)


def test_pack_lanes_gives_proposals_their_own_lanes_before_activities() -> None:
    items = [_item("act", (1, 2), kind="activity"), _item("prop", (5, 6))]

    lanes = funnel.pack_lanes(items)

    assert [[i.key for i in lane] for lane in lanes] == [["prop"], ["act"]]


def test_pack_lanes_leaves_out_items_without_trl_range() -> None:
    assert funnel.pack_lanes([_item("a", None), _item("b", (3, 3))]) == [[_item("b", (3, 3))]]


@given(st.lists(st.tuples(st.integers(1, 9), st.integers(0, 8)), max_size=40))
def test_no_two_bars_in_a_lane_share_a_trl(ranges: list[tuple[int, int]]) -> None:
    items = [_item(f"i{n}", (low, min(9, low + span))) for n, (low, span) in enumerate(ranges)]

    lanes = funnel.pack_lanes(items)

    assert sum(len(lane) for lane in lanes) == len(items)
    for lane in lanes:
        levels = [level for item in lane for level in range(item.trl_from or 0, (item.trl_to or 0) + 1)]
        assert len(levels) == len(set(levels))


# ---------------------------------------------------------------- coordinates


def _funnel(items: list[Item], presences: list[Presence] | None = None) -> funnel.Funnel:
    return funnel.build_funnel([Group("proposal", "Proposals", tuple(items))], presences or [])


def test_bar_spans_the_columns_of_its_trl_range() -> None:
    chart = _funnel([_item("interreg-project", (4, 6))]).chart

    (bar,) = chart.rows[0].bars
    assert funnel.COLUMN == 91
    assert (bar.box.x, bar.box.right) == (funnel.column_x(4) + 2, funnel.column_x(7) - 2) == (404, 673)
    assert chart.ticks[3].level == 4 and chart.ticks[3].x == funnel.column_x(4)


def test_trl_axis_runs_from_plot_left_to_plot_right() -> None:
    chart = _funnel([]).chart

    assert [t.level for t in chart.ticks] == list(range(1, 10))
    assert chart.ticks[0].x == funnel.PLOT_LEFT
    assert funnel.column_x(10) == funnel.PLOT_RIGHT


def test_funding_bands_follow_the_seed_figure() -> None:
    chart = _funnel([]).chart

    placed = [(band.key, band.trl_from, band.trl_to) for band, _box in chart.funding]
    assert placed == [("tb", 1, 3), ("interreg", 4, 6), ("tb", 7, 9)]
    interreg_box = chart.funding[1][1]
    assert (interreg_box.x, interreg_box.right) == (funnel.column_x(4) + 2, funnel.column_x(7) - 2)


def test_bars_of_a_lane_share_a_row_and_lanes_do_not_overlap() -> None:
    chart = _funnel([_item("a", (1, 3)), _item("b", (2, 5)), _item("c", (4, 6))]).chart

    bars = {bar.item.key: bar for bar in chart.rows[0].bars}
    assert bars["a"].box.y == bars["c"].box.y
    assert bars["b"].box.y >= bars["a"].box.bottom


def test_groups_stack_top_to_bottom_and_the_value_chain_comes_last() -> None:
    groups = [
        Group("proposal", "Proposals", (_item("a", (1, 3)), _item("b", (2, 5)))),
        Group("activity", "Activities", (_item("c", (1, 9), kind="activity"),)),
    ]

    chart = funnel.build_funnel(groups, []).chart

    first, second = chart.rows
    assert first.box.bottom <= second.box.y
    assert second.box.bottom <= chart.items_bottom < chart.stages[0].box.y
    assert chart.height > chart.stages[-1].box.bottom


def test_items_without_trl_range_are_listed_not_drawn() -> None:
    result = _funnel([_item("drawn", (2, 2)), _item("listed", None)])

    assert [bar.item.key for bar in result.chart.rows[0].bars] == ["drawn"]
    assert [item.key for item in result.chart.rows[0].listed_only] == ["listed"]
    assert (result.drawn_count, result.listed_only_count) == (1, 1)
    assert [item.key for item in result.items] == ["drawn", "listed"]


def test_presence_bars_scale_to_the_largest_count() -> None:
    presences = [Presence(f"org:nl{n}", "NL", 1, 3) for n in range(4)] + [Presence("org:vl", "VL", 1, 3)]

    cell = _funnel([], presences).chart.bands[0]

    assert cell.nl_bar.width == pytest.approx(4 * cell.vl_bar.width, abs=0.2)
    assert cell.nl_bar.right < cell.column.right
    assert cell.nl_text_x > cell.nl_bar.right


def test_gaps_are_listed_for_bands_and_stages() -> None:
    result = _funnel([], [Presence("org:nl", "NL", 1, 9, ("materials",)), Presence("org:vl", "VL", 4, 6)])

    assert [band.key for band in result.band_gaps] == ["1-3", "7-9"]
    assert [stage.key for stage in result.stage_gaps] == list(funnel.VALUE_CHAIN_STAGES)
    assert result.stages[0].missing == ("VL",)
