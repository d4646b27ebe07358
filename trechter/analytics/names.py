"""Which CORDIS organisation is this? Resolves an organisation named in the agenda (or in a
participation row without a PIC) to CORDIS records. The PIC is the identity: a record is
one PIC with all the names it was seen under; a query finds it by normalised name,
acronym, city and country.

A name is folded (case, accents, punctuation, dotted and spaced-out letters such as
"K.U.Leuven" or "B V"), legal forms and stop words are dropped, and words in several
languages are mapped to one spelling ("Universiteit"/"University", "Gent"/"Ghent"). Each
word weighs by its rarity in the index, so "Reumafonds" counts and "Stichting" hardly does;
"Stichting", "Vereniging" and "Foundation" stay words (they carry meaning in names such as
"Nierstichting Nederland" or "USEF Foundation") but do not block an exact match of the
rest of the name ("Stichting Platform31" = "Platform31").

Scores are in [0, 1]. The name score is mostly how much of the query's weight the record
explains, so a unit named after its parent plus words of its own ("TNO Networked
Information", "Prometheus (KU Leuven)") does not reach its parent. An acronym alone
("ASML", "IMEC") is weak evidence and needs the same city to be accepted. The country must
agree (EL = GR, UK = GB). Candidates come out best first, ties by org_id. Plain data in and
out, no Django (tests/unit/test_pure_modules.py checks).
"""

from __future__ import annotations

import functools
import itertools
import math
import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz, process
from rapidfuzz.distance import Levenshtein

ACCEPT = 0.82  # link automatically at or above this score …
REVIEW = 0.6  # … and queue for review between REVIEW and ACCEPT
MARGIN = 0.05  # a runner-up this close to the best (another organisation) makes it a review

# Scoring constants, tuned on bench/resolution.py (seed set and the name-variant set).
QUERY_WEIGHT = 0.8  # share of the name score from how much of the query the record explains
MIN_COVER = 0.8  # below this share of the query explained the score is multiplied by it
MIN_EVIDENCE = 0.65  # shared word weight below this share of an unseen word's weakens the score
ACRONYM_SCORE = 0.75  # an acronym match alone: a review unless the city agrees too
SHORT_ACRONYM_SCORE = 0.6  # two letters ("UA", "EZ"): a review at best
FORM_WORD_SCORE = 0.97  # the same name but for "Stichting", "Vereniging", "Foundation"
SHORT_NAME_SCORE = 0.95  # a name equal to a record's short name
CITY_BONUS = 0.4  # share of the way to 1 a same city adds …
CITY_PENALTY = 0.1  # … and share of the score another city takes off
PRESELECT = 40  # candidates scored in full after the cheap shared-word count
BLOCKING_WORDS = 3  # rarest words of each query name used to find candidates

COUNTRY_ALIASES = {"GB": "UK", "GR": "EL"}  # ISO codes as the seed writes them → CORDIS codes

