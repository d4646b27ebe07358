"""Where topics lie on a plane, for the topic map.

From eight topics on, t-SNE of the topics' centres on cosine distance (scikit-learn,
initialised by PCA, fixed seed): neighbours stay neighbours and the map uses the whole square,
where a linear projection piled dozens of topics into one corner beside a few outliers. Fewer
topics are projected on their two principal axes (signs fixed so the largest loading is
positive). Either way scaled into [0, 1], and a re-run draws the same map.

Plain data in, plain data out, no Django.
"""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

TSNE_FROM = 8  # topics; below it the plane is a linear projection


def plane(centres: NDArray[np.floating]) -> NDArray[np.float64]:
    """Two coordinates in [0, 1] per centre (row): t-SNE from TSNE_FROM centres, else PCA."""
    data = np.asarray(centres, dtype=np.float64)
    if len(data) == 0:
        return np.zeros((0, 2))
    if len(data) == 1:
        return np.full((1, 2), 0.5)
    if len(data) >= TSNE_FROM:
        from sklearn.manifold import TSNE

        perplexity = min(30.0, (len(data) - 1) / 3)
        points = TSNE(n_components=2, perplexity=perplexity, metric="cosine", init="pca", random_state=0).fit_transform(
            data
        )
        return _unit_square(np.asarray(points, dtype=np.float64))
    centred = data - data.mean(axis=0)
    left, values, axes = np.linalg.svd(centred, full_matrices=False)
    points = left[:, :2] * values[:2]
    for axis in range(points.shape[1]):  # a deterministic orientation
        if axes[axis, np.argmax(np.abs(axes[axis]))] < 0:
            points[:, axis] *= -1
    if points.shape[1] == 1:
        points = np.hstack([points, np.zeros((len(points), 1))])
    return _unit_square(points)


def _unit_square(points: NDArray[np.float64]) -> NDArray[np.float64]:
    low, high = points.min(axis=0), points.max(axis=0)
    span = np.where(high - low > 0, high - low, 1.0)
    return (points - low) / span
