"""The map of topics as plain shapes for the SVG template (no queries here)."""

from __future__ import annotations

import math
from dataclasses import dataclass

from trechter.topics.models import Topic

WIDTH, HEIGHT, MARGIN = 720, 440, 36
LABELLED = 14  # the largest and the cross-theme ones get a label, unless it overlaps
CHAR_WIDTH, LABEL_HEIGHT, LABEL_CHARS = 6.2, 12, 24


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    key: str
    label: str
    short: str
    theme: str  # the topic's largest theme ("" when none)
    colour: int  # its place in the agenda's theme order (-1: no theme): the same colour on every filter
    is_cross_theme: bool
    document_count: int
    show_label: bool
    label_x: float  # the label's centre, kept inside the picture


@dataclass(frozen=True)
class TopicMap:
    width: int
    height: int
    dots: list[Dot]
    themes: list[tuple[str, int]]  # (theme, colour) of the themes that colour some dot, in the agenda's order


def topic_map(topics: list[Topic], labels: dict[str, str], theme_order: list[str]) -> TopicMap:
    """Each topic at its place on the plane, area by its number of documents, coloured by its
    largest theme; cross-theme topics get a ring (in the template)."""
    largest = max((t.document_count for t in topics), default=1)
    placed: list[tuple[float, float, float, float]] = []
    dots = []
    chosen = {t.key for t in sorted(topics, key=lambda t: (t.cross_theme_rank or 10_000, -t.document_count))[:LABELLED]}
    for topic in sorted(topics, key=lambda t: (-t.document_count, t.key)):
        x = round(MARGIN + topic.x * (WIDTH - 2 * MARGIN), 1)
        y = round(MARGIN + topic.y * (HEIGHT - 2 * MARGIN), 1)
        r = round(3 + 13 * math.sqrt(topic.document_count / largest), 1)
        label = labels[topic.key]
        short = label if len(label) <= LABEL_CHARS else label[: LABEL_CHARS - 1] + "…"
        half = len(short) * CHAR_WIDTH / 2
        label_x = round(min(max(x, half + 2), WIDTH - half - 2), 1)
        box = (label_x - half, y - r - LABEL_HEIGHT - 2, 2 * half, LABEL_HEIGHT)
        show = topic.key in chosen and not any(_overlap(box, other) for other in placed)
        if show:
            placed.append(box)
        theme = max(topic.theme_shares.items(), key=lambda kv: (kv[1], kv[0]))[0] if topic.theme_shares else ""
        colour = theme_order.index(theme) if theme in theme_order else -1
        dots.append(
            Dot(x, y, r, topic.key, label, short, theme, colour, topic.is_cross_theme, topic.document_count, show,
                label_x)
        )  # fmt: skip
    used = {d.theme for d in dots if d.theme}
    return TopicMap(WIDTH, HEIGHT, dots, [(t, i) for i, t in enumerate(theme_order) if t in used])


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]