# Legal forms in the languages CORDIS names come in; dropped wherever they stand.
LEGAL_FORMS = frozenset(
    {
        *("bv", "nv", "vof", "cv", "ua", "bvba", "cvba", "cvoa", "comm", "commv", "gcv"),  # NL, BE
        *("sprl", "scrl", "srl", "sa", "sas", "sasu", "sarl", "eurl", "snc", "sca", "scs", "gie", "gip"),  # FR
        *("vzw", "ivzw", "asbl", "aisbl", "eeig", "ewiv"),  # associations, European groupings
        *("gmbh", "mbh", "ggmbh", "gesmbh", "ges", "ag", "kg", "kgaa", "ohg", "ug", "ev", "eg", "mbb"),  # DE, AT
        *("ltd", "limited", "plc", "llp", "llc", "lp", "inc", "incorporated", "corp", "co", "cie"),  # EN
        *("spa", "sapa", "scarl", "scpa", "srls", "onlus"),  # IT
        *("sl", "slu", "sll", "slp", "sau", "scoop", "coop", "lda", "sgps"),  # ES, PT
        *("ab", "hb", "kb", "as", "asa", "aps", "is", "ivs", "amba", "oy", "oyj", "ky", "tmi"),  # Nordic
        *("ou", "sia", "uab", "sro", "spol", "zoo", "sp", "doo", "dd", "kft", "zrt", "nyrt", "bt", "rt"),  # CEE
        *("ae", "epe", "ike", "oe", "ee", "ad", "ead", "ood", "eood", "pty", "bhd", "kk", "se", "ks", "sal"),
    }
)
STOP_WORDS = frozenset(
    {
        *("de", "het", "een", "van", "voor", "en", "der", "den", "des", "op", "aan", "bij", "te", "ter"),
        *("du", "la", "le", "les", "l", "d", "et", "au", "aux", "el", "los", "las", "al", "y", "e"),
        *("of", "the", "and", "for", "in", "at", "on", "by", "to", "a"),
        *("und", "fur", "zu", "zum", "zur", "im", "am", "an", "auf"),
        *("di", "del", "della", "dei", "degli", "da", "do", "dos", "das"),
    }
)
# Words dropped only from the exact-name key: "Stichting X" and "X" are the same name.
FORM_WORDS = frozenset({"foundation", "association"})
# Words that count only when both sides have them: country names and words of a company's
# reach ("group", "holding", "Europe"), which names gain and lose freely.
OPTIONAL_WORDS = frozenset(
    {"nederland", "netherlands", "holland", "belgie", "belgium", "belgique", "belgien", "nl", "be"}
    | {"group", "holding", "europe"}
)
# One spelling for words that differ only by language, and for city names (Dutch, French,
# English and local forms), applied to names and cities alike, after umlauts are folded.
_SAME_WORDS = {
    "university": (
        *("universiteit", "universite", "universitat", "universita", "universidad", "universidade"),
        *("uniwersytet", "univerzita", "universitet", "universiteti", "yliopisto"),
    ),
    "institute": ("instituut", "institut", "instituto", "istituto", "institutet", "instytut"),
    "centre": ("centrum", "center", "centro", "zentrum", "centras"),
    "foundation": ("stichting", "fondation", "fundacion", "fundacao", "fondazione", "stiftung", "fundatia"),
    "association": ("vereniging", "associazione", "asociacion", "associacao", "verein", "vereinigung"),
    "laboratory": ("laboratorium", "laboratoire", "laboratorio", "labor"),
    "group": ("groep", "groupe", "gruppe", "grupo", "gruppo"),
    "gent": ("ghent", "gand"),
    "antwerpen": ("antwerp", "anvers"),
    "brussel": ("brussels", "bruxelles"),
    "leuven": ("louvain",),
    "haag": ("hague", "gravenhage"),
    "liege": ("luik", "luttich"),
    "mons": ("bergen",),
    "namur": ("namen",),
    "kortrijk": ("courtrai",),
    "brugge": ("bruges",),
    "mechelen": ("malines",),
    "doornik": ("tournai",),
    "ieper": ("ypres",),
    "aachen": ("aken",),
    "koln": ("cologne", "keulen"),
    "munchen": ("munich",),
    "wien": ("vienna", "wenen"),
    "praha": ("prague", "prag"),
    "warszawa": ("warsaw", "warschau"),
    "lisboa": ("lisbon", "lissabon"),
    "roma": ("rome", "rom"),
    "milano": ("milan", "milaan", "mailand"),
    "athina": ("athens", "athene", "athen"),
    "kobenhavn": ("copenhagen", "kopenhagen"),
}
SYNONYMS = {word: same for same, spellings in _SAME_WORDS.items() for word in spellings}

_SPACED_LETTERS = re.compile(r"\b(?:[a-z0-9] )+[a-z0-9]\b")  # "b v" → "bv", "k u leuven" → "ku leuven"
_NOT_WORD = re.compile(r"[^a-z0-9]+")
_PARENTHESIS = re.compile(r"\(([^()]*)\)")
_HYPHENATED_LETTER = re.compile(r"(?<![A-Za-z0-9])([A-Za-z0-9])-(?=[A-Za-z0-9])")


@dataclass(frozen=True)
class Record:
    """One CORDIS organisation (a PIC, or a hashed id) as the index sees it."""

    org_id: str
    name: str
    short_name: str
    city: str
    country: str
    activity_type: str
    names: tuple[str, ...] = ()  # other name variants seen, e.g. in participation rows


@dataclass(frozen=True)
class Query:
    """An organisation to resolve: a seed organisation or a participation row."""

    name: str
    aliases: tuple[str, ...] = ()
    country: str = ""
    city: str = ""
    short_name: str = ""


@dataclass(frozen=True)
class Match:
    """A candidate record with its score in [0, 1] and why, for the review queue."""

    org_id: str
    score: float
    reasons: tuple[str, ...]  # e.g. ("same acronym IMEC", "same city LEUVEN")


