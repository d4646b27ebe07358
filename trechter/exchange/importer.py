"""Imports into drafts: a file's themes, proposals, parties and funnel answers are checked
completely first (every problem collected, with its sheet, row and column), compared with
what is published and drafted now, and only then — all or nothing — saved as drafts of the
open version through `versions.actions`, like edits made on the site.

Rules (docs: the import page and README):
- Unchanged rows create no drafts: importing an unchanged export or template writes nothing.
- A cell equal to the published value counts as untouched: a draft someone saved after the
  file was exported keeps that field (three-way merge: published, drafted, file). To go back
  to the published text, discard the draft on the site.
- Existing proposals are changed; rows with an unknown or empty key propose new ones
  (a new proposal keeps the key its row gives, or gets one from its title); a row whose key is that of a
  proposed (draft) addition updates that addition.
- A proposal is removed only when its row says yes in a `remove` column; a proposal that is
  simply missing from the file is left as it is (a notice says so).
- With a parties sheet, each proposal in the file gets exactly the parties the sheet gives
  it; without one, parties stay as they are. The funnel answers of a theme named in the
  funnel_answers sheet become exactly its rows there.
- Only what drafts hold is imported (a proposal's editable fields and parties; a theme's
  names, aims and funnel answers); changes in other columns and sheets are reported as
  notices and left alone.
- Each change is allowed per object: agenda.edit_proposal, agenda.propose_in_theme,
  agenda.edit_theme, versions.edit_draft (see accounts/rules.py).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from trechter import vocabulary
from trechter.actors.models import Organisation, OrganisationAlias
from trechter.agenda.models import FunnelQuestion, Party, Proposal, Theme
from trechter.exchange import sheets
from trechter.exchange.parsing import (
    Choices,
    ParseError,
    Problem,
    fold,
    is_blank,
    parse_bool,
    parse_choice,
    parse_choices,
    parse_euros,
    parse_int,
    parse_list,
    parse_planned_start,
    parse_text,
    parse_trl,
)
from trechter.exchange.reading import MAX_PROBLEMS, SourceRow, Table, Upload, cell_error
from trechter.versions import actions
from trechter.versions.models import Draft, ThemeDraft, Version
from trechter.versions.snapshot import (
    PROPOSAL_FIELDS,
    THEME_FIELDS,
    flat_answers,
    proposal_values,
    theme_draft_values,
)

KEY = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# Proposal columns that drafts do not hold: changes in them are reported, not imported.
PROPOSAL_OTHER_COLUMNS = (
    "parent",
    "other_themes",
    "sub_priority",
    "overview_label_nl",
    "overview_order",
    "trl_basis",
    "trl_note",
    "budget_text_nl",
    "source",
)
THEME_OTHER_COLUMNS = ("order", "source")
MISSING = object()  # a cell that could not be read (its problem is already recorded)


class ImportRefused(Exception):
    """Nothing was written: the plan has errors, or the data changed since it was made."""

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class ProposalPlan:
    """One draft to save: a change, an addition (new, or an update of a proposed one) or a
    removal. `before` is what the proposal (or its draft) holds now; `after` what the
    draft will hold (with "parties" only when the file gave them)."""

    key: str
    theme: str
    operation: str  # "change", "add" or "remove"
    title: str
    before: dict[str, Any]
    after: dict[str, Any]
    draft_key: str = ""  # an addition that is already drafted, updated by this import
    file_key: bool = False  # an addition keeps the key its row gives

    @property
    def changed_fields(self) -> list[str]:
        names = [*PROPOSAL_FIELDS, "parties"]
        return [n for n in names if n in self.after and self.after.get(n) != self.before.get(n)]


@dataclass
class ThemePlan:
    """New texts and/or funnel answers of a theme, as its draft will hold them."""

    key: str
    title: str
    before: dict[str, Any]
    after: dict[str, Any]

    @property
    def changed_fields(self) -> list[str]:
        return [n for n in [*THEME_FIELDS, "answers"] if self.after.get(n) != self.before.get(n)]


@dataclass(frozen=True)
class Summary:
    proposals_changed: int
    proposals_added: int
    proposals_removed: int
    parties_changed: int
    themes_changed: int
    answers_changed: int
    notices: int

    @property
    def total(self) -> int:
        return (
            self.proposals_changed
            + self.proposals_added
            + self.proposals_removed
            + self.parties_changed
            + self.themes_changed
            + self.answers_changed
        )


@dataclass
class ImportPlan:
    """Everything an import would do, or why it cannot; plain data, kept as JSON between
    the preview and the confirmation."""

    errors: list[Problem] = field(default_factory=list)
    notices: list[Problem] = field(default_factory=list)
    proposals: list[ProposalPlan] = field(default_factory=list)
    themes: list[ThemePlan] = field(default_factory=list)
    theme: str = ""  # the theme a template import is limited to

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def is_empty(self) -> bool:
        return not (self.proposals or self.themes)

    @property
    def summary(self) -> Summary:
        proposals = [p for p in self.proposals if p.operation == "change"]
        fields_changed = [p for p in proposals if set(p.changed_fields) - {"parties"}]
        return Summary(
            proposals_changed=len(fields_changed),
            proposals_added=sum(p.operation == "add" for p in self.proposals),
            proposals_removed=sum(p.operation == "remove" for p in self.proposals),
            parties_changed=sum("parties" in p.changed_fields for p in proposals),
            themes_changed=sum(bool(set(t.changed_fields) - {"answers"}) for t in self.themes),
            answers_changed=sum("answers" in t.changed_fields for t in self.themes),
            notices=len(self.notices),
        )

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> ImportPlan:
        data = json.loads(text)
        return cls(
            errors=[Problem(**p) for p in data["errors"]],
            notices=[Problem(**p) for p in data["notices"]],
            proposals=[ProposalPlan(**p) for p in data["proposals"]],
            themes=[ThemePlan(**t) for t in data["themes"]],
            theme=data["theme"],
        )


@dataclass(frozen=True)
class ApplyResult:
    drafts: int
    theme_drafts: int


# --- what is there now ---------------------------------------------------------------------


def _choices(pairs: list[tuple[str, Any]]) -> Choices:
    """A vocabulary list with each label in Dutch and English, for matching what people type."""
    labels: dict[str, list[str]] = {value: [] for value, _label in pairs}
    for language in ("nl", "en"):
        with translation.override(language):
            for value, label in pairs:
                labels[value].append(str(label))
    return [(value, tuple(names)) for value, names in labels.items()]


class UnknownOrganisation(ParseError):
    def __init__(self, message: str, suggestions: list[str]):
        super().__init__(message)
        self.suggestions = suggestions


class Organisations:
    """Finds an organisation by key, name or alias (any case), and suggests close ones."""

    def __init__(self) -> None:
        rows = list(Organisation.objects.values_list("key", "name"))
        self.names = dict(rows)
        self.exact: dict[str, set[str]] = {}
        for key, name in rows:
            self.exact.setdefault(key.casefold(), set()).add(key)
            self.exact.setdefault(name.strip().casefold(), set()).add(key)
        self.aliases = list(OrganisationAlias.objects.values_list("name", "organisation__key"))
        for alias, key in self.aliases:
            self.exact.setdefault(alias.strip().casefold(), set()).add(key)

    def find(self, text: str) -> str:
        """The key of the organisation `text` names; ParseError with suggestions otherwise."""
        keys = self.exact.get(text.strip().casefold(), set())
        if len(keys) == 1:
            return next(iter(keys))
        if keys:
            raise ParseError(
                _("Several organisations are called “%(name)s”: %(keys)s; write the key of the one you mean.")
                % {"name": text, "keys": ", ".join(sorted(keys))}
            )
        suggestions = self.suggest(text)
        message = _("Unknown organisation “%(name)s”.") % {"name": text}
        if suggestions:
            message = _("Unknown organisation “%(name)s” — did you mean: %(suggestions)s?") % {
                "name": text,
                "suggestions": ", ".join(suggestions),
            }
        raise UnknownOrganisation(message, suggestions)

    def suggest(self, text: str, limit: int = 3) -> list[str]:
        """ "imec (imec)"-style names of the organisations closest to `text`."""
        from rapidfuzz import fuzz, process, utils

        candidates = [(key, key) for key in self.names] + [(name, key) for key, name in self.names.items()]
        candidates += [(alias, key) for alias, key in self.aliases]
        matches = process.extract(
            text, [c[0] for c in candidates], scorer=fuzz.WRatio, processor=utils.default_process, limit=limit * 6
        )
        found: list[str] = []
        for _choice, score, index in matches:
            key = candidates[index][1]
            if score >= 60 and key not in found:
                found.append(key)
        return [f"{self.names[key]} ({key})" for key in found[:limit]]


@dataclass
class State:
    """The published agenda and the open version's drafts, read once per plan."""

    themes: dict[str, Theme]
    proposals: dict[str, Proposal]
    version: Version | None
    drafts: dict[str, Draft]
    theme_drafts: dict[str, ThemeDraft]
    questions: dict[str, int]  # key → order
    parties: dict[str, list[dict[str, str]]]  # proposal key → its published parties, as drafts keep them

    @classmethod
    def read(cls) -> State:
        themes = {t.key: t for t in Theme.objects.select_related("agenda")}
        proposals = {
            p.key: p
            for p in Proposal.objects.select_related("theme", "parent", "sub_priority").prefetch_related("other_themes")
        }
        version = Version.objects.open().order_by("-number").first()
        drafts = {d.proposal_key: d for d in Draft.objects.filter(version=version).select_related("theme", "proposal")}
        theme_drafts = {d.theme.key: d for d in ThemeDraft.objects.filter(version=version).select_related("theme")}
        questions = dict(FunnelQuestion.objects.values_list("key", "order"))
        # One query for every proposal's parties (snapshot.party_values would make one each).
        parties: dict[str, list[dict[str, str]]] = {}
        rows = Party.objects.values_list("proposal__key", "organisation__key", "role", "note")
        for proposal_key, organisation, role, note in rows.order_by("organisation__key"):
            parties.setdefault(proposal_key, []).append({"organisation": organisation, "role": role, "note": note})
        return cls(themes, proposals, version, drafts, theme_drafts, questions, parties)

    def live(self, key: str) -> dict[str, Any]:
        """The published proposal's draft fields and parties (= snapshot.draft_values)."""
        return {**proposal_values(self.proposals[key]), "parties": self.parties.get(key, [])}

    def proposal_now(self, key: str) -> dict[str, Any] | None:
        """What the proposal holds now: its draft's values over the published ones."""
        draft = self.drafts.get(key)
        published = self.proposals.get(key)
        live = self.live(key) if published is not None else None
        if draft is None or draft.operation == "remove":
            return live
        values = {name: draft.data.get(name) for name in PROPOSAL_FIELDS}
        values["parties"] = draft.data.get("parties", live["parties"] if live else [])
        return values

    def theme_now(self, key: str) -> dict[str, Any]:
        draft = self.theme_drafts.get(key)
        live = theme_draft_values(self.themes[key])
        if draft is None:
            return live
        values = {name: draft.data.get(name) for name in THEME_FIELDS}
        values["answers"] = draft.data.get("answers", live["answers"])
        return values


