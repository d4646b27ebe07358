"""The evidence pictures as shapes: bars per year with gaps where the data has none, and network
labels that never overlap."""

from __future__ import annotations

import itertools

from trechter.analytics import network
from trechter.evidence import charts


def point(year: int, joint: int) -> network.YearPoint:
    return network.YearPoint(year, joint + 1, joint, joint, 0.0, 0.0)


def test_a_year_without_any_data_is_a_gap_and_a_year_without_joint_projects_is_a_zero() -> None:
    chart = charts.trend_bars([point(2018, 4), point(2019, 0), point(2022, 2)], data_years={2018, 2019, 2020, 2022})

    assert [bar.year for bar in chart.bars] == [2018, 2019, 2020, 2021, 2022]
    assert [bar.known for bar in chart.bars] == [True, True, True, False, True]
    assert [bar.value for bar in chart.bars] == [4, 0, 0, 0, 2]
    assert chart.has_gaps


def test_bars_scale_to_the_tallest_and_stay_in_the_canvas() -> None:
    chart = charts.year_bars({2010: 5.0, 2011: 10.0, 2012: None})

    tallest = max(chart.bars, key=lambda bar: bar.height)
    assert tallest.year == 2011 and tallest.height == charts.BAR_AREA
    assert chart.bars[0].height == charts.BAR_AREA / 2
    assert not chart.bars[2].known
    assert all(bar.x >= 0 and bar.x + chart.bar_width <= chart.width for bar in chart.bars)


def test_no_years_no_bars() -> None:
    assert charts.year_bars({}).bars == []
    assert charts.trend_bars([], data_years=set()).bars == []


def test_network_labels_do_not_overlap_and_name_the_busiest_first() -> None:
    # Forty organisations in a tight cluster: most labels would collide.
    nodes = tuple(
        network.Node(f"o{i:02}", "NL" if i % 2 else "VL", 0.5 + (i % 5) * 0.01, 0.5 + (i // 5) * 0.01, 40 - i)
        for i in range(40)
    )
    names = {node.id: f"Organisation number {node.id}" for node in nodes}

    drawing = charts.network_drawing(network.Picture(nodes, ()), names)

    labelled = [dot for dot in drawing.dots if dot.label]
    assert 1 <= len(labelled) <= charts.LABELLED_NODES
    assert labelled[0].org_id == "o00", "the busiest organisation is always labelled"
    boxes = []
    for dot in labelled:
        half = len(dot.short) * charts.CHAR_WIDTH / 2
        boxes.append((dot.x - half, dot.y - dot.r - 3 - charts.LABEL_HEIGHT, dot.x + half, dot.y - dot.r - 3))
    for a, b in itertools.combinations(boxes, 2):
        assert not charts._overlap(a, b)


def test_long_names_are_shortened_in_labels_only() -> None:
    nodes = (network.Node("x", "NL", 0.5, 0.5, 3),)
    long = "NEDERLANDSE ORGANISATIE VOOR TOEGEPAST NATUURWETENSCHAPPELIJK ONDERZOEK TNO"

    dot = charts.network_drawing(network.Picture(nodes, ()), {"x": long}).dots[0]

    assert dot.name == long
    assert len(dot.short) == charts.LABEL_CHARS and dot.short.endswith("…")