class _Variant(NamedTuple):  # a NamedTuple: built ~80,000 times per index, it must be cheap
    """One spelling of a name, folded for matching."""

    text: str  # as given, for reasons
    tokens: tuple[str, ...]  # content words in order, synonyms applied
    key: str  # content words joined without spaces, form words left out
    acronym: str  # the whole name as an acronym ("imec", "tue"), or ""
    initials: str  # first letters of three or more words ("vito"), or ""
    is_short: bool  # a record's short name (weaker than a name)


# ── normalisation ─────────────────────────────────────────────────────────────────────────


def fold(text: str) -> str:
    """Casefold, strip accents, turn punctuation into spaces and join spaced-out letters:
    "K.U.Leuven" → "ku leuven", "TÜV Rheinland B.V." → "tuv rheinland bv"."""
    if text.isascii():
        ascii_text = text.lower()
    else:
        ascii_text = unicodedata.normalize("NFKD", text.replace("ß", "ss")).encode("ascii", "ignore").decode().lower()
    spaced = _NOT_WORD.sub(" ", ascii_text).strip()
    return _SPACED_LETTERS.sub(_join_letters, spaced) if " " in spaced else spaced


def _join_letters(match: re.Match[str]) -> str:
    return match.group(0).replace(" ", "")


def _unhyphenate(match: re.Match[str]) -> str:
    return match.group(1)


def _content(folded: Iterable[str]) -> tuple[str, ...]:
    out = []
    for word in folded:
        content = _CONTENT_WORDS.get(word)
        if content is None:
            content = _CONTENT_WORDS[word] = _content_word(word)
        if content:
            out.append(content)
    return tuple(out)


_CONTENT_WORDS: dict[str, str] = {}  # folded word → content word ("" when dropped); words repeat a lot


def _content_word(word: str) -> str:
    # German umlauts written out ("Zuerich", "fuer") meet the stripped ones ("Zurich").
    word = word.replace("ae", "a").replace("oe", "o").replace("ue", "u") if "e" in word else word
    word = SYNONYMS.get(word, word)
    return word if len(word) > 1 and word not in LEGAL_FORMS and word not in STOP_WORDS else ""


def words(text: str) -> tuple[str, ...]:
    """The content words of a name: folded, synonyms applied, legal forms, stop words and
    stray single letters dropped. Order is kept."""
    return _content(fold(text).split())


def name_key(text: str) -> str:
    """The exact-match key of a name: its content words without form words ("Stichting",
    "Vereniging"), joined without spaces, so "Platform 31" = "STICHTING PLATFORM31"; a
    letter hyphenated to a word stays on it ("E-MOSS" = "Emoss")."""
    return _analyse(text).key


def acronym(text: str) -> str:
    """The name as an acronym if it looks like one — one short word ("IMEC", "TU/e", "M2i")
    or one all-capital word of up to six characters ("DATS24") — else ""."""
    return _acronym(text, fold(text).split())


def _acronym(text: str, folded: list[str]) -> str:
    tokens = [w for w in folded if w not in LEGAL_FORMS]
    joined = "".join(tokens)
    if not joined or len(tokens) > 2 or (len(tokens) == 2 and len(joined) > 5):
        return ""
    if len(joined) <= 5:
        return joined
    stripped = re.sub(r"[^A-Za-z0-9]", "", text)
    return joined if stripped.isupper() and len(stripped) <= 6 else ""


def initials(text: str) -> str:
    """First letters of the content words of a name of three or more words, before synonyms:
    "Vlaamse Instelling voor Technologisch Onderzoek" → "vito"."""
    return _initials(fold(text).split())


def _initials(folded: list[str]) -> str:
    tokens = [w for w in folded if w not in LEGAL_FORMS and w not in STOP_WORDS and len(w) > 1]
    return "".join(w[0] for w in tokens) if len(tokens) >= 3 else ""


def country_code(country: str) -> str:
    """CORDIS country code for an ISO or CORDIS code (GB → UK, GR → EL)."""
    code = country.strip().upper()
    return COUNTRY_ALIASES.get(code, code)


@functools.lru_cache(maxsize=65536)
def city_words(city: str) -> frozenset[str]:
    """The words of a city name, synonyms applied ("Bruxelles / Brussel" → {"brussel"})."""
    return frozenset(_content(fold(city).split()))