# --- reading cells -------------------------------------------------------------------------


class Cells:
    """The cells of one row, parsed; every problem recorded where it is."""

    def __init__(self, table: Table, row: SourceRow, errors: list[Problem]):
        self.table, self.row, self.errors = table, row, errors
        self.failed = False

    def error(self, column: str, message: str, suggestions: list[str] | None = None) -> None:
        self.failed = True
        self.errors.append(self.table.problem(self.row, column, message, suggestions))

    def raw(self, column: str) -> Any:
        return self.table.value(self.row, column)

    def read(self, column: str, parse: Callable[[Any], Any], *, required: bool = False) -> Any:
        """The parsed cell, or MISSING (problem recorded) when it cannot be read."""
        value = self.raw(column)
        if (problem := cell_error(value)) is not None:
            self.error(column, problem)
            return MISSING
        if required and is_blank(value):
            self.error(column, _("This cell must not be empty."))
            return MISSING
        try:
            return parse(value)
        except ParseError as error:
            message = _(error.message) % error.params if error.params else _(error.message)
            self.error(column, message, getattr(error, "suggestions", None))
            return MISSING


def _text(limit: int | None) -> Callable[[Any], str]:
    return lambda value: parse_text(value, max_length=limit)


def _add(problems: list[Problem], problem: Problem) -> None:
    if len(problems) < MAX_PROBLEMS:
        problems.append(problem)


