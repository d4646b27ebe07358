"""Pictures of the evidence as plain shapes for the SVG templates (no queries here)."""

from __future__ import annotations

from dataclasses import dataclass

from trechter.analytics import network

WIDTH, HEIGHT, MARGIN = 720, 460, 30
LABELLED_NODES = 14
BAR_AREA = 160


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    side: str
    name: str
    org_id: str
    links: int
    label: bool


@dataclass(frozen=True)
class Line:
    x1: float
    y1: float
    x2: float
    y2: float
    width: float


@dataclass(frozen=True)
class Drawing:
    width: int
    height: int
    dots: list[Dot]
    lines: list[Line]


def network_drawing(picture: network.Picture, names: dict[str, str]) -> Drawing:
    """Nodes scaled into the canvas, sized by cross-border links; the busiest get a label."""

    def at(x: float, y: float) -> tuple[float, float]:
        return round(MARGIN + x * (WIDTH - 2 * MARGIN), 1), round(MARGIN + y * (HEIGHT - 2 * MARGIN), 1)

    heaviest = max((node.weight for node in picture.nodes), default=1)
    labelled = {n.id for n in sorted(picture.nodes, key=lambda n: (-n.weight, n.id))[:LABELLED_NODES]}
    dots, where = [], {}
    for node in picture.nodes:
        x, y = at(node.x, node.y)
        where[node.id] = (x, y)
        radius = round(3 + 9 * (node.weight / heaviest) ** 0.5, 1)
        name = names.get(node.id, node.id)
        dots.append(Dot(x, y, radius, node.side, name, node.id, node.weight, node.id in labelled))
    strongest = max((edge.weight for edge in picture.edges), default=1)
    lines = [
        Line(*where[edge.a], *where[edge.b], round(0.5 + 3 * edge.weight / strongest, 2))
        for edge in picture.edges
        if edge.a in where and edge.b in where
    ]
    return Drawing(WIDTH, HEIGHT, dots, lines)


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    year: int
    value: int


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_width: float
    bars: list[Bar]
    top: int


def trend_bars(points: list[network.YearPoint]) -> BarChart:
    """Joint NL–VL projects per year as bars."""
    shown = [p for p in points if p.year]
    top = max((p.joint_project_count for p in shown), default=0) or 1
    step = (WIDTH - 2 * MARGIN) / max(len(shown), 1)
    bars = []
    for index, point in enumerate(shown):
        height = round(BAR_AREA * point.joint_project_count / top, 1)
        bars.append(
            Bar(
                round(MARGIN + index * step, 1),
                round(20 + BAR_AREA - height, 1),
                height,
                point.year,
                point.joint_project_count,
            )
        )
    return BarChart(WIDTH, BAR_AREA + 50, round(step * 0.8, 1), bars, top)