def same_city(left: frozenset[str], right: frozenset[str]) -> bool:
    """Whether two cities agree: a shared word, a near spelling, or one word containing the
    other ("Gentbrugge" in Gent, "Zwijnaarde - Gent")."""
    if not left or not right:
        return False
    if left & right:
        return True
    for a in left:
        for b in right:
            if fuzz.ratio(a, b) >= 90 or (min(len(a), len(b)) >= 4 and (a in b or b in a)):
                return True
    return False


def typos(word: str) -> int:
    """Edits a word may differ by and still be the same word: 1 up to 8 letters ("Trofinon",
    "Trofunon"), 2 up to 14, else 3; "Confederacio" is not "Federacio"."""
    return 1 if len(word) <= 8 else 2 if len(word) <= 14 else 3


def spelled_alike(word: str, other: str) -> float:
    """1 − edits / length when `word` and `other` differ by at most typos() edits, else 0."""
    allowed = typos(min(word, other, key=len))
    if abs(len(word) - len(other)) > allowed:
        return 0.0
    edits = Levenshtein.distance(word, other, score_cutoff=allowed)
    return 1 - edits / max(len(word), len(other)) if edits <= allowed else 0.0


def _analyse(text: str, *, is_short: bool = False) -> _Variant:
    """Fold a spelling once and derive its words, key, acronym and initials."""
    folded = fold(text).split()
    tokens = _content(folded)
    key_words = tokens
    if "-" in text:
        # "E-MOSS", "S-ISPT": the key keeps the letter, the words do not (so "ISPT" matches).
        key_words = _content(fold(_HYPHENATED_LETTER.sub(_unhyphenate, text)).split())
    return _Variant(
        text=text,
        tokens=tokens,
        key="".join(w for w in key_words if w not in FORM_WORDS),
        acronym=_acronym(text, folded),
        initials=_initials(folded),
        is_short=is_short,
    )


def spellings(text: str) -> list[tuple[str, bool]]:
    """The spellings of one name as (text, is_acronym): the name as written; with a short
    word in brackets ("… (VLAIO)", "STMicroelectronics (Alps)") also the name without it,
    and that word as an acronym when it can be one (three characters or more, not a
    country)."""
    if not text.strip():
        return []
    whole = text.replace("(", " ").replace(")", " ")
    inner = [m.strip() for m in _PARENTHESIS.findall(text)]
    if not inner or not all(acronym(i) for i in inner):
        return [(whole, False)]
    extra = [(i, True) for i in inner if len(acronym(i)) >= 3 and acronym(i) not in OPTIONAL_WORDS]
    return [(whole, False), (_PARENTHESIS.sub(" ", text), False), *extra]


def query_variants(query: Query) -> list[_Variant]:
    """The spellings to look for: name, aliases and short name, see spellings()."""
    seen: dict[tuple[str, str], _Variant] = {}
    for text in (query.name, *query.aliases, query.short_name):
        for spelling, _ in spellings(text):
            variant = _analyse(spelling)
            if variant.tokens and (variant.key, variant.acronym) not in seen:
                seen[(variant.key, variant.acronym)] = variant
    return list(seen.values())


# ── the index ─────────────────────────────────────────────────────────────────────────────


class _Entry(NamedTuple):
    record: Record
    country: str
    city: frozenset[str]
    variants: tuple[_Variant, ...]
    acronyms: frozenset[str]  # acronym-like names and short names, initials of long names
    main_key: str


