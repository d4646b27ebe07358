"""The funnel chart of the trechtermodel (seed, section 1.2, "Figuur. Trechtermodel"): bars
over TRL 1–9 for proposals and activities, NL and VL presence per TRL band, and the gaps — a
TRL band or value-chain stage where one side (NL or VL) has nobody.

Plain data in, plain data out, no Django (tests/unit/test_pure_modules.py checks). The
coordinates are SVG user units of a fixed-width viewBox; the template only draws them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

SIDES = ("NL", "VL")
KINDS = ("proposal", "activity")
TRL_LEVELS = tuple(range(1, 10))
WHOLE_CHAIN = "whole_chain"
# The stages of schema.ValueChainStage that are stages; "whole_chain" stands for all of them.
VALUE_CHAIN_STAGES = ("materials", "components", "equipment", "systems", "applications", "services")

# Geometry of the viewBox. The left margin holds the row captions ("NL", "VL", ...).
# 819 units of plot make whole-unit TRL columns (91 each), so bar edges land on exact values.
WIDTH = 960.0
PLOT_LEFT = 129.0
PLOT_RIGHT = WIDTH - 12.0
COLUMN = (PLOT_RIGHT - PLOT_LEFT) / len(TRL_LEVELS)
BAR_HEIGHT = 18.0
LANE_HEIGHT = 23.0
GROUP_HEADER = 24.0
# Average advance of a character at the bar font size (11px system-ui; DejaVu Sans, the
# widest fallback, measured), generous so that labels never run past the end of their bar.
# Proposal labels are bold (funnel.css), so wider.
CHAR_WIDTH = 6.5
CHAR_WIDTH_BOLD = 7.0
TEXT_PADDING = 6.0


@dataclass(frozen=True)
class Band:
    """A stretch of TRLs: the three bands of section 1.2 or a funding band of the figure."""

    key: str
    trl_from: int
    trl_to: int

    def overlaps(self, trl_from: int, trl_to: int) -> bool:
        return trl_from <= self.trl_to and trl_to >= self.trl_from


# Section 1.2: TRL 1-3 and 7-9 "duidelijk potentieel en concrete intenties voor samenwerking",
# TRL 4-6 "concrete samenwerkingsprojecten".
BANDS = (Band("1-3", 1, 3), Band("4-6", 4, 6), Band("7-9", 7, 9))
# The figure's FINANCIERINGSINSTRUMENTEN row: "TB (i.f.v. samenwerkingspotentieel en
# -intenties)" over TRL 1-3 and 7-9, "INTERREG (VL/NL)" over TRL 4-6.
FUNDING_BANDS = (Band("tb", 1, 3), Band("interreg", 4, 6), Band("tb", 7, 9))


@dataclass(frozen=True)
class Item:
    """A proposal or an activity as the funnel shows it; `sides` ⊆ {"NL", "VL"}."""

    key: str
    label: str
    kind: str
    sides: frozenset[str]
    trl_from: int | None = None
    trl_to: int | None = None
    value_chain: tuple[str, ...] = ()
    url: str = ""
    detail: str = ""
    status: str = ""
    stage_labels: tuple[str, ...] = ()

    @property
    def side(self) -> str:
        """ "BOTH", "NL", "VL", or "" when no NL or VL party is named."""
        if set(SIDES) <= self.sides:
            return "BOTH"
        return next((side for side in SIDES if side in self.sides), "")

    @property
    def is_drawn(self) -> bool:
        """Only items with a TRL range have a place on the x axis; the others are listed only."""
        return self.trl_from is not None and self.trl_to is not None

    @property
    def trl_label(self) -> str:
        if self.trl_from is None or self.trl_to is None:
            return ""
        if self.trl_from == self.trl_to:
            return f"TRL {self.trl_from}"
        return f"TRL {self.trl_from}–{self.trl_to}"


@dataclass(frozen=True)
class Group:
    """Items drawn together under one heading (a kind on a theme page, a theme overall)."""

    key: str
    label: str
    items: tuple[Item, ...]
    url: str = ""


@dataclass(frozen=True)
class Presence:
    """Someone of one side active over a TRL range and value-chain stages: an organisation
    (`who` = "org:<key>") or an activity standing for its side ("activity:<key>")."""

    who: str
    side: str
    trl_from: int | None = None
    trl_to: int | None = None
    value_chain: tuple[str, ...] = ()


@dataclass(frozen=True)
class Coverage:
    """How many distinct NL and VL actors a TRL band or value-chain stage has."""

    key: str
    label: str
    nl_count: int
    vl_count: int

    @property
    def missing(self) -> tuple[str, ...]:
        """The sides with nobody here, in SIDES order."""
        counts = {"NL": self.nl_count, "VL": self.vl_count}
        return tuple(side for side in SIDES if counts[side] == 0)

    @property
    def is_gap(self) -> bool:
        return bool(self.missing)

    @property
    def missing_nl(self) -> bool:
        return "NL" in self.missing

    @property
    def missing_vl(self) -> bool:
        return "VL" in self.missing


def band_coverage(presences: Iterable[Presence], labels: Mapping[str, str] | None = None) -> tuple[Coverage, ...]:
    """Distinct actors per side in each TRL band; a presence counts in every band its range touches."""
    seen: dict[tuple[str, str], set[str]] = {(band.key, side): set() for band in BANDS for side in SIDES}
    for presence in presences:
        if presence.side not in SIDES or presence.trl_from is None or presence.trl_to is None:
            continue
        for band in BANDS:
            if band.overlaps(presence.trl_from, presence.trl_to):
                seen[band.key, presence.side].add(presence.who)
    labels = labels or {}
    return tuple(
        Coverage(band.key, labels.get(band.key, band.key), len(seen[band.key, "NL"]), len(seen[band.key, "VL"]))
        for band in BANDS
    )


def stage_coverage(presences: Iterable[Presence], labels: Mapping[str, str] | None = None) -> tuple[Coverage, ...]:
    """Distinct actors per side in each value-chain stage; "whole_chain" counts in every stage,
    as the seed uses it for work that spans the chain ("de gehele waardeketen")."""
    seen: dict[tuple[str, str], set[str]] = {(stage, side): set() for stage in VALUE_CHAIN_STAGES for side in SIDES}
    for presence in presences:
        if presence.side not in SIDES:
            continue
        stages = VALUE_CHAIN_STAGES if WHOLE_CHAIN in presence.value_chain else presence.value_chain
        for stage in stages:
            if stage in VALUE_CHAIN_STAGES:
                seen[stage, presence.side].add(presence.who)
    labels = labels or {}
    return tuple(
        Coverage(stage, labels.get(stage, stage), len(seen[stage, "NL"]), len(seen[stage, "VL"]))
        for stage in VALUE_CHAIN_STAGES
    )


# ---------------------------------------------------------------------------- layout


def column_x(trl: int) -> float:
    """Left edge of the column of TRL `trl`."""
    return PLOT_LEFT + (trl - 1) * COLUMN


def pack_lanes(items: Sequence[Item]) -> list[list[Item]]:
    """Put drawn items into lanes so that no two bars in a lane share a TRL.

    Proposals get lanes before activities; within a kind, first fit in order of (TRL from,
    longest first, label, key), so the result does not depend on the input order."""
    lanes: list[list[Item]] = []
    for kind in KINDS:
        first_lane = len(lanes)
        drawn = sorted(
            (item for item in items if item.kind == kind and item.is_drawn),
            key=lambda item: (item.trl_from, -(item.trl_to or 0), item.label, item.key),
        )
        for item in drawn:
            assert item.trl_from is not None
            for lane in lanes[first_lane:]:
                if lane[-1].trl_to is not None and lane[-1].trl_to < item.trl_from:
                    lane.append(item)
                    break
            else:
                lanes.append([item])
    return lanes


def fit_text(text: str, width: float, char_width: float = CHAR_WIDTH) -> str:
    """`text` shortened with an ellipsis to fit `width` user units ("" if not even one letter fits)."""
    room = int(max(width, 0) // char_width)
    if len(text) <= room:
        return text
    if room < 2:
        return ""
    return text[: room - 1].rstrip() + "…"


def short_label(text: str, limit: int = 90) -> str:
    """The first sentence (or clause before a colon or semicolon) of a running text, at most
    `limit` characters: a label for an activity, which has only a text."""
    flat = " ".join(text.split())
    ends = [flat.find(stop) for stop in (". ", "; ", ": ")]
    ends = [end for end in ends if end >= 20]
    if ends:
        flat = flat[: min(ends)]
    return fit_text(flat, limit, 1.0)


@dataclass(frozen=True)
class Box:
    x: float
    y: float
    width: float
    height: float

    @property
    def center_x(self) -> float:
        return self.x + self.width / 2

    @property
    def center_y(self) -> float:
        return self.y + self.height / 2

    @property
    def right(self) -> float:
        return self.x + self.width

    @property
    def bottom(self) -> float:
        return self.y + self.height


@dataclass(frozen=True)
class Bar:
    item: Item
    lane: int
    box: Box
    text: str
    text_x: float
    text_y: float


@dataclass(frozen=True)
class Row:
    """A group's heading and its lanes of bars; `listed_only` items have no TRL range."""

    group: Group
    label_y: float
    box: Box
    bars: tuple[Bar, ...]
    listed_only: tuple[Item, ...]


