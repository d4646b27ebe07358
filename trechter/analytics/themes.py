"""Which of the agenda's six themes (seed, Hoofdstuk 2) an EU project or a proposal text is
about: weighted English and Dutch terms, topic-code rules and programme rules from
data/theme_lexicon.yaml, summed per theme and compared with one threshold.

Why a lexicon and not a trained model: the labelled set is small (tests/data/theme_labels.csv),
the texts are sparse (FP7 has a result-brief teaser at best, most of H2020 only a call topic),
they come in two languages, and users must see why a project counts for a theme. Every
assignment carries its reasons: the words found and where, the topic rule, the programme rule,
each with the score it added. The measured quality is in tests/data/theme_labels.md.

Plain data in, plain data out, no Django (tests/unit/test_pure_modules.py checks). The same
input always gives the same output: themes best first, ties in lexicon order, reasons by
contribution then text.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "theme_lexicon.yaml"
WORD_CACHE_LIMIT = 200_000
TEXT_FIELDS = ("title", "topic_title", "brief", "objective", "euroscivoc")
OWN_TEXT_FIELDS = ("title", "brief", "objective")
FACTORS = (*TEXT_FIELDS, "topic_title_with_text")
RULE_FIELDS = ("programme", "legal_basis")
# A term found again adds half its value, twice at most: repetition marks the subject.
REPEAT_BONUS = 0.5
REPEAT_CAP = 2
# ... but only for terms that are evidence on their own: a generic word ("materials",
# "ceramic") said often is a feedstock or an application, not the subject.
REPEAT_MIN_WEIGHT = 1.0


@dataclass(frozen=True)
class ProjectText:
    """What the classifier reads of a project; empty strings where the source has nothing.

    `brief` is the FP7 result-brief title and teaser; `topics`, `programme` and
    `legal_basis` are ';'-separated as in the CORDIS files."""

    key: str
    title: str = ""
    objective: str = ""
    topic_title: str = ""
    brief: str = ""
    euroscivoc: str = ""
    programme: str = ""
    legal_basis: str = ""
    topics: str = ""
    framework: str = ""

    @classmethod
    def from_cordis(cls, row: Mapping[str, Any]) -> ProjectText:
        """A ProjectText from a row of the flat CORDIS projects files (missing values → "")."""

        def get(column: str) -> str:
            value = row.get(column)
            return "" if value is None else str(value)

        brief = " ".join(part for part in (get("brief_title"), get("brief_teaser")) if part)
        return cls(
            key=get("project_key"),
            title=get("title"),
            objective=get("objective"),
            topic_title=get("topic_title"),
            brief=brief,
            euroscivoc=get("euroscivoc"),
            programme=get("programme"),
            legal_basis=get("legal_basis"),
            topics=get("topics"),
            framework=get("framework"),
        )


@dataclass(frozen=True)
class Assignment:
    """A theme for a project, its score and why; classify() returns only those at or above
    the lexicon's threshold, score() all six."""

    theme: str
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Term:
    """One lexicon term of a theme, as written in the YAML, and its words as patterns."""

    text: str
    language: str
    weight: float
    words: tuple[int, ...]  # indices into Lexicon.word_patterns


@dataclass(frozen=True)
class WordPattern:
    """One word of a term: the normalised stem and whether letters may come before or after."""

    stem: str
    open_start: bool  # the term began with *: Dutch compounds ("*zonnecel*")
    open_end: bool  # the term ended with *: inflections ("photovoltaic*")

    def matches(self, word: str) -> bool:
        if self.open_start:
            return self.stem in word if self.open_end else word.endswith(self.stem)
        return word.startswith(self.stem) if self.open_end else word == self.stem


@dataclass(frozen=True)
class Rule:
    """A regular expression on topic codes or on programme / legal-basis parts."""

    field: str  # "topics", "programme" or "legal_basis"
    pattern: re.Pattern[str]
    weight: float
    why: str
    only_without_text: bool = False  # a broad call topic says little once the project's own text is there


@dataclass(frozen=True)
class ThemeLexicon:
    """Everything the lexicon says about one theme."""

    key: str
    name_en: str
    name_nl: str
    terms: tuple[Term, ...]
    rules: tuple[Rule, ...]

    def rules_for(self, has_text: bool) -> tuple[Rule, ...]:
        """The rules that apply to a project with or without a text of its own."""
        return tuple(rule for rule in self.rules if not (has_text and rule.only_without_text))


