"""The Factory of the Future / Smart Industry assessment and award (seed, section 2.3.4 and
Bijlage 4b §3): one methodology for Flanders and the Netherlands, as plain data.

A method names the aspects a company is assessed on (by default the seven transformations
of Made Different), the maturity scale (1–5), the award rule (every aspect at level 4 or
higher: "diegene die op alle 7 aspecten maturity 4 worden geclassificeerd krijgen dat jaar
de prijs"), how long the label holds ("mogen zich dan 3 jaar FoF noemen") and when to remind
a winner to be re-assessed. Assessors score every aspect independently; scores of one aspect
more than one level apart are flagged for the consensus step, which records the agreed level
with a reason. The decision follows the rule; the feedback says what goes well and what to
improve, and where the company stands against the round.

Plain data in, plain data out, no Django.
"""

from __future__ import annotations

import re
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

VALID, REMIND, LAPSED = "valid", "remind", "lapsed"
KEY = re.compile(r"[a-z][a-z0-9_]*")
MAX_KEY = 40  # an aspect's key is stored with every score (fof.AspectScore.aspect holds 60)


class MethodError(ValueError):
    """A method that cannot be used; `field` names the offending setting ("award_level")."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message


class ScoreError(ValueError):
    """A score that cannot be stored; `field` names the aspect ("digital_factory"), `code` the
    problem ("unknown_aspect", "missing", "not_whole", "outside") for pages to word it."""

    def __init__(self, field: str, message: str, code: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Aspect:
    key: str
    name_nl: str
    name_en: str


# The seven transformations of Made Different (Agoria/Sirris), the seed's "7tal op
# productiebedrijven gerichte aspecten".
MADE_DIFFERENT = (
    Aspect(
        "world_class_manufacturing", "Wereldklasse productietechnologieën", "World-class manufacturing technologies"
    ),
    Aspect("end_to_end_engineering", "End-to-end engineering", "End-to-end engineering"),
    Aspect("digital_factory", "Digitale fabriek", "Digital factory"),
    Aspect("human_centred_production", "Mensgerichte productie", "Human-centred production"),
    Aspect("production_network", "Productienetwerk", "Production network"),
    Aspect("eco_production", "Eco-productie", "Eco-production"),
    Aspect("smart_production_systems", "Slimme productiesystemen", "Smart production systems"),
)


@dataclass(frozen=True)
class Method:
    """How a round assesses and awards; the defaults are the seed's."""

    aspects: tuple[Aspect, ...] = MADE_DIFFERENT
    scale_min: int = 1
    scale_max: int = 5
    award_level: int = 4  # every aspect at this level or higher wins
    label_years: int = 3
    reminder_days: int = 90  # how long before the label lapses its holder is reminded
    assessors: int = 2  # at least this many assessors per application
    max_spread: int = 1  # scores of one aspect further apart than this are flagged

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(aspect.key for aspect in self.aspects)

    @property
    def levels(self) -> range:
        return range(self.scale_min, self.scale_max + 1)


def check_method(method: Method) -> Method:
    """The method, or MethodError naming the first setting that cannot work."""
    if not method.aspects:
        raise MethodError("aspects", "name at least one aspect")
    keys = method.keys
    if len(set(keys)) != len(keys):
        raise MethodError("aspects", f"the aspect {_first_twice(keys)!r} is named twice")
    for aspect in method.aspects:
        if not KEY.fullmatch(aspect.key):
            raise MethodError("aspects", f"{aspect.key!r} is no key: a lower-case letter, then letters, digits or _")
        if len(aspect.key) > MAX_KEY:
            raise MethodError("aspects", f"the key {aspect.key[:MAX_KEY]}… is longer than {MAX_KEY} characters")
        if not aspect.name_nl.strip():
            raise MethodError("aspects", f"the aspect {aspect.key!r} has no Dutch name")
    if not 0 <= method.scale_min < method.scale_max <= 10:
        raise MethodError("scale_max", "the scale runs upwards, from 0 or more to at most 10")
    if not method.scale_min <= method.award_level <= method.scale_max:
        raise MethodError("award_level", f"a level of the scale ({method.scale_min}–{method.scale_max})")
    if not 1 <= method.label_years <= 10:
        raise MethodError("label_years", "from 1 to 10 years")
    if not 0 <= method.reminder_days <= 365 * method.label_years:
        raise MethodError("reminder_days", "from 0 days to the label's whole validity")
    if not 1 <= method.assessors <= 10:
        raise MethodError("assessors", "from 1 to 10 assessors per application")
    if not 0 <= method.max_spread < method.scale_max - method.scale_min + 1:
        raise MethodError("max_spread", "from 0 to the width of the scale")
    return method


def _first_twice(keys: Sequence[str]) -> str:
    seen: set[str] = set()
    for key in keys:
        if key in seen:
            return key
        seen.add(key)
    return ""


# --- scores ----------------------------------------------------------------------------------