@dataclass(frozen=True)
class BandCell:
    """A TRL band: its heading, its column down the chart, the NL and VL rows (`slot`) with
    their presence bars, and where each count is written."""

    coverage: Coverage
    heading: Box
    column: Box
    nl_slot: Box
    vl_slot: Box
    nl_bar: Box
    vl_bar: Box
    nl_text_x: float
    vl_text_x: float


@dataclass(frozen=True)
class StageCell:
    coverage: Coverage
    box: Box


@dataclass(frozen=True)
class Tick:
    level: int
    x: float
    center_x: float


@dataclass(frozen=True)
class Chart:
    """Everything the SVG template draws, top to bottom."""

    width: float
    height: float
    plot_left: float
    plot_right: float
    funding: tuple[tuple[Band, Box], ...]
    band_y: float
    tick_y: float
    nl_y: float
    vl_y: float
    bands: tuple[BandCell, ...]
    ticks: tuple[Tick, ...]
    items_top: float
    items_bottom: float
    rows: tuple[Row, ...]
    stages_label_y: float
    stages: tuple[StageCell, ...]


@dataclass(frozen=True)
class Funnel:
    """A funnel for one theme or several: the chart plus what its table alternative lists."""

    groups: tuple[Group, ...]
    bands: tuple[Coverage, ...]
    stages: tuple[Coverage, ...]
    chart: Chart

    @property
    def items(self) -> tuple[Item, ...]:
        return tuple(item for group in self.groups for item in group.items)

    @property
    def drawn_count(self) -> int:
        return sum(1 for item in self.items if item.is_drawn)

    @property
    def listed_only_count(self) -> int:
        return sum(1 for item in self.items if not item.is_drawn)

    @property
    def band_gaps(self) -> tuple[Coverage, ...]:
        return tuple(band for band in self.bands if band.is_gap)

    @property
    def stage_gaps(self) -> tuple[Coverage, ...]:
        return tuple(stage for stage in self.stages if stage.is_gap)


