"""The funnel chart as a standalone SVG for the document: the same layout as the web's chart
(trechter/analytics/funnel.py), drawn with inline attributes instead of the site's CSS, no
links, and a legend inside, so typst (PDF), cairosvg (DOCX) and a browser draw it alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string

from trechter.analytics import funnel

LEGEND_HEIGHT = 52.0

# The colours of trechter/static/css/trechter.css and funnel.css.
INK = "#1d2733"
MUTED = "#5b6675"
SIDE_FILL = {"NL": "#e8772e", "VL": "#f2c200", "BOTH": "#3f9e78", "": "#aeb8c4"}
SIDE_TINT = {"NL": "#fbdcc6", "VL": "#fdefb0", "BOTH": "#d3ecdf", "": "#eceff3"}
SIDE_DARK = {"NL": "#b4531a", "VL": "#a68400", "BOTH": "#2b7457", "": MUTED}


@dataclass(frozen=True)
class Paint:
    """How one bar is drawn: proposals solid with a dark edge, activities light dashed pills."""

    fill: str
    stroke: str
    dash: str
    rx: int
    weight: str


def paint(kind: str, side: str) -> Paint:
    if kind == "proposal":
        return Paint(SIDE_FILL[side], INK, "none", 2, "600")
    return Paint(SIDE_TINT[side], SIDE_DARK[side], "4 2", 9, "400")


@dataclass(frozen=True)
class LegendEntry:
    x: float
    y: float
    paint: Paint
    label: str


def _legend(top: float, labels: list[tuple[str, str, str]]) -> tuple[LegendEntry, ...]:
    """Four entries per line, under the chart."""
    per_line, width = 4, (funnel.WIDTH - 16) / 4
    return tuple(
        LegendEntry(round(8 + (n % per_line) * width, 1), top + (n // per_line) * 22, paint(kind, side), label)
        for n, (kind, side, label) in enumerate(labels)
    )


def funnel_svg(chart_funnel: funnel.Funnel, *, chart_id: str, title: str, legend: list[tuple[str, str, str]]) -> str:
    """The chart of `chart_funnel` as an SVG document; `legend` is (kind, side, label) per entry."""
    chart = chart_funnel.chart
    bars = [(bar, paint(bar.item.kind, bar.item.side)) for row in chart.rows for bar in row.bars]
    return render_to_string(
        "reports/funnel.svg",
        {
            "funnel": chart_funnel,
            "chart": chart,
            "bars": bars,
            "chart_id": chart_id,
            "title": title,
            "height": chart.height + LEGEND_HEIGHT,
            "legend": _legend(chart.height + 10, legend),
            "nl": SIDE_FILL["NL"],
            "vl": SIDE_FILL["VL"],
        },
    ).strip()


def size(chart_funnel: funnel.Funnel) -> tuple[float, float]:
    return chart_funnel.chart.width, chart_funnel.chart.height + LEGEND_HEIGHT