# --- the plan ------------------------------------------------------------------------------


class Planner:
    """Builds an ImportPlan from an Upload; one instance per import."""

    def __init__(self, upload: Upload, user: Any, theme: Theme | None):
        self.upload, self.user, self.scope = upload, user, theme
        self.errors: list[Problem] = list(upload.errors)
        self.notices: list[Problem] = list(upload.notices)
        self.state = State.read()
        self.kinds = _choices(vocabulary.PROPOSAL_KINDS)
        self.statuses = _choices(vocabulary.PROPOSAL_STATUSES)
        self.stages = _choices(vocabulary.VALUE_CHAIN_STAGES)
        self.roles = _choices(vocabulary.PARTY_ROLES)
        self.bands = _choices(vocabulary.BANDS)
        self.proposal_rows: dict[str, tuple[Table, SourceRow, dict[str, Any]]] = {}
        self.plans: list[ProposalPlan] = []
        self.theme_plans: list[ThemePlan] = []
        self.ignored: dict[tuple[str, str], list[str]] = {}  # (sheet, column) → keys whose changes are ignored

    # -- the whole file

    def plan(self) -> ImportPlan:
        self._check_meta()
        tables = self.upload.tables
        importable = [name for name, table in tables.items() if table.sheet.importable]
        if not importable and not self.errors:
            self.errors.append(
                Problem(_("The file holds nothing to import: no sheet themes, proposals, parties or funnel_answers."))
            )
        self._notice_other_sheets()
        # A sheet with missing or doubled columns is not read row by row: its rows would
        # only repeat that problem. The other sheets are, so every problem shows at once.
        tables = {n: t for n, t in tables.items() if not (t.match.missing or t.match.twice)}
        themes = self._themes(tables["themes"]) if "themes" in tables else {}
        answers = self._answers(tables["funnel_answers"]) if "funnel_answers" in tables else {}
        self._theme_plans(themes, answers)
        if "proposals" in tables:
            self._proposals(tables["proposals"])
        parties = self._parties(tables["parties"]) if "parties" in tables else None
        self._proposal_plans(parties)
        self._notice_ignored()
        if (self.plans or self.theme_plans) and self.state.version and self.state.version.status == "review":
            self.errors.append(
                Problem(
                    _("Version %(n)s is in review; imports can be made again when it is published or sent back.")
                    % {"n": self.state.version.number}
                )
            )
        return self._result()

    def _result(self) -> ImportPlan:
        if self.errors:
            return ImportPlan(
                errors=self.errors[:MAX_PROBLEMS],
                notices=self.notices[:MAX_PROBLEMS],
                theme=self.scope.key if self.scope else "",
            )
        return ImportPlan(
            errors=[],
            notices=self.notices[:MAX_PROBLEMS],
            proposals=self.plans,
            themes=self.theme_plans,
            theme=self.scope.key if self.scope else "",
        )

    def _check_meta(self) -> None:
        """A workbook names its format, version and (a template) its theme: all must fit."""
        meta = self.upload.meta
        if not meta:
            return
        where = sheets.META_SHEET
        if meta.get("format", sheets.WORKBOOK_FORMAT) != sheets.WORKBOOK_FORMAT:
            self.errors.append(Problem(_("This workbook was not made by Trechter's export."), sheet=where))
        if meta.get("format_version", str(sheets.WORKBOOK_FORMAT_VERSION)) != str(sheets.WORKBOOK_FORMAT_VERSION):
            self.errors.append(
                Problem(
                    _("This workbook has format version %(found)s; Trechter reads version %(version)s. Export again.")
                    % {"found": meta.get("format_version"), "version": sheets.WORKBOOK_FORMAT_VERSION},
                    sheet=where,
                )
            )
        template = meta.get("theme", "")
        if not template:
            return
        if self.scope is not None and template != self.scope.key:
            self.errors.append(
                Problem(
                    _("This is the template of theme %(template)s, not of %(theme)s.")
                    % {"template": template, "theme": self.scope.key},
                    sheet=where,
                )
            )
        elif self.scope is None:
            if template not in self.state.themes:
                self.errors.append(Problem(_("Unknown theme %(key)s.") % {"key": template}, sheet=where))
            else:
                self.scope = self.state.themes[template]

    def _notice_other_sheets(self) -> None:
        """Sheets that imports do not change: say so when the file changed them."""
        from trechter.exchange import export

        for name, table in self.upload.tables.items():
            if table.sheet.importable:
                continue
            theirs = [[_comparable(table.value(row, h)) for h in table.sheet.headers] for row in table.rows]
            ours = [[_comparable(row[h]) for h in table.sheet.headers] for row in export.sheet_rows(table.sheet)]
            if self.scope is not None and theirs != ours:
                scoped = export.sheet_rows(table.sheet, theme=self.scope)
                ours = [[_comparable(row[h]) for h in table.sheet.headers] for row in scoped]
            if theirs != ours:
                self.notices.append(
                    Problem(
                        _("Sheet %(sheet)s is not imported; the changes in it were left out.") % {"sheet": name},
                        sheet=table.title,
                    )
                )
        document = self.upload.document
        if document is not None:
            from trechter.seed import schema

            current = schema.SeedFile.model_validate(export.seed_data()).model_dump(mode="json", exclude_none=True)
            for section in sorted(set(document) | set(current)):
                if section in ("themes", "proposals", "funnel_answers"):
                    continue
                if _compact(document.get(section)) != _compact(current.get(section)):
                    self.notices.append(
                        Problem(
                            _("Section %(sheet)s is not imported; the changes in it were left out.")
                            % {"sheet": section},
                            path=section,
                        )
                    )

    def _outside_scope(self, theme_key: str) -> str | None:
        """Why a change to `theme_key` is refused in an import limited to one theme, if it is."""
        if self.scope is None or theme_key == self.scope.key:
            return None
        return _("This import is for theme %(scope)s; this row changes theme %(theme)s.") % {
            "scope": self.scope.key,
            "theme": theme_key,
        }

    def _theme_key(self, cells: Cells, column: str = "theme") -> str | None:
        key = cells.read(column, _text(80), required=True)
        if key is MISSING:
            return None
        if key not in self.state.themes:
            cells.error(column, _("Unknown theme “%(key)s”.") % {"key": key}, sorted(self.state.themes))
            return None
        return key

    def _duplicate(self, seen: dict[tuple[Any, ...], int | str], identity: tuple[Any, ...], cells: Cells) -> bool:
        first = seen.get(identity)
        if first is not None:
            where = _("row %(n)s") % {"n": first} if isinstance(first, int) else first
            cells.error(
                cells.table.sheet.key[0],
                _("The same %(columns)s as %(where)s: each appears once.")
                % {"columns": ", ".join(cells.table.sheet.key), "where": where},
            )
            return True
        seen[identity] = cells.row.number if cells.row.number is not None else cells.row.path
        return False

    # -- themes and funnel answers

    def _themes(self, table: Table) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        seen: dict[tuple[Any, ...], int | str] = {}
        for row in table.rows:
            cells = Cells(table, row, self.errors)
            key = cells.read("key", _text(80), required=True)
            if key is MISSING or self._duplicate(seen, (key,), cells):
                continue
            if key not in self.state.themes:
                cells.error("key", _("Unknown theme “%(key)s”; themes are added by an administrator.") % {"key": key})
                continue
            now = self.state.theme_now(key)
            values = {
                "name_nl": self._field(cells, "name_nl", _text(200), now, required=True),
                "name_en": self._field(cells, "name_en", _text(200), now, required=True),
                "aim_nl": self._field(cells, "aim_nl", _text(20000), now, required=True),
                "aim_en": self._field(cells, "aim_en", _text(20000), now),
            }
            if cells.failed:
                continue
            theme = self.state.themes[key]
            for column in THEME_OTHER_COLUMNS:
                if table.has(column):
                    parse: Callable[[Any], Any] = (lambda v: parse_int(v)) if column == "order" else _text(500)
                    value = cells.read(column, parse)
                    if value is not MISSING and value != (
                        getattr(theme, column) if column == "order" else theme.source
                    ):
                        self.ignored.setdefault((table.title, column), []).append(key)
            found[key] = values
        return found

    def _field(
        self, cells: Cells, column: str, parse: Callable[[Any], Any], now: dict[str, Any] | None, required: bool = False
    ) -> Any:
        """A column's value; a column the file lacks keeps the value there is now."""
        if not cells.table.has(column):
            return now.get(column) if now is not None else None
        return cells.read(column, parse, required=required)

    def _answers(self, table: Table) -> dict[str, list[dict[str, str]]]:
        """Each theme's answers as a theme draft keeps them, in the published order."""
        rows: dict[str, list[tuple[tuple[Any, ...], dict[str, str]]]] = {}
        seen: dict[tuple[Any, ...], int | str] = {}
        positions: dict[tuple[str, str, str], int] = {}
        for index, row in enumerate(table.rows):
            cells = Cells(table, row, self.errors)
            theme = self._theme_key(cells)
            question = cells.read("question", _text(80), required=True)
            band = cells.read("band", lambda v: parse_choice(v, self.bands), required=True)
            order = cells.read("order", lambda v: parse_int(v, minimum=1, maximum=1000))
            text_nl = cells.read("text_nl", _text(10000), required=True)
            text_en = cells.read("text_en", _text(10000))
            if question is not MISSING and question not in self.state.questions:
                cells.error(
                    "question", _("Unknown question “%(key)s”.") % {"key": question}, sorted(self.state.questions)
                )
            if cells.failed or theme is None:
                continue
            slot = (theme, question, band)
            positions[slot] = positions.get(slot, 0) + 1
            number = order if order is not None else positions[slot]
            if self._duplicate(seen, (*slot, number), cells):
                continue
            sort_key = (self.state.questions[question], band, number, index)
            answer = {"question": question, "band": band, "text_nl": text_nl, "text_en": text_en}
            rows.setdefault(theme, []).append((sort_key, answer))
        return {theme: [a for _k, a in sorted(items, key=lambda item: item[0])] for theme, items in rows.items()}

    def _theme_plans(self, themes: dict[str, dict[str, Any]], answers: dict[str, list[dict[str, str]]]) -> None:
        for key in sorted(set(themes) | set(answers), key=lambda k: self.state.themes[k].order):
            theme = self.state.themes[key]
            now = self.state.theme_now(key)
            before = {**now, "answers": _canonical_answers(now["answers"], self.state.questions)}
            live = theme_draft_values(theme)
            live["answers"] = _canonical_answers(live["answers"], self.state.questions)
            given = dict(themes.get(key, {}))
            if key in answers:
                given["answers"] = _canonical_answers(answers[key], self.state.questions)
            after = {**before, **_merge(given, live=live, now=before)}
            if after == before:
                continue
            if (refusal := self._outside_scope(key)) is not None:
                self.errors.append(Problem(refusal, sheet="themes" if key in themes else "funnel_answers"))
                continue
            if not self.user.has_perm("agenda.edit_theme", theme):
                self.errors.append(
                    Problem(
                        _("You may not change theme %(key)s.") % {"key": key},
                        sheet="themes" if key in themes else "funnel_answers",
                    )
                )
                continue
            self.theme_plans.append(ThemePlan(key=key, title=theme.name_nl, before=before, after=after))

    # -- proposals and parties

    def _proposals(self, table: Table) -> None:
        seen: dict[tuple[Any, ...], int | str] = {}
        for row in table.rows:
            cells = Cells(table, row, self.errors)
            key = cells.read("key", _text(80))
            if key is MISSING:
                continue
            if key and not KEY.match(key):
                cells.error("key", _("A key is lower-case letters, digits and dashes, e.g. energy-pv-cooperation."))
                continue
            if key and self._duplicate(seen, (key,), cells):
                continue
            theme = self._theme_key(cells)
            published = self.state.proposals.get(key) if key else None
            now = self.state.proposal_now(key) if key else None
            values = self._proposal_values(cells, now)
            remove = cells.read("remove", parse_bool) if table.has("remove") else None
            if cells.failed or theme is None:
                continue
            if published is not None and published.theme.key != theme:
                cells.error(
                    "theme",
                    _("Proposal %(key)s belongs to theme %(theme)s; imports do not move proposals.")
                    % {"key": key, "theme": published.theme.key},
                )
                continue
            if published is not None:
                self._ignored_columns(cells, published)
            marks = {"_theme": theme, "_remove": bool(remove)}
            self.proposal_rows[key or f"#{row.number or row.path}"] = (table, row, {**values, **marks})
        self._notice_missing(table)

    def _proposal_values(self, cells: Cells, now: dict[str, Any] | None) -> dict[str, Any]:
        """The draft fields of a proposal row; columns the file lacks keep what is there now."""
        values: dict[str, Any] = {
            "kind": self._field(cells, "kind", lambda v: parse_choice(v, self.kinds), now, required=True),
            "title_nl": self._field(cells, "title_nl", _text(300), now, required=True),
            "title_en": self._field(cells, "title_en", _text(300), now),
            "summary_nl": self._field(cells, "summary_nl", _text(20000), now),
            "summary_en": self._field(cells, "summary_en", _text(20000), now),
            "status": self._field(cells, "status", lambda v: parse_choice(v, self.statuses), now, required=True),
            "value_chain": self._field(cells, "value_chain", lambda v: parse_choices(v, self.stages), now),
            "budget_years": self._field(cells, "budget_years", lambda v: parse_int(v, minimum=1, maximum=50), now),
            "duration_months": self._field(
                cells, "duration_months", lambda v: parse_int(v, minimum=1, maximum=240), now
            ),
            "planned_start": self._field(cells, "planned_start", parse_planned_start, now),
        }
        for name in ("title_en", "summary_nl", "summary_en", "planned_start"):
            if values[name] is None:
                values[name] = ""
        if values["value_chain"] is None:
            values["value_chain"] = []
        if cells.table.has("trl"):
            trl = cells.read("trl", parse_trl)
            values["trl_from"], values["trl_to"] = (MISSING, MISSING) if trl is MISSING else (trl or (None, None))
        else:
            values["trl_from"], values["trl_to"] = (now or {}).get("trl_from"), (now or {}).get("trl_to")
        for prefix in ("budget_per_year", "budget_total"):
            values |= self._budget_range(cells, prefix, now)
        if not cells.failed and values["budget_per_year_min_eur"] is not None and values["budget_years"] is None:
            cells.error("budget_years", _("A budget per year needs the number of budget years."))
        return {name: values[name] for name in PROPOSAL_FIELDS}

    def _budget_range(self, cells: Cells, prefix: str, now: dict[str, Any] | None) -> dict[str, Any]:
        """The min and max columns of a budget; a range typed in the min column ("3 à 4
        miljoen") fills both when the max column is empty."""
        low_name, high_name = f"{prefix}_min_eur", f"{prefix}_max_eur"
        if not cells.table.has(low_name) and not cells.table.has(high_name):
            return {low_name: (now or {}).get(low_name), high_name: (now or {}).get(high_name)}
        low_cell = cells.read(low_name, parse_euros) if cells.table.has(low_name) else None
        high_cell = cells.read(high_name, parse_euros) if cells.table.has(high_name) else None
        if low_cell is MISSING or high_cell is MISSING:
            return {low_name: MISSING, high_name: MISSING}
        low: tuple[int, int] | None = low_cell
        high: tuple[int, int] | None = high_cell
        if low is None and high is None:
            return {low_name: None, high_name: None}
        if high is None or low is None:
            given = low or high
            assert given is not None
            return {low_name: given[0], high_name: given[1]}
        if low[1] != low[0] and low[1] != high[1]:
            cells.error(low_name, _("This range does not agree with the “to” column."))
            return {low_name: MISSING, high_name: MISSING}
        if low[0] > high[1]:
            cells.error(high_name, _("Must not be lower than the “from” amount."))
            return {low_name: MISSING, high_name: MISSING}
        return {low_name: low[0], high_name: high[1]}

    def _ignored_columns(self, cells: Cells, proposal: Proposal) -> None:
        """Columns drafts do not hold: remember changed ones for one notice per column."""
        live: dict[str, Any] = {
            "parent": proposal.parent.key if proposal.parent else "",
            "other_themes": sorted(t.key for t in proposal.other_themes.all()),
            "sub_priority": proposal.sub_priority.key if proposal.sub_priority else "",
            "overview_label_nl": proposal.overview_label_nl,
            "overview_order": proposal.overview_order,
            "trl_basis": proposal.trl_basis if proposal.trl_from is not None else "",
            "trl_note": proposal.trl_note,
            "budget_text_nl": proposal.budget_text_nl,
            "source": proposal.source,
        }
        for column in PROPOSAL_OTHER_COLUMNS:
            if not cells.table.has(column):
                continue
            raw = cells.raw(column)
            if column == "other_themes":
                value: Any = sorted(parse_list(raw)) if not is_blank(raw) else []
            elif column == "overview_order":
                try:
                    value = parse_int(raw)
                except ParseError:
                    value = raw
            else:
                try:
                    value = parse_text(raw)
                except ParseError:
                    value = raw
                if column == "trl_basis" and value and fold(value) in ("stated", "inferred"):
                    value = fold(value)
            if value != live[column]:
                self.ignored.setdefault((cells.table.title, column), []).append(proposal.key)

    def _notice_ignored(self) -> None:
        for (sheet, column), keys in sorted(self.ignored.items()):
            self.notices.append(
                Problem(
                    _(
                        "Changes in column %(column)s (%(keys)s) are not imported: drafts do not hold it. "
                        "Ask an administrator."
                    )
                    % {"column": column, "keys": ", ".join(keys[:10]) + (" …" if len(keys) > 10 else "")},
                    sheet=sheet,
                    header=column,
                )
            )

    def _notice_missing(self, table: Table) -> None:
        """Published proposals of the file's themes that the file leaves out stay as they are."""
        named = {values["_theme"] for values in (r[2] for r in self.proposal_rows.values())}
        for theme in sorted(named):
            missing = sorted(
                key for key, p in self.state.proposals.items() if p.theme.key == theme and key not in self.proposal_rows
            )
            if missing:
                self.notices.append(
                    Problem(
                        _(
                            "%(n)s proposals of theme %(theme)s are not in the file and stay as they are: %(keys)s. "
                            "To remove one, give it a column “remove” with “yes”."
                        )
                        % {"n": len(missing), "theme": theme, "keys": ", ".join(missing)},
                        sheet=table.title,
                    )
                )

    def _parties(self, table: Table) -> dict[str, list[dict[str, str]]]:
        """Parties by proposal key, as drafts keep them (by organisation key)."""
        organisations = Organisations()
        found: dict[str, list[dict[str, str]]] = {}
        seen: dict[tuple[Any, ...], int | str] = {}
        for row in table.rows:
            cells = Cells(table, row, self.errors)
            proposal = cells.read("proposal", _text(80), required=True)
            organisation = cells.read("organisation", lambda v: organisations.find(parse_text(v)), required=True)
            role = cells.read("role", lambda v: parse_choice(v, self.roles), required=True)
            note = cells.read("note", _text(500))
            if proposal is not MISSING and not self._knows(proposal):
                cells.error(
                    "proposal",
                    _("No proposal %(key)s in the file or in Trechter.") % {"key": proposal},
                )
            if cells.failed:
                continue
            if self._duplicate(seen, (proposal, organisation), cells):
                continue
            found.setdefault(proposal, []).append({"organisation": organisation, "role": role, "note": note or ""})
        return {key: sorted(rows, key=lambda p: p["organisation"]) for key, rows in found.items()}

    def _knows(self, key: str) -> bool:
        return key in self.proposal_rows or key in self.state.proposals or key in self.state.drafts

    def _proposal_theme(self, key: str) -> str | None:
        if key in self.proposal_rows:
            return str(self.proposal_rows[key][2]["_theme"])
        if key in self.state.proposals:
            return self.state.proposals[key].theme.key
        draft = self.state.drafts.get(key)
        return draft.theme.key if draft is not None else None

    def _proposal_plans(self, parties: dict[str, list[dict[str, str]]] | None) -> None:
        keys = list(self.proposal_rows)
        keys += [k for k in (parties or {}) if k not in self.proposal_rows]
        for key in keys:
            if key in self.proposal_rows:
                table, row, values = self.proposal_rows[key]
                theme_key = values.pop("_theme")
                remove = values.pop("_remove", False)
                after: dict[str, Any] = dict(values)
                if parties is not None:
                    after["parties"] = parties.get(key, [])
            else:  # parties of a proposal the file does not list: its fields stay
                table, row, remove = self.upload.tables["parties"], None, False
                theme_key = self._proposal_theme(key) or ""
                now = self.state.proposal_now(key) or {}
                after = {**{n: now.get(n) for n in PROPOSAL_FIELDS}, "parties": (parties or {})[key]}
            plan = self._proposal_plan(key, theme_key, after, remove, table, row)
            if plan is not None:
                self.plans.append(plan)

    def _refuse(self, table: Table, row: SourceRow | None, column: str, message: str) -> None:
        _add(self.errors, table.problem(row, column, message))

    def _proposal_plan(
        self, key: str, theme_key: str, after: dict[str, Any], remove: bool, table: Table, row: SourceRow | None
    ) -> ProposalPlan | None:
        theme = self.state.themes[theme_key]
        published = self.state.proposals.get(key)
        draft = self.state.drafts.get(key)
        title = str(after.get("title_nl") or key)
        if published is not None:
            live = self.state.live(key)
            before = self.state.proposal_now(key) or live
            after = _merge(after, live=live, now=before)
            if (remove or _differs(before, after)) and (refusal := self._outside_scope(theme_key)) is not None:
                self._refuse(table, row, "theme", refusal)
                return None
            if not self.user.has_perm("agenda.edit_proposal", published):
                if remove or _differs(before, after):
                    self._refuse(
                        table,
                        row,
                        "key",
                        _("You may not change proposal %(key)s of theme %(theme)s.") % {"key": key, "theme": theme_key},
                    )
                return None
            if remove:
                if draft is not None and draft.operation == "remove":
                    return None
                if published.children.exists():
                    self._refuse(table, row, "remove", _("This proposal has sub-proposals; remove those first."))
                    return None
                return ProposalPlan(key, theme_key, "remove", published.title_nl, before, {})
            if draft is not None and draft.operation == "remove":
                if not _differs(live, after):
                    return None  # the row as published: the removal drafted since stays
                self.notices.append(
                    table.problem(
                        row, "key", _("Proposal %(key)s was marked for removal; this import keeps it.") % {"key": key}
                    )
                )
                return ProposalPlan(key, theme_key, "change", title, {**live, "_removal": True}, after)
            if not _differs(before, after):
                return None
            return ProposalPlan(key, theme_key, "change", title, before, after)
        if remove:
            self.notices.append(
                table.problem(row, "remove", _("Proposal %(key)s is not published; nothing to remove.") % {"key": key})
            )
            return None
        proposed = draft if draft is not None and draft.operation == "add" else self._proposed_by_title(theme, after)
        if proposed is not None:
            if not self.user.has_perm("versions.edit_draft", proposed):
                self._refuse(table, row, "key", _("You may not change the proposed %(key)s.") % {"key": key})
                return None
            before = {**{n: proposed.data.get(n) for n in PROPOSAL_FIELDS}, "parties": proposed.data.get("parties", [])}
            if proposed.theme.key != theme_key:
                self._refuse(table, row, "theme", _("Imports do not move proposals to another theme."))
                return None
            if not _differs(before, after):
                return None
            if (refusal := self._outside_scope(theme_key)) is not None:
                self._refuse(table, row, "theme", refusal)
                return None
            return ProposalPlan(proposed.proposal_key, theme_key, "add", title, before, after, proposed.proposal_key)
        if (refusal := self._outside_scope(theme_key)) is not None:
            self._refuse(table, row, "theme", refusal)
            return None
        if not self.user.has_perm("agenda.propose_in_theme", theme):
            self._refuse(table, row, "theme", _("You may not propose proposals in theme %(key)s.") % {"key": theme_key})
            return None
        if key.startswith("#"):
            key = ""
        after.setdefault("parties", [])
        if key:  # the reader has checked its form (sheets.Kind.KEY)
            return ProposalPlan(key, theme_key, "add", title, {}, after, file_key=True)
        new_key = slugify(after["title_nl"])[:60].strip("-")
        return ProposalPlan(new_key, theme_key, "add", title, {}, after)

    def _proposed_by_title(self, theme: Theme, after: dict[str, Any]) -> Draft | None:
        """A drafted addition in `theme` with the same Dutch title (a file uploaded twice)."""
        title = fold(str(after.get("title_nl") or ""))
        for draft in self.state.drafts.values():
            if (
                draft.operation == "add"
                and draft.theme_id == theme.pk
                and fold(draft.data.get("title_nl", "")) == title
            ):
                return draft
        return None