def _bar(item: Item, lane: int, top: float) -> Bar:
    assert item.trl_from is not None and item.trl_to is not None
    x = column_x(item.trl_from) + 2
    width = (item.trl_to - item.trl_from + 1) * COLUMN - 4
    y = top + lane * LANE_HEIGHT + (LANE_HEIGHT - BAR_HEIGHT) / 2
    box = Box(round(x, 1), round(y, 1), round(width, 1), BAR_HEIGHT)
    char_width = CHAR_WIDTH_BOLD if item.kind == "proposal" else CHAR_WIDTH
    text = fit_text(item.label, width - 2 * TEXT_PADDING, char_width)
    return Bar(item, lane, box, text, round(x + TEXT_PADDING, 1), round(y + BAR_HEIGHT / 2 + 4, 1))


def _rows(groups: Sequence[Group], top: float) -> tuple[tuple[Row, ...], float]:
    rows = []
    y = top
    for group in groups:
        label_y = y + GROUP_HEADER - 8
        lanes_top = y + GROUP_HEADER
        lanes = pack_lanes(group.items)
        bars = tuple(_bar(item, number, lanes_top) for number, lane in enumerate(lanes) for item in lane)
        height = GROUP_HEADER + max(len(lanes), 1) * LANE_HEIGHT
        listed_only = tuple(item for item in group.items if not item.is_drawn)
        rows.append(Row(group, label_y, Box(PLOT_LEFT, y, PLOT_RIGHT - PLOT_LEFT, height), bars, listed_only))
        y += height + 6
    return tuple(rows), y


