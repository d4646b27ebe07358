"""What a typed search query means, independent of the database: no Django here.

Every query is reduced to words (letters and digits only), so no operator, quote or
bracket a user types ever reaches FTS5's or PostgreSQL's query syntax. A whitespace-
separated piece of the query is one term; a term of several words ("TU/e", "III-V") is a
phrase. All terms must match, each as a prefix, because people search as they type and
because Dutch inflects: 'zonnecel' has to find 'zonnecellen'. SQLite has no Dutch stemmer,
so a term also tries its likely stem and the other spelling of its vowel ('systemen' →
'system', 'systeem'); PostgreSQL stems as well, which only ever widens the same match.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_TERMS = 10
MAX_WORDS_PER_TERM = 5
MAX_WORD_LENGTH = 40

# Letters and digits: what both FTS5's unicode61 tokenizer and PostgreSQL's parser keep.
WORD = re.compile(r"[^\W_]+")

# Accents folded on both sides of a PostgreSQL match (SQLite's tokenizer folds them itself).
ACCENTED = "áàâäãåéèêëíìîïóòôöõúùûüýÿçñÁÀÂÄÃÅÉÈÊËÍÌÎÏÓÒÔÖÕÚÙÛÜÝÇÑ"
PLAIN = "aaaaaaeeeeiiiiooooouuuuyycnAAAAAAEEEEIIIIOOOOOUUUUYCN"
_FOLD = str.maketrans(ACCENTED, PLAIN)

# Dutch inflection endings, longest first; the stem must keep MIN_STEM letters.
# Accents are folded first, so 'technologieën' loses its 'en' too.
ENDINGS = ("en", "s", "e")
MIN_STEM = 4
VOWELS = "aeiou"
# Vowel pairs that are not one long vowel (Dutch diphthongs, and 'ea', 'io' of English words).
VOWEL_PAIRS = {"ai", "au", "ea", "ei", "eu", "ie", "io", "oa", "oe", "oi", "ou", "ui"}


@dataclass(frozen=True)
class Term:
    """One piece of the query: a phrase of words, or one word with alternative prefixes."""

    words: tuple[str, ...]  # a phrase when more than one; its last word matches as a prefix
    prefixes: tuple[str, ...]  # a one-word term: any of these prefixes matches; a phrase: ()

    @property
    def is_phrase(self) -> bool:
        return len(self.words) > 1


def fold_accents(text: str) -> str:
    """'geïntegreerde' → 'geintegreerde' for the accents of ACCENTED; other text unchanged."""
    return text.translate(_FOLD)


def words_of(text: str) -> tuple[str, ...]:
    """The words of `text` as a search compares them: lower case, accents folded."""
    return tuple(fold_accents(word.lower()) for word in WORD.findall(text))


def parse(query: str) -> tuple[Term, ...]:
    """The terms of `query`; empty when it has no letters or digits at all (e.g. `"` or `*`)."""
    terms = []
    for piece in query.split():
        words = tuple(word[:MAX_WORD_LENGTH] for word in words_of(piece))[:MAX_WORDS_PER_TERM]
        if not words:
            continue
        prefixes = dutch_prefixes(words[0]) if len(words) == 1 else ()
        terms.append(Term(words=words, prefixes=prefixes))
        if len(terms) == MAX_TERMS:
            break
    return tuple(terms)


def dutch_prefixes(word: str) -> tuple[str, ...]:
    """Prefixes that find the singular and plural forms of `word`, most specific first.

    Removing an ending only widens a prefix match (the stem is a prefix of the word), so a
    wrong guess costs precision, never recall. A long vowel is written double in a closed
    syllable and single in an open one ('systeem', 'systemen'), so both spellings are tried.
    """
    stem = word
    for ending in ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= MIN_STEM:
            stem = word[: -len(ending)]
            break
    if stem != word and len(stem) > MIN_STEM and stem[-1] == stem[-2] and stem[-1] not in VOWELS:
        stem = stem[:-1]  # 'zonnecell' (from 'zonnecellen') → 'zonnecel'
    prefixes = [stem]
    other = _other_vowel_spelling(stem)
    if other:
        prefixes.append(other)
    return tuple(dict.fromkeys(prefixes))


def _other_vowel_spelling(stem: str) -> str | None:
    """'systeem' → 'system' and 'system' → 'systeem': the long vowel before the last consonant."""
    if len(stem) < MIN_STEM or stem[-1] in VOWELS + "jw" or stem[-2] not in "aeou":
        return None
    if stem[-3] == stem[-2]:
        return stem[:-2] + stem[-1]
    if stem[-3:-1] in VOWEL_PAIRS:  # 'boek', 'near', 'station': no long vowel to respell
        return None
    return stem[:-1] + stem[-2] + stem[-1]