def _merge(given: dict[str, Any], *, live: dict[str, Any], now: dict[str, Any]) -> dict[str, Any]:
    """The values an import saves: a value as published counts as untouched (the file was
    exported before someone drafted a change), so the drafted value stays; any other value
    is the user's edit and wins."""
    return {name: now.get(name) if value == live.get(name) else value for name, value in given.items()}


def _differs(before: dict[str, Any], after: dict[str, Any]) -> bool:
    return any(after.get(name) != before.get(name) for name in after)


def _canonical_answers(answers: list[dict[str, str]], questions: dict[str, int]) -> list[dict[str, str]]:
    """Answers in question, band and list order, with the fields drafts keep."""
    keyed = [(questions.get(a["question"], 0), a["band"], index) for index, a in enumerate(answers)]
    ordered = [answers[i] for *_rest, i in sorted(keyed)]
    return [{k: a.get(k) or "" for k in ("question", "band", "text_nl", "text_en")} for a in ordered]


def _comparable(value: Any) -> str:
    """A cell as text for comparing a file's sheet with the export: blanks alike, 4.0 as 4."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    try:
        return parse_text(value)
    except ParseError:
        return str(value)


def _compact(value: Any) -> Any:
    """Nested data without None, empty texts and empty lists, for comparing sections."""
    if isinstance(value, dict):
        items = {k: _compact(v) for k, v in value.items()}
        return {k: v for k, v in items.items() if v not in (None, "", [], {})}
    if isinstance(value, list):
        return [_compact(v) for v in value]
    return value


def plan_import(upload: Upload, *, user: Any, theme: Theme | None = None) -> ImportPlan:
    """Check everything in `upload` and work out the drafts it would save. Writes nothing.

    With `theme` (a theme lead's template), every row must belong to that theme."""
    return Planner(upload, user, theme).plan()


# --- applying ------------------------------------------------------------------------------


@transaction.atomic
def apply_import(plan: ImportPlan, *, user: Any) -> ApplyResult:
    """Save every draft of `plan`, all or nothing. Raises ImportRefused (nothing written)
    when the plan has errors, a permission is gone, or a proposal or theme changed since the
    plan was made (its values now differ from the plan's `before`)."""
    if not plan.ok:
        raise ImportRefused(plan.errors)
    if plan.is_empty:
        return ApplyResult(0, 0)
    theme_keys = {p.theme for p in plan.proposals} | {t.key for t in plan.themes}
    themes = {t.key: t for t in Theme.objects.select_related("agenda").filter(key__in=theme_keys)}
    if len(themes) != len(theme_keys):
        raise ImportRefused([Problem(_("A theme of this import no longer exists. Upload the file again."))])
    for agenda in {t.agenda for t in themes.values()}:
        actions.open_version(agenda=agenda, by=user)  # locks: saves of this agenda queue behind the import
    state = State.read()
    problems: list[Problem] = []
    drafts = theme_drafts = 0
    for item in plan.proposals:
        try:
            _apply_proposal(item, themes[item.theme], state, user)
            drafts += 1
        except (actions.WorkflowError, _Stale) as error:
            problems.append(Problem(f"{item.key}: {error}", sheet="proposals"))
    for theme_plan in plan.themes:
        try:
            _apply_theme(theme_plan, themes[theme_plan.key], state, user)
            theme_drafts += 1
        except (actions.WorkflowError, _Stale) as error:
            problems.append(Problem(f"{theme_plan.key}: {error}", sheet="themes"))
    if problems:
        raise ImportRefused(problems)
    return ApplyResult(drafts, theme_drafts)


class _Stale(Exception):
    pass


def _stale() -> _Stale:
    return _Stale(_("changed by someone else since the preview; upload the file again."))


def _apply_proposal(item: ProposalPlan, theme: Theme, state: State, user: Any) -> None:
    draft = state.drafts.get(item.key)
    token = draft.token if draft is not None else actions.NEW_TOKEN
    published = state.proposals.get(item.key)
    if item.operation == "add" and not item.draft_key:
        if not user.has_perm("agenda.propose_in_theme", theme):
            raise actions.WorkflowError(_("your role does not allow this."))
        new_key = item.key if item.file_key else None
        actions.save_addition(theme=theme, data=item.after, token=actions.NEW_TOKEN, by=user, new_key=new_key)
        return
    if item.operation == "add":
        if draft is None or draft.operation != "add" or not user.has_perm("versions.edit_draft", draft):
            raise _stale()
        drafted = {**{n: draft.data.get(n) for n in PROPOSAL_FIELDS}, "parties": draft.data.get("parties", [])}
        if drafted != item.before:
            raise _stale()
        actions.save_addition(theme=theme, data=item.after, token=token, by=user, key=item.draft_key)
        return
    if published is None:
        raise _stale()
    if not user.has_perm("agenda.edit_proposal", published):
        raise actions.WorkflowError(_("your role does not allow this."))
    reviving = item.before.get("_removal", False)
    now: dict[str, Any] | None = state.live(item.key) if reviving else state.proposal_now(item.key)
    if reviving != (draft is not None and draft.operation == "remove"):
        raise _stale()
    if now != {k: v for k, v in item.before.items() if k != "_removal"}:
        raise _stale()
    if item.operation == "remove":
        actions.save_removal(proposal=published, token=token, by=user)
    else:
        actions.save_change(proposal=published, data=item.after, token=token, by=user)


def _apply_theme(item: ThemePlan, theme: Theme, state: State, user: Any) -> None:
    if not user.has_perm("agenda.edit_theme", theme):
        raise actions.WorkflowError(_("your role does not allow this."))
    now = state.theme_now(item.key)
    now["answers"] = _canonical_answers(now["answers"], state.questions)
    if now != item.before:
        raise _stale()
    draft = state.theme_drafts.get(item.key)
    token = draft.token if draft is not None else actions.NEW_TOKEN
    actions.save_theme_change(theme=theme, data=item.after, token=token, by=user)


def describe_changes(plan: ImportPlan) -> list[dict[str, Any]]:
    """The plan as rows for a person: per proposal or theme, each field old → new."""
    from trechter.agenda.models import Proposal as ProposalModel
    from trechter.agenda.models import Theme as ThemeModel

    def label(model: Any, name: str) -> str:
        if name == "parties":
            return _("Parties")
        return str(model._meta.get_field(name).verbose_name)

    def shown(name: str, value: Any) -> str:
        if name == "parties":
            return "; ".join(f"{p['organisation']} ({p['role']})" for p in value or [])
        if isinstance(value, list):
            return ", ".join(str(v) for v in value)
        return "" if value is None else str(value)

    rows = []
    for theme in plan.themes:
        fields = [
            (label(ThemeModel, n), shown(n, theme.before.get(n)), shown(n, theme.after.get(n)))
            for n in THEME_FIELDS
            if theme.before.get(n) != theme.after.get(n)
        ]
        old, new = flat_answers(theme.before["answers"]), flat_answers(theme.after["answers"])
        fields += [
            (name, old.get(name, ""), new.get(name, ""))
            for name in sorted(set(old) | set(new))
            if old.get(name) != new.get(name)
        ]
        rows.append({"kind": "theme", "key": theme.key, "title": theme.title, "operation": "change", "fields": fields})
    for proposal in plan.proposals:
        names = [n for n in [*PROPOSAL_FIELDS, "parties"] if n in proposal.after or proposal.operation == "remove"]
        fields = [
            (label(ProposalModel, n), shown(n, proposal.before.get(n)), shown(n, proposal.after.get(n)))
            for n in names
            if proposal.operation != "remove" and proposal.before.get(n) != proposal.after.get(n)
        ]
        rows.append(
            {
                "kind": "proposal",
                "key": proposal.key,
                "title": proposal.title,
                "operation": proposal.operation,
                "fields": fields,
            }
        )
    return rows


__all__ = ["ImportPlan", "ImportRefused", "apply_import", "describe_changes", "plan_import"]
