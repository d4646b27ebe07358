"""Pictures of the evidence as plain shapes for the SVG templates (no queries here)."""

from __future__ import annotations

from dataclasses import dataclass

from trechter.analytics import network

WIDTH, HEIGHT, MARGIN = 720, 460, 30
LABELLED_NODES = 12
LABEL_CHARS = 22
CHAR_WIDTH, LABEL_HEIGHT = 6.2, 12  # of the 11px label font, for the overlap test
BAR_AREA = 160


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    side: str
    name: str
    short: str
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
    """Nodes scaled into the canvas, sized by cross-border links; the busiest get a label,
    unless it would overlap a label already placed (their names are in the pairs table)."""

    def at(x: float, y: float) -> tuple[float, float]:
        return round(MARGIN + x * (WIDTH - 2 * MARGIN), 1), round(MARGIN + y * (HEIGHT - 2 * MARGIN), 1)

    heaviest = max((node.weight for node in picture.nodes), default=1)
    busiest = sorted(picture.nodes, key=lambda n: (-n.weight, n.id))
    placed: list[tuple[float, float, float, float]] = []
    labelled: set[str] = set()
    where: dict[str, tuple[float, float]] = {}
    radius: dict[str, float] = {}
    for node in picture.nodes:
        where[node.id] = at(node.x, node.y)
        radius[node.id] = round(3 + 9 * (node.weight / heaviest) ** 0.5, 1)
    for node in busiest[: LABELLED_NODES * 2]:
        if len(labelled) == LABELLED_NODES:
            break
        x, y = where[node.id]
        half = len(_label(names.get(node.id, node.id))) * CHAR_WIDTH / 2
        box = (x - half, y - radius[node.id] - 3 - LABEL_HEIGHT, x + half, y - radius[node.id] - 3)
        if box[0] < 0 or box[2] > WIDTH or box[1] < 0 or any(_overlap(box, other) for other in placed):
            continue
        placed.append(box)
        labelled.add(node.id)
    dots = [
        Dot(
            *where[node.id],
            radius[node.id],
            node.side,
            names.get(node.id, node.id),
            _label(names.get(node.id, node.id)),
            node.id,
            node.weight,
            node.id in labelled,
        )
        for node in picture.nodes
    ]
    strongest = max((edge.weight for edge in picture.edges), default=1)
    lines = [
        Line(*where[edge.a], *where[edge.b], round(0.5 + 3 * edge.weight / strongest, 2))
        for edge in picture.edges
        if edge.a in where and edge.b in where
    ]
    return Drawing(WIDTH, HEIGHT, dots, lines)


def _label(name: str) -> str:
    return name if len(name) <= LABEL_CHARS else name[: LABEL_CHARS - 1].rstrip() + "…"


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    height: float
    year: int
    value: float
    known: bool  # False: the imported data says nothing about this year (drawn hatched)


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_width: float
    bars: list[Bar]
    top: float

    @property
    def has_gaps(self) -> bool:
        return any(not bar.known for bar in self.bars)


def year_bars(values: dict[int, float | None]) -> BarChart:
    """A bar per year from the first to the last of `values`; a year that is missing or None
    is a gap in the data and drawn as such, instead of its neighbours closing up or a zero."""
    if not values:
        return BarChart(WIDTH, BAR_AREA + 50, 0, [], 0)
    years = range(min(values), max(values) + 1)
    top = max((v for v in values.values() if v is not None), default=0) or 1
    step = (WIDTH - 2 * MARGIN) / len(years)
    bars = []
    for index, year in enumerate(years):
        value = values.get(year)
        height = round(BAR_AREA * (value or 0) / top, 1)
        bars.append(
            Bar(
                round(MARGIN + index * step, 1),
                round(20 + BAR_AREA - height, 1),
                height,
                year,
                value or 0,
                value is not None,
            )
        )
    return BarChart(WIDTH, BAR_AREA + 50, round(step * 0.8, 1), bars, top)


def trend_bars(points: list[network.YearPoint], data_years: set[int]) -> BarChart:
    """Joint NL–VL projects per year; a year in which the imported data has no project at all
    (not in `data_years`) is a gap, whereas a year with projects but none joint is a zero."""
    counts = {p.year: p.joint_project_count for p in points if p.year}
    if not counts:
        return year_bars({})
    return year_bars(
        {year: counts.get(year, 0) if year in data_years else None for year in range(min(counts), max(counts) + 1)}
    )
