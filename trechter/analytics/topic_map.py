"""Where topics lie on a plane, and how strongly each spans themes.

Plane. The topics' centres (unit vectors) projected on their two principal axes (classical
multidimensional scaling of cosine distances: the same thing for centred unit vectors), scaled
into [0, 1]; signs fixed so the largest loading is positive, so a re-run draws the same map.

Cross-theme score. Rao–Stirling diversity says how far apart a topic's themes are, but a
topic that merely mixes single-theme documents (a cluster of "excellence" or "twinning"
projects from every field, or "climate" projects the lexicon files under two themes) scores
as high as one whose documents each join themes, which is what the seed means by a
thema-overstijgend topic (3D printing × biotech × sensors in one project). So the score is
diversity × (INTEGRATION_FLOOR + integration), integration being the share of the topic's
documents that carry two or more themes themselves (the "integration" of interdisciplinarity
studies, beside diversity; Rafols & Meyer 2010). The floor keeps diversity deciding among
topics whose texts each carry one theme, as the agenda's own proposals mostly do. Only
cross-theme topics (analytics.topics) are ranked.

Plain data in, plain data out, no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from trechter.analytics.topics import Topic

INTEGRATION_FLOOR = 0.1


@dataclass(frozen=True)
class CrossTheme:
    score: float  # diversity × (INTEGRATION_FLOOR + integration)
    integration: float  # share of documents with two or more themes
    rank: int | None  # 1 = most cross-theme; None for a topic that is not cross-theme


def cross_theme_ranking(found: Sequence[Topic], themes_of: Mapping[str, Sequence[str]]) -> dict[str, CrossTheme]:
    """Per topic id: its cross-theme score and rank (ties: more documents, then id)."""
    scored: dict[str, tuple[float, float]] = {}
    for topic in found:
        integration = sum(1 for k in topic.documents if len(set(themes_of.get(k, ()))) >= 2) / max(
            1, len(topic.documents)
        )
        scored[topic.id] = (round(topic.diversity * (INTEGRATION_FLOOR + integration), 6), round(integration, 6))
    ranked = sorted((t for t in found if t.is_cross_theme), key=lambda t: (-scored[t.id][0], -len(t.documents), t.id))
    rank_of = {t.id: i + 1 for i, t in enumerate(ranked)}
    return {t.id: CrossTheme(scored[t.id][0], scored[t.id][1], rank_of.get(t.id)) for t in found}


def plane(centres: NDArray[np.floating]) -> NDArray[np.float64]:
    """Two coordinates in [0, 1] per centre (row), from its first two principal axes."""
    data = np.asarray(centres, dtype=np.float64)
    if len(data) == 0:
        return np.zeros((0, 2))
    if len(data) == 1:
        return np.full((1, 2), 0.5)
    centred = data - data.mean(axis=0)
    left, values, axes = np.linalg.svd(centred, full_matrices=False)
    points = left[:, :2] * values[:2]
    for axis in range(points.shape[1]):  # a deterministic orientation
        if axes[axis, np.argmax(np.abs(axes[axis]))] < 0:
            points[:, axis] *= -1
    if points.shape[1] == 1:
        points = np.hstack([points, np.zeros((len(points), 1))])
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    return (points - low) / span