def _band_cells(bands: Sequence[Coverage], top: float, nl_y: float, vl_y: float, bottom: float) -> tuple[BandCell, ...]:
    """Presence bars scaled to the largest count of either side in any band, so NL and VL
    and the three bands compare at a glance; room is kept after each bar for its count."""
    largest = max([1, *(band.nl_count for band in bands), *(band.vl_count for band in bands)])
    cells = []
    for band, coverage in zip(BANDS, bands, strict=True):
        x = round(column_x(band.trl_from), 1)
        width = round((band.trl_to - band.trl_from + 1) * COLUMN, 1)
        room = width - 16 - 34
        nl_width = round(room * coverage.nl_count / largest, 1)
        vl_width = round(room * coverage.vl_count / largest, 1)
        cells.append(
            BandCell(
                coverage,
                heading=Box(x + 2, top, width - 4, 24.0),
                column=Box(x + 1, top, width - 2, round(bottom - top, 1)),
                nl_slot=Box(x + 6, nl_y - 2, width - 12, BAR_HEIGHT + 4),
                vl_slot=Box(x + 6, vl_y - 2, width - 12, BAR_HEIGHT + 4),
                nl_bar=Box(x + 8, nl_y, nl_width, BAR_HEIGHT),
                vl_bar=Box(x + 8, vl_y, vl_width, BAR_HEIGHT),
                nl_text_x=round(x + 8 + nl_width + 5, 1),
                vl_text_x=round(x + 8 + vl_width + 5, 1),
            )
        )
    return tuple(cells)


def _stage_cells(stages: Sequence[Coverage], top: float) -> tuple[tuple[StageCell, ...], float]:
    """Value-chain stages in two rows of three, wide enough for their labels."""
    per_row = 3
    width = (PLOT_RIGHT - PLOT_LEFT) / per_row
    height = 46.0
    cells = tuple(
        StageCell(
            coverage,
            Box(
                round(PLOT_LEFT + (index % per_row) * width + 2, 1),
                top + (index // per_row) * (height + 4),
                round(width - 4, 1),
                height,
            ),
        )
        for index, coverage in enumerate(stages)
    )
    rows = -(-len(stages) // per_row)
    return cells, top + rows * (height + 4)


def layout(groups: Sequence[Group], bands: Sequence[Coverage], stages: Sequence[Coverage]) -> Chart:
    """Place the figure's funding row, the TRL bands with NL/VL presence, the bars of each
    group and the value-chain strip, top to bottom."""
    funding_top = 6.0
    funding = tuple(
        (
            band,
            Box(
                round(column_x(band.trl_from) + 2, 1),
                funding_top,
                round((band.trl_to - band.trl_from + 1) * COLUMN - 4, 1),
                38.0,
            ),
        )
        for band in FUNDING_BANDS
    )
    band_y = funding_top + 38 + 8
    tick_y = band_y + 28
    nl_y = tick_y + 20
    vl_y = nl_y + BAR_HEIGHT + 6
    ticks = tuple(
        Tick(level, round(column_x(level), 1), round(column_x(level) + COLUMN / 2, 1)) for level in TRL_LEVELS
    )
    items_top = vl_y + BAR_HEIGHT + 14
    rows, items_bottom = _rows(groups, items_top)
    band_cells = _band_cells(bands, band_y, nl_y, vl_y, items_bottom)
    stages_label_y = items_bottom + 22
    stage_cells, bottom = _stage_cells(stages, stages_label_y + 8)
    return Chart(
        width=WIDTH,
        height=round(bottom + 6, 1),
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
        funding=funding,
        band_y=band_y,
        tick_y=tick_y,
        nl_y=nl_y,
        vl_y=vl_y,
        bands=band_cells,
        ticks=ticks,
        items_top=items_top,
        items_bottom=items_bottom,
        rows=rows,
        stages_label_y=stages_label_y,
        stages=stage_cells,
    )


def build_funnel(
    groups: Sequence[Group],
    presences: Iterable[Presence],
    band_labels: Mapping[str, str] | None = None,
    stage_labels: Mapping[str, str] | None = None,
) -> Funnel:
    """The funnel of `groups` with presence counted from `presences`: coverage, gaps, chart."""
    presences = list(presences)
    bands = band_coverage(presences, band_labels)
    stages = stage_coverage(presences, stage_labels)
    return Funnel(tuple(groups), bands, stages, layout(groups, bands, stages))