class Lexicon:
    """The themes, terms, rules, field factors and threshold of theme_lexicon.yaml.

    Matching works on words: each distinct word of the input is compared once with the
    lexicon's word patterns (the result is cached on the instance), then multi-word terms are
    checked from the words that can start them."""

    def __init__(
        self,
        themes: tuple[ThemeLexicon, ...],
        word_patterns: tuple[WordPattern, ...],
        threshold: float,
        field_factors: Mapping[str, float],
    ):
        self.themes = themes
        self.word_patterns = word_patterns
        self.threshold = threshold
        self.field_factors = dict(field_factors)
        self._starts: dict[int, list[tuple[int, int]]] = {}  # first word pattern → (theme, term)
        for theme_index, theme in enumerate(themes):
            for term_index, term in enumerate(theme.terms):
                self._starts.setdefault(term.words[0], []).append((theme_index, term_index))
        self._exact: dict[str, list[int]] = {}
        self._prefix: dict[str, list[int]] = {}
        self._open_start: list[int] = []
        for index, pattern in enumerate(word_patterns):
            if pattern.open_start:
                self._open_start.append(index)
            else:
                table = self._prefix if pattern.open_end else self._exact
                table.setdefault(pattern.stem, []).append(index)
        # Grows with the vocabulary of the input: ~100,000 words for all of CORDIS (WORD_CACHE_LIMIT).
        self._word_cache: dict[str, frozenset[int]] = {}
        self._rules = {has_text: tuple(t.rules_for(has_text) for t in themes) for has_text in (False, True)}

    @staticmethod
    @functools.cache
    def default() -> Lexicon:
        """The shipped lexicon, read once per process."""
        return Lexicon.load()

    @classmethod
    def load(cls, path: Path | None = None) -> Lexicon:
        """Read and compile the lexicon; refuses unknown fields, duplicate keys and bad patterns."""
        with open(path or DEFAULT_PATH, encoding="utf-8") as handle:
            data = yaml.load(handle, Loader=_UniqueKeyLoader)  # noqa: S506 — a SafeLoader subclass
        return cls.from_dict(data)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Lexicon:
        """Compile a lexicon from its parsed YAML."""
        factors = {str(k): float(v) for k, v in data["field_factors"].items()}
        if set(factors) != set(FACTORS):
            raise ValueError(f"field_factors must name exactly {FACTORS}")
        patterns: dict[WordPattern, int] = {}
        themes = tuple(_compile_theme(str(key), spec, patterns) for key, spec in data["themes"].items())
        return cls(themes, tuple(patterns), float(data["threshold"]), factors)

    @property
    def theme_keys(self) -> tuple[str, ...]:
        return tuple(theme.key for theme in self.themes)

    def rules(self, has_text: bool) -> tuple[tuple[Rule, ...], ...]:
        """Per theme, the rules that apply to a project with or without a text of its own."""
        return self._rules[has_text]

    def word(self, word: str) -> frozenset[int]:
        """The word patterns a (normalised) word matches."""
        found = self._word_cache.get(word)
        if found is None:
            indices = list(self._exact.get(word, ()))
            for end in range(1, len(word) + 1):
                indices += self._prefix.get(word[:end], ())
            indices += [i for i in self._open_start if self.word_patterns[i].matches(word)]
            if len(self._word_cache) >= WORD_CACHE_LIMIT:  # a long-lived lexicon reads free text too
                self._word_cache.clear()
            found = self._word_cache[word] = frozenset(indices)
        return found

    def find(self, text: str) -> list[list[tuple[int, int]]]:
        """Per theme, the (term index, first word) of each term found in a normalised text.

        Like a regular expression: left to right, not overlapping within a theme, and at one
        position the term of most words wins ("solar cell*" over "solar"), then a term whose
        first word is not open to the left ("laser*" over "*laser*"), then the longer term,
        then the first in the lexicon."""
        tokens = text.split()
        sets = [self.word(token) for token in tokens]
        # per theme: start → (rank, term index, words)
        best: list[dict[int, tuple[tuple[int, bool, int, int], int, int]]] = [{} for _ in self.themes]
        for start, matched in enumerate(sets):
            for pattern in matched:
                for theme_index, term_index in self._starts.get(pattern, ()):
                    term = self.themes[theme_index].terms[term_index]
                    words = term.words
                    if start + len(words) > len(tokens):
                        continue
                    if any(words[k] not in sets[start + k] for k in range(1, len(words))):
                        continue
                    closed = not self.word_patterns[words[0]].open_start
                    rank = (len(words), closed, len(term.text), -term_index)
                    current = best[theme_index].get(start)
                    if current is None or rank > current[0]:
                        best[theme_index][start] = (rank, term_index, len(words))
        found: list[list[tuple[int, int]]] = []
        for per_start in best:
            hits: list[tuple[int, int]] = []
            free_from = 0
            for start in sorted(per_start):
                if start >= free_from:
                    _, term_index, length = per_start[start]
                    hits.append((term_index, start))
                    free_from = start + length
            found.append(hits)
        return found