class NameIndex:
    """CORDIS records indexed by country and by the words, keys and acronyms of their names."""

    def __init__(self, records: Iterable[Record]) -> None:
        self._entries: list[_Entry] = []
        # country → word / key / acronym → positions in _entries
        self._postings: dict[str, dict[str, list[int]]] = defaultdict(dict)
        self._keys: dict[str, dict[str, list[int]]] = defaultdict(dict)
        self._acronyms: dict[str, dict[str, list[int]]] = defaultdict(dict)
        self._document_frequency: dict[str, int] = defaultdict(int)
        self._vocabulary: dict[str, list[str]] = {}  # country → its words, built when first needed
        for record in records:
            self._add(record)
        self._idf_unknown = math.log(len(self._entries) + 1) + 1.0

    def _add(self, record: Record) -> None:
        # A name's bracketed acronym ("… (SARA)") counts as a short name, not as a name.
        texts: dict[str, bool] = {}
        for text in (record.name, *record.names):
            for spelling, is_acronym in spellings(text):
                texts.setdefault(spelling, is_acronym)
        if record.short_name.strip():
            texts.setdefault(record.short_name, True)
        analysed = [_analyse(t, is_short=is_short) for t, is_short in texts.items()]
        main_key = analysed[0].key if record.name.strip() else ""  # the name comes first
        variants = [v for v in analysed if v.tokens]
        acronyms = {v.acronym for v in variants if v.acronym} | {v.initials for v in variants if v.initials}
        index = len(self._entries)
        country = country_code(record.country)
        self._entries.append(
            _Entry(
                record=record,
                country=country,
                city=city_words(record.city),
                variants=tuple(variants),
                acronyms=frozenset(acronyms),
                main_key=main_key,
            )
        )
        postings, keys, acronym_postings = self._postings[country], self._keys[country], self._acronyms[country]
        frequency = self._document_frequency
        for word in {w for v in variants for w in v.tokens}:
            frequency[word] += 1
            postings.setdefault(word, []).append(index)
        for key in {v.key for v in variants if v.key}:
            keys.setdefault(key, []).append(index)
        for item in acronyms:
            acronym_postings.setdefault(item, []).append(index)

    def __len__(self) -> int:
        return len(self._entries)

    def idf(self, word: str) -> float:
        """Weight of a word: log of how rare it is among the records (unknown words weigh most)."""
        frequency = self._document_frequency.get(word, 0)
        if not frequency:
            return self._idf_unknown
        return math.log((len(self._entries) + 1) / (frequency + 1)) + 1.0

    def candidates(self, query: Query, *, limit: int = 5) -> list[Match]:
        """The `limit` best records for `query`, best first, ties by org_id. Records in
        another country are never candidates (without a country, all are); a record named
        exactly like a better one carries the reason "duplicate of <org_id>" (a duplicate
        PIC, see decide())."""
        variants = query_variants(query)
        if not variants:
            return []
        country = country_code(query.country)
        countries = [country] if country else sorted(self._postings)
        shortlist = self._shortlist(variants, countries)
        city = city_words(query.city)
        scored = [self._score(variants, city, self._entries[i]) for i in shortlist]
        scored.sort(key=lambda pair: (-pair[0].score, pair[0].org_id))
        return _mark_duplicates(scored)[:limit]

    # Blocking: records sharing a key, an acronym or one of the rarest words of a variant,
    # then the PRESELECT with most shared weight. Words unseen in the country are looked up
    # by spelling (typos, -ae/-a).
    def _shortlist(self, variants: Sequence[_Variant], countries: Sequence[str]) -> list[int]:
        weight: dict[int, float] = defaultdict(float)
        for country in countries:
            postings = self._postings.get(country, {})
            for variant in variants:
                for i in self._keys.get(country, {}).get(variant.key, ()):
                    weight[i] += 100.0
                if variant.acronym:
                    for i in self._acronyms.get(country, {}).get(variant.acronym, ()):
                        weight[i] += 50.0
                found: dict[str, float] = {}
                for word in variant.tokens:
                    if word in postings:
                        found[word] = self.idf(word)
                    elif len(word) >= 5:
                        vocabulary = self._vocabulary.setdefault(country, sorted(postings))
                        for similar, _, _ in process.extract(
                            word, vocabulary, scorer=Levenshtein.distance, limit=3, score_cutoff=typos(word)
                        ):
                            found[similar] = self.idf(similar)
                for word in sorted(found, key=lambda w: (-found[w], w))[:BLOCKING_WORDS]:
                    for i in postings[word]:
                        weight[i] += found[word]
        ranked = sorted(weight, key=lambda i: (-weight[i], self._entries[i].record.org_id))
        return ranked[:PRESELECT]

    def _score(self, variants: Sequence[_Variant], city: frozenset[str], entry: _Entry) -> tuple[Match, _Entry]:
        best, reason = 0.0, ""
        for query_variant in variants:
            for record_variant in entry.variants:
                score, why = self._pair(query_variant, record_variant, entry)
                if score > best:
                    best, reason = score, why
        reasons = [reason] if reason else []
        # The same city moves the score part of the way to 1, so it can turn an acronym into
        # a link but never lifts a partial name over an exact one. Another city weakens a
        # partial name only: organisations move and CORDIS spells cities many ways.
        if best > 0 and city and entry.city:
            if same_city(city, entry.city):
                best += CITY_BONUS * (1 - best)
                reasons.append(f"same city {entry.record.city}")
            else:
                if best < 1.0:
                    best -= CITY_PENALTY * best
                reasons.append(f"other city {entry.record.city}")
        return Match(org_id=entry.record.org_id, score=round(best, 3), reasons=tuple(reasons)), entry

    def _pair(self, query: _Variant, record: _Variant, entry: _Entry) -> tuple[float, str]:
        """Score one spelling of the query against one spelling of the record."""
        if query.key and query.key == record.key and not (query.acronym and record.is_short):
            if record.is_short:  # a short name is a label, less sure than a name
                return SHORT_NAME_SCORE, f"same short name {record.text}"
            if sorted(query.tokens) == sorted(record.tokens):
                return 1.0, f"same name {record.text}"
            # Equal but for "Stichting"/"Foundation": close, yet a foundation of X may not be X.
            return FORM_WORD_SCORE, f"name equal but for Stichting/Vereniging: {record.text}"
        if query.acronym:
            if query.acronym in entry.acronyms or query.acronym in record.tokens:
                score = ACRONYM_SCORE if len(query.acronym) > 2 else SHORT_ACRONYM_SCORE
                return score, f"same acronym {query.acronym.upper()}"
            return 0.0, ""
        (covered, shared), (explained, _) = (
            self._covered(query.tokens, record.tokens),
            self._covered(record.tokens, query.tokens),
        )
        score = QUERY_WEIGHT * covered + (1 - QUERY_WEIGHT) * explained
        if covered < MIN_COVER:
            score *= covered
        # Sharing only common words ("servicios", "city university") is thin evidence.
        score *= min(1.0, shared / (MIN_EVIDENCE * self._idf_unknown))
        return score, f"similar name {record.text} ({score:.2f})"

    def _covered(self, mine: tuple[str, ...], other: tuple[str, ...]) -> tuple[float, float]:
        """Share of the weight of `mine` found in `other`, and that weight. Words match
        exactly, as two adjacent words written as one ("kutato intezet" = "kutatointezet") or
        by spelling (see typos()); optional words (country names, "group") count only when
        matched."""
        other_set = set(other)
        joined = {a + b for a, b in itertools.pairwise(other)}
        total = found = 0.0
        skip = False
        for position, word in enumerate(mine):
            if skip:
                skip = False
                continue
            weight = self.idf(word)
            similarity = 0.0
            if word in other_set or word in joined:
                similarity = 1.0
            elif position + 1 < len(mine) and word + mine[position + 1] in other_set:
                weight += self.idf(mine[position + 1])
                similarity, skip = 1.0, True
            elif len(word) >= 4:
                similarity = max((spelled_alike(word, o) for o in other_set), default=0.0)
                if not similarity and position + 1 < len(mine):
                    # "research centre" against "researchcenter"
                    pair = word + mine[position + 1]
                    glued = max((spelled_alike(pair, o) for o in other_set), default=0.0)
                    if glued:
                        weight += self.idf(mine[position + 1])
                        similarity, skip = glued, True
            if word in OPTIONAL_WORDS and similarity == 0.0:
                continue
            total += weight
            found += weight * similarity
        return (found / total if total else 0.0), found


