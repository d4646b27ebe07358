"""Read and check the seed data set: every YAML file under a folder, then cross-references.

Pure Python (pydantic + PyYAML), no Django. `read_dataset()` either returns a complete,
consistent `Dataset` or raises `SeedError` listing every problem with its file, record and
field — the loader writes nothing unless this succeeds.

    python -m trechter.seed.dataset [FOLDER]      # check the data set and print its counts
"""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from trechter.seed import schema

DATA_DIR = Path(__file__).parent / "data"
# libyaml's safe loader when PyYAML was built with it: ten times faster, same errors.
SAFE_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
MAX_FILE_BYTES = 5_000_000  # the largest chapter file is ~150 kB

# Sections whose records carry a `key` unique across the whole data set.
KEYED_SECTIONS = (
    "organisations",
    "people",
    "groups",
    "themes",
    "proposals",
    "activities",
    "funnel_questions",
    "cross_theme_topics",
    "instruments",
    "meetings",
    "criteria",
    "criteria_assessments",
)


class SeedError(Exception):
    """The data set is invalid; `problems` names each place (file, record, field)."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        shown = "\n".join(f"  - {p}" for p in problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        super().__init__(f"seed data set has {len(problems)} problem(s):\n{shown}{more}")


@dataclass(frozen=True)
class Located:
    """A record with the place it came from, for error messages."""

    record: Any
    place: str


@dataclass
class Dataset:
    agenda: schema.AgendaInfo | None = None
    sections: dict[str, list[Located]] = field(default_factory=dict)

    def records(self, section: str) -> list[Any]:
        return [item.record for item in self.sections.get(section, [])]

    def by_key(self, section: str) -> dict[str, Any]:
        return {r.key: r for r in self.records(section)}

    def counts(self) -> dict[str, int]:
        return {name: len(items) for name, items in self.sections.items()}


def _yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*.yaml") if p.is_file())


def _format_loc(section_records: list[Any], loc: tuple[Any, ...]) -> str:
    """('proposals', 3, 'trl', 'trl_from') → "proposals[3] (key 'x'): trl.trl_from"."""
    if not loc:
        return "(file)"
    head = str(loc[0])
    if len(loc) >= 2 and isinstance(loc[1], int):
        index = loc[1]
        head = f"{loc[0]}[{index}]"
        if isinstance(section_records, list) and index < len(section_records):
            raw = section_records[index]
            if isinstance(raw, dict) and "key" in raw:
                head += f" (key '{raw['key']}')"
        rest = ".".join(str(part) for part in loc[2:])
    else:
        rest = ".".join(str(part) for part in loc[1:])
    return f"{head}: {rest}" if rest else head


def _read_yaml(text: str) -> Any:
    """Parse `text`, refusing aliases: the data set needs none, and nested aliases ("billion
    laughs") would make validation walk an exponentially large document."""
    for event in yaml.parse(text, Loader=SAFE_LOADER):
        if isinstance(event, yaml.AliasEvent):
            mark = event.start_mark
            raise yaml.MarkedYAMLError(problem="aliases (*name) are not allowed", problem_mark=mark)
    return yaml.load(text, Loader=SAFE_LOADER)  # noqa: S506 (a safe loader)


def _parse_file(path: Path, root: Path) -> tuple[schema.SeedFile | None, list[str]]:
    name = path.relative_to(root).as_posix()
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            return None, [f"{name}: larger than {MAX_FILE_BYTES // 1_000_000} MB; split it into several files"]
        raw = _read_yaml(path.read_text(encoding="utf-8"))
    except OSError as error:
        return None, [f"{name}: cannot be read ({error.strerror})"]
    except UnicodeDecodeError as error:
        return None, [f"{name}: not UTF-8 ({error.reason} at byte {error.start})"]
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f" line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        return None, [f"{name}:{where}: not valid YAML ({getattr(error, 'problem', error)})"]
    if raw is None:
        return schema.SeedFile(), []
    if not isinstance(raw, dict):
        return None, [f"{name}: the top level must be a mapping of sections"]
    try:
        return schema.SeedFile.model_validate(raw), []
    except ValidationError as error:
        problems = []
        for item in error.errors():
            loc = item["loc"]
            records = raw.get(loc[0]) if loc and isinstance(loc[0], str) else None
            problems.append(f"{name}: {_format_loc(records or [], loc)}: {item['msg']}")
        return None, problems


def read_dataset(folder: Path = DATA_DIR) -> Dataset:
    """Parse and cross-check every YAML file under `folder`; raise SeedError on any problem."""
    if not folder.is_dir():
        raise SeedError([f"{folder}: no such folder"])
    dataset = Dataset()
    problems: list[str] = []
    for path in _yaml_files(folder):
        parsed, file_problems = _parse_file(path, folder)
        problems.extend(file_problems)
        if parsed is None:
            continue
        name = path.relative_to(folder).as_posix()
        if parsed.agenda is not None:
            if dataset.agenda is not None:
                problems.append(f"{name}: agenda: declared a second time")
            dataset.agenda = parsed.agenda
        for section in schema.SeedFile.model_fields:
            if section == "agenda":
                continue
            for index, record in enumerate(getattr(parsed, section)):
                label = f"{name}: {section}[{index}]"
                if hasattr(record, "key"):
                    label += f" (key '{record.key}')"
                dataset.sections.setdefault(section, []).append(Located(record, label))
    if not problems:
        problems.extend(check_references(dataset))
    if problems:
        raise SeedError(problems)
    return dataset


def _duplicates(dataset: Dataset) -> Iterator[str]:
    for section in KEYED_SECTIONS:
        first: dict[str, str] = {}
        for item in dataset.sections.get(section, []):
            key = item.record.key
            if key in first:
                yield f"{item.place}: key '{key}' already declared at {first[key]}"
            else:
                first[key] = item.place
    seen_levels: dict[int, str] = {}
    for item in dataset.sections.get("trl_levels", []):
        level = item.record.level
        if level in seen_levels:
            yield f"{item.place}: level {level} already declared at {seen_levels[level]}"
        seen_levels[level] = item.place
    if seen_levels and sorted(seen_levels) != list(range(1, 10)):
        missing = sorted(set(range(1, 10)) - set(seen_levels))
        yield f"trl_levels: levels {missing} are missing (all nine are needed)"


def _refs(place: str, field_name: str, keys: Iterable[str | None], known: dict[str, Any], kind: str) -> Iterator[str]:
    for key in keys:
        if key is not None and key not in known:
            yield f"{place}: {field_name}: unknown {kind} '{key}'"


def _repeated(place: str, field_name: str, keys: Iterable[Any], what: str = "listed") -> list[str]:
    """Report each key that occurs more than once: the loader would silently merge them."""
    return [f"{place}: {field_name}: {key!r} {what} {n} times" for key, n in Counter(keys).items() if n > 1]


def _cycles(items: list[Located], parent_of: dict[str, str | None], kind: str) -> Iterator[str]:
    for item in items:
        seen = {item.record.key}
        parent = parent_of.get(item.record.key)
        while parent is not None:
            if parent in seen:
                yield f"{item.place}: parent: {kind} hierarchy has a cycle through '{parent}'"
                break
            seen.add(parent)
            parent = parent_of.get(parent)


def check_references(dataset: Dataset) -> list[str]:
    """Every key a record refers to exists, hierarchies have no cycles, orders are unique."""
    problems = list(_duplicates(dataset))
    if dataset.sections.get("themes") and dataset.agenda is None:
        problems.append("agenda: missing; themes belong to an agenda (see agenda.yaml)")
    orgs = dataset.by_key("organisations")
    people = dataset.by_key("people")
    groups = dataset.by_key("groups")
    themes = dataset.by_key("themes")
    proposals = dataset.by_key("proposals")
    instruments = dataset.by_key("instruments")
    questions = dataset.by_key("funnel_questions")
    criteria = dataset.by_key("criteria")
    topics = dataset.by_key("cross_theme_topics")
    sections = dataset.sections

    for item in sections.get("organisations", []):
        problems += _refs(item.place, "parent", [item.record.parent], orgs, "organisation")
    problems += _cycles(sections.get("organisations", []), {k: o.parent for k, o in orgs.items()}, "organisation")
    for item in sections.get("people", []):
        problems += _refs(item.place, "organisation", [item.record.organisation], orgs, "organisation")
    for section, attr in (("groups", "members"), ("meetings", "participants")):
        for item in sections.get(section, []):
            problems += _repeated(item.place, attr, (m.person for m in getattr(item.record, attr)))
            for i, member in enumerate(getattr(item.record, attr)):
                problems += _refs(item.place, f"{attr}[{i}].person", [member.person], people, "person")
                problems += _refs(item.place, f"{attr}[{i}].organisation", [member.organisation], orgs, "organisation")
    for item in sections.get("meetings", []):
        problems += _refs(item.place, "group", [item.record.group], groups, "group")
        problems += _refs(item.place, "host", [item.record.host], orgs, "organisation")
    for item in sections.get("themes", []):
        for i, lead in enumerate(item.record.leads):
            problems += _refs(item.place, f"leads[{i}].organisation", [lead.organisation], orgs, "organisation")
            problems += _refs(item.place, f"leads[{i}].person", [lead.person], people, "person")
        problems += _repeated(item.place, "sub_priorities", (s.key for s in item.record.sub_priorities), "used")
        problems += _repeated(
            item.place, "leads", ((x.side, x.role, x.organisation, x.person) for x in item.record.leads)
        )
    problems += _repeated("themes", "order", (t.order for t in themes.values()), "used")
    problems += _repeated("funnel_questions", "order", (q.order for q in questions.values()), "used")
    problems += _repeated("criteria", "order", ((c.parent, c.order) for c in criteria.values()), "used")
    problems += _repeated(
        "actors", "theme and organisation", ((a.theme, a.organisation) for a in dataset.records("actors"))
    )

    problems += _check_proposals(dataset, themes, proposals, orgs, instruments)
    for item in sections.get("activities", []):
        problems += _refs(item.place, "theme", [item.record.theme], themes, "theme")
        problems += _refs(item.place, "organisations", item.record.organisations, orgs, "organisation")
    for item in sections.get("actors", []):
        problems += _refs(item.place, "theme", [item.record.theme], themes, "theme")
        problems += _refs(item.place, "organisation", [item.record.organisation], orgs, "organisation")
    for item in sections.get("funnel_answers", []):
        problems += _refs(item.place, "theme", [item.record.theme], themes, "theme")
        problems += _refs(item.place, "question", [item.record.question], questions, "funnel question")
    for item in sections.get("cross_theme_topics", []):
        problems += _refs(item.place, "themes", item.record.themes, themes, "theme")
        if len(set(item.record.themes)) < 2:
            problems.append(f"{item.place}: themes: a cross-theme topic spans two or more different themes")
    for item in sections.get("criteria", []):
        problems += _refs(item.place, "parent", [item.record.parent], criteria, "criterion")
    problems += _cycles(sections.get("criteria", []), {k: c.parent for k, c in criteria.items()}, "criterion")
    for item in sections.get("criteria_assessments", []):
        record = item.record
        problems += _refs(item.place, "subject_theme", [record.subject_theme], themes, "theme")
        problems += _refs(item.place, "subject_topic", [record.subject_topic], topics, "cross-theme topic")
        problems += _repeated(item.place, "findings", (f.criterion for f in record.findings))
        for i, finding in enumerate(record.findings):
            problems += _refs(item.place, f"findings[{i}].criterion", [finding.criterion], criteria, "criterion")
    return problems


def _check_proposals(
    dataset: Dataset,
    themes: dict[str, Any],
    proposals: dict[str, Any],
    orgs: dict[str, Any],
    instruments: dict[str, Any],
) -> list[str]:
    problems: list[str] = []
    overview_slots: dict[tuple[str, str, int], str] = {}
    for item in dataset.sections.get("proposals", []):
        p = item.record
        problems += _refs(item.place, "theme", [p.theme], themes, "theme")
        problems += _refs(item.place, "other_themes", p.other_themes, themes, "theme")
        problems += _refs(item.place, "parent", [p.parent], proposals, "proposal")
        problems += _refs(item.place, "parties", [x.organisation for x in p.parties], orgs, "organisation")
        problems += _refs(item.place, "instruments", [x.instrument for x in p.instruments], instruments, "instrument")
        if p.theme in p.other_themes:
            problems.append(f"{item.place}: other_themes: repeats the main theme '{p.theme}'")
        known_subs = {s.key for s in themes[p.theme].sub_priorities} if p.theme in themes else set()
        if p.sub_priority and p.theme in themes and p.sub_priority not in known_subs:
            problems.append(f"{item.place}: sub_priority: theme '{p.theme}' has no sub-priority '{p.sub_priority}'")
        problems += _repeated(item.place, "parties", (x.organisation for x in p.parties))
        problems += _repeated(item.place, "instruments", (x.instrument for x in p.instruments))
        if p.overview_order is not None:
            slot = (p.theme, p.kind.value, p.overview_order)
            if slot in overview_slots:
                problems.append(
                    f"{item.place}: overview_order: {p.overview_order} already used by {overview_slots[slot]}"
                )
            overview_slots[slot] = item.place
    problems += _cycles(dataset.sections.get("proposals", []), {k: p.parent for k, p in proposals.items()}, "proposal")
    return problems


def summary(dataset: Dataset) -> str:
    """Counts per section, for the CLI and the closing note."""
    lines = [f"{name:22} {count:5}" for name, count in sorted(dataset.counts().items())]
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    folder = Path(argv[0]) if argv else DATA_DIR
    try:
        dataset = read_dataset(folder)
    except SeedError as error:
        print(error, file=sys.stderr)
        return 1
    print(summary(dataset))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
