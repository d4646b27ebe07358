"""The tabular form of the agenda: one sheet per entity, shared by the CSV and XLSX exports,
the theme templates and the importers. Pure Python, no Django.

Changes since the first version: sheets
`criteria_assessments` and `criterion_findings` added; CHOICE and LIST columns carry their
allowed values in `Column.choices` (from the seed schema's enums); constants for the
workbook's README, lists and meta sheets and the format version; `Column.separator`
("; " for `organisations.aliases`, whose names contain commas; ", " elsewhere).

Headers are the stable machine names below (language-neutral, like the JSON export's field
names). Importers also accept a column under one of its `aliases` (compared after
`normalise_header`), so a spreadsheet whose headers were retyped or translated still reads.

Cell conventions (export writes them, import reads them back; see `exchange/parsing.py`):
- `trl`: "4-6", or "4" for one level, or empty; `trl_basis` is empty when `trl` is;
- lists (`value_chain`, `other_themes`, `themes`, `organisations`): values joined by ", ";
  `aliases` by "; " (names contain commas) — each LIST column's `separator`;
- booleans: "yes" / "no" / empty; dates ISO (YYYY-MM-DD);
- INT and EUROS cells are numbers (XLSX) or digits (CSV); everything else is text;
- references name the other record's `key`;
- formula neutralisation (OWASP CSV injection): a text cell that starts with = + - @, a tab
  or a carriage return — possibly after some apostrophes — is written with one more
  leading apostrophe ("=1+2" → "'=1+2", "'=x" → "''=x"); importers strip exactly one
  leading "'" when the rest, after any further apostrophes, starts with one of those
  characters (`exchange.cells.unneutralise`), so the round trip is lossless. XLSX cells
  are always strings, never formulas;
- CSV files: UTF-8 with a byte-order mark (Excel then reads the accents right), comma
  separated, RFC 4180 quoting, CRLF line ends, one header row.

A workbook (`agenda.xlsx`, a theme template) holds a "README" sheet first, then one sheet
per entity with the header in row 1, a hidden "lists" sheet with the allowed values of the
CHOICE columns (the data validations refer to it) and a hidden "meta" sheet of key/value
rows: `format` (= WORKBOOK_FORMAT), `format_version`, `kind` ("export" or "template") and
`theme` (the theme key of a template, else empty). The same values are also custom
document properties named `trechter_format`, `trechter_format_version`, `trechter_kind`
and `trechter_theme`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum

from trechter.seed import schema

WORKBOOK_FORMAT = "trechter-sheets"
WORKBOOK_FORMAT_VERSION = 1
README_SHEET = "README"
LISTS_SHEET = "lists"
META_SHEET = "meta"


class Kind(StrEnum):
    TEXT = "text"  # free text
    KEY = "key"  # a slug key of this or another record
    INT = "int"  # a whole number
    EUROS = "euros"  # an amount in euros (messy forms accepted on import)
    TRL = "trl"  # a TRL range "4-6" (messy forms accepted on import)
    CHOICE = "choice"  # one value of an enumeration (`choices`)
    LIST = "list"  # several values joined by ", " (of `choices` when given)
    BOOL = "bool"  # yes / no / empty
    DATE = "date"  # YYYY-MM-DD


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    aliases: tuple[str, ...] = ()
    refers_to: str = ""  # the sheet whose keys this column names, for KEY and LIST columns
    choices: tuple[str, ...] = ()  # the allowed values of a CHOICE column (or of a LIST's items)
    separator: str = ", "  # between the values of a LIST cell


@dataclass(frozen=True)
class Sheet:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]  # the columns that identify a row (duplicates are refused on import)
    importable: bool = False  # whether an import may change this sheet's records (into drafts)
    notes: str = ""

    @property
    def headers(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)


def normalise_header(text: str) -> str:
    """ "Titel (NL)", "title_nl ", "TITLE-NL" → "titel nl" / "title nl": lower case, accents
    and punctuation removed, single spaces."""
    text = unicodedata.normalize("NFKD", str(text)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", " ", text.lower()).strip()


# CHOICE and LIST columns take their allowed values from the seed schema's enums (the same
# ones trechter.vocabulary labels for the UI).


def _c(
    name: str,
    kind: Kind = Kind.TEXT,
    *aliases: str,
    required: bool = False,
    refers_to: str = "",
    choices: type[StrEnum] | None = None,
    separator: str = ", ",
) -> Column:
    values = tuple(m.value for m in choices) if choices is not None else ()
    return Column(
        name=name,
        kind=kind,
        required=required,
        aliases=aliases,
        refers_to=refers_to,
        choices=values,
        separator=separator,
    )


ORGANISATIONS = Sheet(
    "organisations",
    (
        _c("key", Kind.KEY, "id", "code", "sleutel", required=True),
        _c("name", Kind.TEXT, "naam", "organisation", "organisatie", required=True),
        _c("aliases", Kind.LIST, "alias", "other names", "andere namen", separator="; "),
        _c("side", Kind.CHOICE, "kant", required=True, choices=schema.Side),
        _c("country", Kind.TEXT, "land", required=True),
        _c("type", Kind.CHOICE, "soort", required=True, choices=schema.OrganisationType),
        _c("city", Kind.TEXT, "stad", "plaats"),
        _c("parent", Kind.KEY, "part of", "onderdeel van", refers_to="organisations"),
        _c("note", Kind.TEXT, "notitie", "opmerking"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
PEOPLE = Sheet(
    "people",
    (
        _c("key", Kind.KEY, "id", required=True),
        _c("name", Kind.TEXT, "naam", required=True),
        _c("organisation", Kind.KEY, "organisatie", refers_to="organisations"),
        _c("function", Kind.TEXT, "functie"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
GROUPS = Sheet(
    "groups",
    (
        _c("key", Kind.KEY, required=True),
        _c("kind", Kind.CHOICE, "soort", required=True, choices=schema.GroupKind),
        _c("name_nl", Kind.TEXT, "naam", "name nl", "naam nl", required=True),
        _c("name_en", Kind.TEXT, "name", "name en", "naam en", required=True),
        _c("description_nl", Kind.TEXT, "beschrijving"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
MEMBERSHIPS = Sheet(
    "memberships",
    (
        _c("group", Kind.KEY, "groep", required=True, refers_to="groups"),
        _c("person", Kind.KEY, "persoon", required=True, refers_to="people"),
        _c("organisation", Kind.KEY, "organisatie", "on behalf of", refers_to="organisations"),
        _c("role", Kind.TEXT, "rol"),
    ),
    key=("group", "person"),
)
THEMES = Sheet(
    "themes",
    (
        _c("key", Kind.KEY, "theme", "thema", required=True),
        _c("order", Kind.INT, "volgorde", required=True),
        _c("name_nl", Kind.TEXT, "naam", "naam nl", "name dutch", required=True),
        _c("name_en", Kind.TEXT, "name", "name en", "naam en", "name english", required=True),
        _c("aim_nl", Kind.TEXT, "doel", "doel nl", "aim dutch", required=True),
        _c("aim_en", Kind.TEXT, "aim", "aim en", "doel en", "aim english"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
    importable=True,
)
THEME_LEADS = Sheet(
    "theme_leads",
    (
        _c("theme", Kind.KEY, "thema", required=True, refers_to="themes"),
        _c("side", Kind.CHOICE, "kant", required=True, choices=schema.ActivitySide),
        _c("role", Kind.CHOICE, "rol", required=True, choices=schema.LeadRole),
        _c("organisation", Kind.KEY, "organisatie", refers_to="organisations"),
        _c("person", Kind.KEY, "persoon", refers_to="people"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("theme", "side", "role", "organisation", "person"),
)
SUB_PRIORITIES = Sheet(
    "sub_priorities",
    (
        _c("theme", Kind.KEY, "thema", required=True, refers_to="themes"),
        _c("key", Kind.KEY, required=True),
        _c("order", Kind.INT, "volgorde", required=True),
        _c("title_nl", Kind.TEXT, "titel", "titel nl", required=True),
        _c("title_en", Kind.TEXT, "title", "title en", "titel en", required=True),
        _c("description_nl", Kind.TEXT, "beschrijving"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("theme", "key"),
)
PROPOSALS = Sheet(
    "proposals",
    (
        _c("key", Kind.KEY, "id", "code", "sleutel", required=True),
        _c("theme", Kind.KEY, "thema", required=True, refers_to="themes"),
        _c("kind", Kind.CHOICE, "soort", "type", required=True, choices=schema.ProposalKind),
        _c("parent", Kind.KEY, "part of", "onderdeel van", refers_to="proposals"),
        _c("other_themes", Kind.LIST, "andere themas", "other themes", refers_to="themes"),
        _c("sub_priority", Kind.KEY, "subprioriteit", "sub priority", refers_to="sub_priorities"),
        _c("overview_label_nl", Kind.TEXT, "label overzicht", "overview label"),
        _c("overview_order", Kind.INT, "positie overzicht", "overview position"),
        _c("title_nl", Kind.TEXT, "titel", "titel nl", "title dutch", "title nederlands", required=True),
        _c("title_en", Kind.TEXT, "title", "title en", "titel en", "title english"),
        _c("summary_nl", Kind.TEXT, "samenvatting", "samenvatting nl", "beschrijving", "summary dutch"),
        _c("summary_en", Kind.TEXT, "summary", "summary en", "samenvatting en", "summary english"),
        _c("status", Kind.CHOICE, "stand", "fase", required=True, choices=schema.ProposalStatus),
        _c("trl", Kind.TRL, "trl range", "trl niveau", "trl bereik", "trl levels"),
        _c("trl_basis", Kind.CHOICE, "trl basis", "trl grond", choices=schema.TrlBasis),
        _c("trl_note", Kind.TEXT, "trl notitie", "trl opmerking"),
        _c(
            "value_chain",
            Kind.LIST,
            "waardeketen",
            "value chain stages",
            "waardeketenstappen",
            choices=schema.ValueChainStage,
        ),
        _c("budget_per_year_min_eur", Kind.EUROS, "budget per jaar", "budget per year", "budget per jaar van"),
        _c("budget_per_year_max_eur", Kind.EUROS, "budget per jaar tot", "budget per year to"),
        _c("budget_years", Kind.INT, "jaren", "budgetjaren", "years"),
        _c("budget_total_min_eur", Kind.EUROS, "budget", "totaal budget", "total budget", "budget totaal"),
        _c("budget_total_max_eur", Kind.EUROS, "totaal budget tot", "total budget to"),
        _c("budget_text_nl", Kind.TEXT, "budget tekst", "budget as written", "budget zoals geschreven"),
        _c("duration_months", Kind.INT, "looptijd", "looptijd maanden", "duration", "months"),
        _c("planned_start", Kind.TEXT, "start", "geplande start", "start date"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
    importable=True,
)
PARTIES = Sheet(
    "parties",
    (
        _c("proposal", Kind.KEY, "voorstel", required=True, refers_to="proposals"),
        _c("organisation", Kind.KEY, "organisatie", "partner", "party", "partij", required=True),
        _c("role", Kind.CHOICE, "rol", required=True, choices=schema.PartyRole),
        _c("note", Kind.TEXT, "notitie", "opmerking"),
    ),
    key=("proposal", "organisation"),
    importable=True,
    notes="organisation: an organisation's key or name (an alias is fine); unknown names get the closest matches",
)
PROPOSAL_INSTRUMENTS = Sheet(
    "proposal_instruments",
    (
        _c("proposal", Kind.KEY, "voorstel", required=True, refers_to="proposals"),
        _c("instrument", Kind.KEY, "instrument", required=True, refers_to="instruments"),
        _c("state", Kind.CHOICE, "stand", required=True, choices=schema.InstrumentState),
        _c("note", Kind.TEXT, "notitie"),
    ),
    key=("proposal", "instrument"),
)
ACTIVITIES = Sheet(
    "activities",
    (
        _c("key", Kind.KEY, required=True),
        _c("theme", Kind.KEY, "thema", required=True, refers_to="themes"),
        _c("side", Kind.CHOICE, "kant", required=True, choices=schema.ActivitySide),
        _c("trl", Kind.TRL),
        _c("trl_basis", Kind.CHOICE, choices=schema.TrlBasis),
        _c("trl_note", Kind.TEXT),
        _c("value_chain", Kind.LIST, "waardeketen", choices=schema.ValueChainStage),
        _c("text_nl", Kind.TEXT, "tekst", required=True),
        _c("text_en", Kind.TEXT, "text"),
        _c("organisations", Kind.LIST, "organisaties", refers_to="organisations"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
ACTORS = Sheet(
    "actors",
    (
        _c("theme", Kind.KEY, "thema", required=True, refers_to="themes"),
        _c("organisation", Kind.KEY, "organisatie", required=True, refers_to="organisations"),
        _c("note_nl", Kind.TEXT, "notitie"),
        _c("trl", Kind.TRL),
        _c("trl_basis", Kind.CHOICE, choices=schema.TrlBasis),
        _c("trl_note", Kind.TEXT),
        _c("value_chain", Kind.LIST, "waardeketen", choices=schema.ValueChainStage),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("theme", "organisation"),
)
FUNNEL_QUESTIONS = Sheet(
    "funnel_questions",
    (
        _c("key", Kind.KEY, required=True),
        _c("order", Kind.INT, required=True),
        _c("text_nl", Kind.TEXT, "vraag", required=True),
        _c("text_en", Kind.TEXT, "question", required=True),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
FUNNEL_ANSWERS = Sheet(
    "funnel_answers",
    (
        _c("theme", Kind.KEY, "thema", required=True, refers_to="themes"),
        _c("question", Kind.KEY, "vraag", required=True, refers_to="funnel_questions"),
        _c("band", Kind.CHOICE, "trl band", required=True, choices=schema.Band),
        _c("order", Kind.INT, "volgorde"),
        _c("text_nl", Kind.TEXT, "antwoord", "antwoord nl", required=True),
        _c("text_en", Kind.TEXT, "answer", "answer en", "antwoord en"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("theme", "question", "band", "order"),
    importable=True,
)
CROSS_THEME_TOPICS = Sheet(
    "cross_theme_topics",
    (
        _c("key", Kind.KEY, required=True),
        _c("title_nl", Kind.TEXT, "titel", required=True),
        _c("title_en", Kind.TEXT, "title", required=True),
        _c("description_nl", Kind.TEXT, "beschrijving"),
        _c("themes", Kind.LIST, "themas", required=True, refers_to="themes"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
INSTRUMENTS = Sheet(
    "instruments",
    (
        _c("key", Kind.KEY, required=True),
        _c("name", Kind.TEXT, "naam", required=True),
        _c("name_en", Kind.TEXT),
        _c("acronym", Kind.TEXT, "afkorting"),
        _c("level", Kind.CHOICE, "niveau", required=True, choices=schema.InstrumentLevel),
        _c("trl", Kind.TRL),
        _c("trl_basis", Kind.CHOICE, choices=schema.TrlBasis),
        _c("trl_note", Kind.TEXT),
        _c("notes_nl", Kind.TEXT, "notities"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
MEETINGS = Sheet(
    "meetings",
    (
        _c("key", Kind.KEY, required=True),
        _c("held_on", Kind.DATE, "datum", "date", required=True),
        _c("place", Kind.TEXT, "plaats"),
        _c("group", Kind.KEY, "groep", required=True, refers_to="groups"),
        _c("title_nl", Kind.TEXT, "titel", required=True),
        _c("title_en", Kind.TEXT, "title"),
        _c("host", Kind.KEY, "gastheer", refers_to="organisations"),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
MEETING_PARTICIPANTS = Sheet(
    "meeting_participants",
    (
        _c("meeting", Kind.KEY, "bijeenkomst", required=True, refers_to="meetings"),
        _c("person", Kind.KEY, "persoon", required=True, refers_to="people"),
        _c("organisation", Kind.KEY, "organisatie", refers_to="organisations"),
        _c("role", Kind.TEXT, "rol"),
    ),
    key=("meeting", "person"),
)
TRL_LEVELS = Sheet(
    "trl_levels",
    (
        _c("level", Kind.INT, "niveau", required=True),
        _c("text_nl", Kind.TEXT, "beschrijving", required=True),
        _c("text_en", Kind.TEXT, "description", required=True),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("level",),
)
CRITERIA = Sheet(
    "criteria",
    (
        _c("key", Kind.KEY, required=True),
        _c("parent", Kind.KEY, refers_to="criteria"),
        _c("order", Kind.INT, required=True),
        _c("text_nl", Kind.TEXT, required=True),
        _c("text_en", Kind.TEXT, required=True),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
CRITERIA_ASSESSMENTS = Sheet(
    "criteria_assessments",
    (
        _c("key", Kind.KEY, required=True),
        _c("subject_theme", Kind.KEY, "thema", refers_to="themes"),
        _c("subject_topic", Kind.KEY, "topic", refers_to="cross_theme_topics"),
        _c("title_nl", Kind.TEXT, "titel", required=True),
        _c("assessed_on", Kind.DATE, "datum", "date"),
        _c("assessed_by", Kind.TEXT, "door", required=True),
        _c("source", Kind.TEXT, "bron"),
    ),
    key=("key",),
)
CRITERION_FINDINGS = Sheet(
    "criterion_findings",
    (
        _c("assessment", Kind.KEY, "beoordeling", required=True, refers_to="criteria_assessments"),
        _c("criterion", Kind.KEY, "criterium", required=True, refers_to="criteria"),
        _c("present", Kind.BOOL, "aanwezig"),
        _c("note_nl", Kind.TEXT, "notitie"),
    ),
    key=("assessment", "criterion"),
)

# In workbook order. Exports write every sheet; imports change only `importable` sheets
# (into drafts) and say so for the rest.
SHEETS: tuple[Sheet, ...] = (
    THEMES,
    PROPOSALS,
    PARTIES,
    PROPOSAL_INSTRUMENTS,
    FUNNEL_ANSWERS,
    SUB_PRIORITIES,
    THEME_LEADS,
    ACTIVITIES,
    ACTORS,
    CROSS_THEME_TOPICS,
    ORGANISATIONS,
    PEOPLE,
    GROUPS,
    MEMBERSHIPS,
    MEETINGS,
    MEETING_PARTICIPANTS,
    INSTRUMENTS,
    FUNNEL_QUESTIONS,
    TRL_LEVELS,
    CRITERIA,
    CRITERIA_ASSESSMENTS,
    CRITERION_FINDINGS,
)
BY_NAME = {s.name: s for s in SHEETS}
# The sheets of a theme lead's template (pre-filled with their theme).
TEMPLATE_SHEETS: tuple[Sheet, ...] = (THEMES, PROPOSALS, PARTIES, FUNNEL_ANSWERS)
