"""Writes of partner recommendation: learning its weights from the imported EU projects."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from trechter.analytics import evaluation, recommend
from trechter.partners import data
from trechter.partners.models import RecommenderWeights

# The app asks for Flemish partners of Dutch proposals and the reverse, so the weights are
# learnt on those queries (the evaluation harness uses NL–BE to stay comparable across splits).
SIDES = ("NL", "VL")
MIN_PROJECTS = 150  # Dutch–Flemish projects in the validation year (each gives two queries)
MIN_TEXT_PROJECTS = 100  # … of which have a text, for the year to be preferred (CORDIS 2015: 136)


class NotEnoughData(ValueError):
    """The imported projects do not span two years with Dutch–Flemish projects."""


@transaction.atomic
def train_recommender() -> RecommenderWeights:
    """Learn the recommendation weights on the last year of the imported projects (a model of
    the years before it is asked for the real partners of that year's NL–VL projects) and
    store them. Raises NotEnoughData when there is nothing to learn from."""
    everything = data.dataset()
    year = _validation_year(everything)
    if year is None:
        raise NotEnoughData("no year with Dutch–Flemish projects after an earlier year")
    model = evaluation.build_model(everything.between(None, year - 1))
    cases = evaluation.cases(everything.between(year, year), model, sides=SIDES)
    try:
        weights = recommend.fit_weights(model, [(case.query, case.relevant) for case in cases])
    except ValueError as error:
        raise NotEnoughData(str(error)) from error
    return RecommenderWeights.objects.create(
        validation_year=year,
        query_count=len(cases),
        names=list(weights.names),
        warm=list(weights.warm),
        cold=list(weights.cold),
        foreign=list(weights.foreign),
    )


def _validation_year(everything: evaluation.Dataset) -> int | None:
    """The latest year with at least MIN_TEXT_PROJECTS Dutch–Flemish projects that have a text,
    else the latest with MIN_PROJECTS such projects, else the year with the most; never the first
    year of the data. The finder's queries always carry a text: learnt on a year whose projects
    have none (CORDIS 2017–2019), the weights ignore the text features."""
    sides: dict[str, set[str]] = {}
    for member in everything.members:
        sides.setdefault(member.project, set()).add(member.side)
    per_year: Counter[int] = Counter()
    with_text: Counter[int] = Counter()
    first = min((p.year for p in everything.projects.values() if p.year is not None), default=None)
    for key, present in sides.items():
        project = everything.projects.get(key)
        if project is not None and project.year is not None and project.year != first and set(SIDES) <= present:
            per_year[project.year] += 1
            with_text[project.year] += bool(project.text.strip())
    if not per_year:
        return None
    for counts, least in ((with_text, MIN_TEXT_PROJECTS), (per_year, MIN_PROJECTS)):
        enough = [year for year, count in counts.items() if count >= least]
        if enough:
            return max(enough)
    return max(per_year, key=lambda year: (per_year[year], year))
