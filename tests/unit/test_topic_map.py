"""The topic map and the cross-theme ranking (trechter/analytics/topic_map.py)."""

from __future__ import annotations

import numpy as np
import pytest

from trechter.analytics import topic_map
from trechter.analytics.topics import Topic


def topic(key: str, documents: tuple[str, ...], diversity: float, cross: bool = True) -> Topic:
    return Topic(key, documents, (), {}, {}, {}, diversity, cross, np.zeros(4, dtype=np.float32))


def test_cross_theme_rank_weighs_diversity_by_documents_that_join_themes() -> None:
    themes = {"a1": ("x", "y"), "a2": ("x",), "b1": ("x",), "b2": ("y",), "c1": ("x", "y")}
    mixed_only = topic("mixed", ("b1", "b2"), diversity=0.4)  # two single-theme texts, far apart themes
    joined = topic("joined", ("a1", "a2"), diversity=0.2)  # half its texts join two themes
    single = topic("single", ("c1",), diversity=0.9, cross=False)

    ranking = topic_map.cross_theme_ranking([mixed_only, joined, single], themes)

    # 0.2 × (0.1 + 0.5) = 0.12 beats 0.4 × (0.1 + 0) = 0.04
    assert ranking["joined"] == topic_map.CrossTheme(score=0.12, integration=0.5, rank=1)
    assert ranking["mixed"] == topic_map.CrossTheme(score=0.04, integration=0.0, rank=2)
    assert ranking["single"].rank is None


def test_plane_is_in_the_unit_square_and_the_same_every_time() -> None:
    rng = np.random.default_rng(3)
    centres = rng.normal(size=(12, 8))

    first, again = topic_map.plane(centres), topic_map.plane(centres.copy())

    assert first.shape == (12, 2)
    assert first.min() == pytest.approx(0.0) and first.max() == pytest.approx(1.0)
    assert np.array_equal(first, again)
    # the nearest pair of centres stays a near pair on the plane
    distance = np.linalg.norm(centres[:, None] - centres[None], axis=2) + np.eye(12) * 1e9
    i, j = np.unravel_index(np.argmin(distance), distance.shape)
    flat = np.linalg.norm(first[:, None] - first[None], axis=2)
    assert flat[i, j] < np.median(flat[flat > 0])


def test_plane_of_one_or_no_centre() -> None:
    assert topic_map.plane(np.zeros((0, 4))).shape == (0, 2)
    assert topic_map.plane(np.ones((1, 4))).tolist() == [[0.5, 0.5]]