def classify(project: ProjectText, lexicon: Lexicon) -> list[Assignment]:
    """The themes whose score reaches the lexicon's threshold, best first, each with reasons."""
    assignments = [a for a in score(project, lexicon) if a.score >= lexicon.threshold]
    return sorted(assignments, key=lambda a: -a.score)  # stable: ties keep lexicon order


def classify_many(projects: Iterable[ProjectText], lexicon: Lexicon) -> dict[str, list[Assignment]]:
    """classify() for each project, keyed by project key (a repeated key keeps the last)."""
    return {project.key: classify(project, lexicon) for project in projects}


def score(project: ProjectText, lexicon: Lexicon) -> list[Assignment]:
    """Every theme's score and reasons, in lexicon order, whether or not it reaches the threshold.

    The call's topic title weighs less when the project has a text of its own
    (field factor topic_title_with_text), and rules marked only_without_text are skipped then."""
    texts = {field: normalise(value) if (value := getattr(project, field)) else "" for field in TEXT_FIELDS}
    parts = {field: _split(getattr(project, field)) for field in ("topics", *RULE_FIELDS)}
    has_text = any(texts[field] for field in OWN_TEXT_FIELDS)
    factors = dict(lexicon.field_factors)
    if has_text:
        factors["topic_title"] = factors["topic_title_with_text"]
    # term index → (count, fields, first word found), per theme
    found: list[dict[int, tuple[int, list[str], str]]] = [{} for _ in lexicon.themes]
    for field in TEXT_FIELDS:
        if not texts[field]:
            continue
        tokens = texts[field].split()
        for theme_index, hits in enumerate(lexicon.find(texts[field])):
            for term_index, start in hits:
                words = len(lexicon.themes[theme_index].terms[term_index].words)
                count, fields, word = found[theme_index].get(
                    term_index, (0, [], " ".join(tokens[start : start + words]))
                )
                if field not in fields:
                    fields.append(field)
                found[theme_index][term_index] = (count + 1, fields, word)
    rules = lexicon.rules(has_text) if any(parts.values()) else tuple(() for _ in lexicon.themes)
    return [_score_theme(theme, found[i], rules[i], parts, factors) for i, theme in enumerate(lexicon.themes)]


def normalise(text: str) -> str:
    """Lower case, accents stripped, everything but letters and digits turned into single spaces."""
    plain = text.lower()
    if not plain.isascii():
        decomposed = unicodedata.normalize("NFKD", plain)
        plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(_NON_WORD.sub(" ", plain).split())


_NON_WORD = re.compile(r"[^a-z0-9]+")


