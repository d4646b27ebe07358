"""The topic map (trechter/analytics/topic_map.py)."""

from __future__ import annotations

import numpy as np
import pytest

from trechter.analytics import topic_map


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