def check_scores(method: Method, levels: Mapping[str, object]) -> dict[str, int]:
    """One assessor's levels per aspect, checked: every aspect scored with a whole level of the
    scale, nothing else. Raises ScoreError naming the aspect."""
    unknown = sorted(set(levels) - set(method.keys))
    if unknown:
        raise ScoreError(unknown[0], "not an aspect of this round", "unknown_aspect")
    return {key: check_level(method, key, levels.get(key)) for key in method.keys}


def check_level(method: Method, key: str, value: object) -> int:
    """One aspect's level, checked: a whole level of the scale. Raises ScoreError naming the aspect."""
    if key not in method.keys:
        raise ScoreError(key, "not an aspect of this round", "unknown_aspect")
    if value is None or value == "":
        raise ScoreError(key, "give a level", "missing")
    if isinstance(value, bool) or not isinstance(value, int):
        raise ScoreError(key, f"a whole level from {method.scale_min} to {method.scale_max}", "not_whole")
    if value not in method.levels:
        raise ScoreError(key, f"{value} is outside the scale {method.scale_min}–{method.scale_max}", "outside")
    return value


@dataclass(frozen=True)
class AspectSpread:
    """The assessors' levels of one aspect, and whether they are too far apart to agree on alone."""

    aspect: str
    levels: tuple[int, ...]
    flagged: bool
    proposed: int  # the level to agree on: the lower median, never above what most assessors gave


def spreads(method: Method, scores: Sequence[Mapping[str, int]]) -> tuple[AspectSpread, ...]:
    """Per aspect, the levels given (in the order of `scores`), flagged when the highest and the
    lowest are more than `max_spread` apart, and the level proposed for the consensus."""
    found = []
    for key in method.keys:
        given = tuple(score[key] for score in scores if key in score)
        if not given:
            continue
        flagged = max(given) - min(given) > method.max_spread
        found.append(AspectSpread(key, given, flagged, statistics.median_low(given)))
    return tuple(found)


# --- the decision --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Decision:
    awarded: bool
    below: tuple[str, ...]  # aspects under the award level, in the method's order
    missing: tuple[str, ...]  # aspects without an agreed level (no decision until they have one)


def decide(method: Method, agreed: Mapping[str, int]) -> Decision:
    """The award rule: awarded when every aspect has an agreed level at `award_level` or more."""
    missing = tuple(key for key in method.keys if key not in agreed)
    below = tuple(key for key in method.keys if key in agreed and agreed[key] < method.award_level)
    return Decision(not missing and not below, below, missing)


# --- the label ---------------------------------------------------------------------------------------


def label_valid_until(awarded_on: date, years: int) -> date:
    """The last day the label holds: the day before the same date `years` later (a label of
    29 February runs to 28 February)."""
    try:
        anniversary = awarded_on.replace(year=awarded_on.year + years)
    except ValueError:  # 29 February in a year without one
        anniversary = date(awarded_on.year + years, 3, 1)
    return anniversary - timedelta(days=1)


def label_state(awarded_on: date, *, years: int, reminder_days: int, on: date) -> str:
    """VALID from the award day, REMIND in the last `reminder_days` days, LAPSED after the last day.
    (Before the award day the label does not hold yet: LAPSED.)"""
    last = label_valid_until(awarded_on, years)
    if on < awarded_on or on > last:
        return LAPSED
    if (last - on).days < reminder_days:
        return REMIND
    return VALID


# --- feedback ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class AspectPosition:
    """One aspect of one company against the round: its level, the round's levels and where it stands."""

    aspect: str
    level: int
    counts: tuple[int, ...]  # companies of the round per level of the scale, scale_min first
    mean: float
    share_below: float  # share of the other companies of the round below this level (0–1)
    meets_award_level: bool


@dataclass(frozen=True)
class Feedback:
    positions: tuple[AspectPosition, ...]
    strengths: tuple[str, ...] = field(default=())  # at or above the award level, highest first
    improvements: tuple[str, ...] = field(default=())  # below it, furthest below first


def feedback(method: Method, own: Mapping[str, int], round_levels: Sequence[Mapping[str, int]]) -> Feedback:
    """A company's agreed levels against every company's of the round (its own included)."""
    positions = []
    for key in method.keys:
        if key not in own:
            continue
        levels = [levels[key] for levels in round_levels if key in levels]
        counts = tuple(levels.count(level) for level in method.levels)
        others = max(len(levels) - 1, 0)
        below = sum(1 for level in levels if level < own[key])
        positions.append(
            AspectPosition(
                key,
                own[key],
                counts,
                round(statistics.fmean(levels), 2) if levels else float(own[key]),
                round(below / others, 4) if others else 0.0,
                own[key] >= method.award_level,
            )
        )
    order = {key: i for i, key in enumerate(method.keys)}
    strengths = sorted((p for p in positions if p.meets_award_level), key=lambda p: (-p.level, order[p.aspect]))
    improvements = sorted((p for p in positions if not p.meets_award_level), key=lambda p: (p.level, order[p.aspect]))
    return Feedback(tuple(positions), tuple(p.aspect for p in strengths), tuple(p.aspect for p in improvements))