def _score_theme(
    theme: ThemeLexicon,
    found: Mapping[int, tuple[int, Sequence[str], str]],
    rules: tuple[Rule, ...],
    parts: Mapping[str, tuple[str, ...]],
    factors: Mapping[str, float],
) -> Assignment:
    if not found and not rules:
        return Assignment(theme=theme.key, score=0.0, reasons=())
    contributions: list[tuple[float, str]] = []
    for term_index, (count, fields, word) in found.items():
        term = theme.terms[term_index]
        value = term.weight * max(factors[field] for field in fields)
        if term.weight >= REPEAT_MIN_WEIGHT:
            value *= 1 + REPEAT_BONUS * min(count - 1, REPEAT_CAP)
        if value:
            times = f" ×{count}" if count > 1 else ""
            where = ", ".join(fields)
            contributions.append((value, f'"{word}"{times} in {where} (term {term.text}, {term.language})'))
    for kind in ("topics", "programme"):
        best_rule = _strongest_rule(rules, parts, kind)
        if best_rule is not None:
            rule, part = best_rule
            label = "topic code" if rule.field == "topics" else rule.field.replace("_", " ")
            contributions.append((rule.weight, f"{label} {part} ({rule.why})"))
    total = round(sum(value for value, _ in contributions), 6)
    ordered = sorted(contributions, key=lambda c: (-c[0], c[1]))
    reasons = tuple(f"{text} {value:+.2f}" for value, text in ordered)
    return Assignment(theme=theme.key, score=total, reasons=reasons)


def _strongest_rule(
    rules: tuple[Rule, ...], parts: Mapping[str, tuple[str, ...]], kind: str
) -> tuple[Rule, str] | None:
    """The highest-weighted rule of a kind ("topics", or "programme" for programme and legal
    basis together) that matches a part, with that part; the first such rule on ties."""
    fields = ("topics",) if kind == "topics" else RULE_FIELDS
    if not any(parts[field] for field in fields):
        return None
    best: tuple[Rule, str] | None = None
    for rule in rules:
        if rule.field not in fields or (best is not None and rule.weight <= best[0].weight):
            continue
        for part in parts[rule.field]:
            if rule.pattern.search(part):
                best = (rule, part)
                break
    return best


def _split(value: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in value.split(";") if part.strip())


def _compile_theme(key: str, spec: Mapping[str, Any], patterns: dict[WordPattern, int]) -> ThemeLexicon:
    terms: list[Term] = []
    seen: set[tuple[int, ...]] = set()
    for language, entries in (spec.get("terms") or {}).items():
        for text, weight in (entries or {}).items():
            words = tuple(patterns.setdefault(p, len(patterns)) for p in _word_patterns(str(text)))
            if words in seen:
                raise ValueError(f"{key}: term {text!r} repeats another term")
            seen.add(words)
            terms.append(Term(text=str(text), language=str(language), weight=float(weight), words=words))
    rules = [_rule(key, "topics", item) for item in spec.get("topics") or []]
    rules += [_rule(key, str(item["field"]), item) for item in spec.get("programmes") or []]
    return ThemeLexicon(
        key=key, name_en=str(spec["name_en"]), name_nl=str(spec["name_nl"]), terms=tuple(terms), rules=tuple(rules)
    )


def _word_patterns(text: str) -> list[WordPattern]:
    """The words of a term, normalised like the texts; a * at the start of the term opens its
    first word to the left, a * at the end opens its last word to the right."""
    words = normalise(text.strip("*")).split()
    if not words:
        raise ValueError(f"empty term {text!r}")
    last = len(words) - 1
    return [
        WordPattern(
            stem=word,
            open_start=text.startswith("*") and i == 0,
            open_end=text.endswith("*") and i == last,
        )
        for i, word in enumerate(words)
    ]


def _rule(theme: str, field: str, item: Mapping[str, Any]) -> Rule:
    if field not in ("topics", *RULE_FIELDS):
        raise ValueError(f"{theme}: unknown rule field {field!r}")
    unknown = set(item) - {"field", "pattern", "weight", "why", "only_without_text"}
    if unknown:
        raise ValueError(f"{theme}: unknown rule keys {sorted(unknown)}")
    return Rule(
        field=field,
        pattern=re.compile(str(item["pattern"])),
        weight=float(item["weight"]),
        why=str(item["why"]),
        only_without_text=bool(item.get("only_without_text", False)),
    )


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses a mapping with the same key twice (YAML would keep the last)."""


def _construct_unique_mapping(loader: yaml.SafeLoader, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
    keys: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=deep)
        if key in keys:
            raise ValueError(f"duplicate key {key!r} in the theme lexicon, line {key_node.start_mark.line + 1}")
        keys.add(key)
    return loader.construct_mapping(node, deep=deep)


_UniqueKeyLoader.add_constructor(yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_unique_mapping)