def _mark_duplicates(scored: list[tuple[Match, _Entry]]) -> list[Match]:
    """Add "duplicate of <org_id>" to a match whose record has the same main name as a
    better-ranked one: CORDIS has duplicate PICs for one organisation."""
    seen: dict[str, str] = {}
    out = []
    for match, entry in scored:
        first = seen.setdefault(entry.main_key, match.org_id) if entry.main_key else match.org_id
        if first != match.org_id:
            match = Match(match.org_id, match.score, (*match.reasons, f"duplicate of {first}"))
        out.append(match)
    return out


def decide(matches: list[Match]) -> tuple[str, Match | None]:
    """("accept", best) when the best scores ≥ ACCEPT and no rival comes within MARGIN;
    ("review", best) from REVIEW up; else ("none", best or None). A rival is another
    organisation: not a duplicate PIC of the best, and, when the best has exactly the
    name asked for, another record with exactly a name asked for (an exact name is not
    made doubtful by records whose names merely contain it)."""
    if not matches:
        return "none", None
    best = matches[0]
    if best.score < REVIEW:
        return "none", best
    rivals = [m for m in matches[1:] if f"duplicate of {best.org_id}" not in m.reasons]
    if is_exact(best):
        rivals = [m for m in rivals if is_exact(m)]
    if best.score >= ACCEPT and (not rivals or best.score - rivals[0].score >= MARGIN):
        return "accept", best
    return "review", best


def is_exact(match: Match) -> bool:
    """Whether the match is on exactly a name asked for (after normalisation)."""
    return any(reason.startswith("same name ") for reason in match.reasons)
