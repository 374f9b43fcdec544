"""Plain-text helpers every importer needs: whitespace, record keys, sentences, blank lines.

They used to be copied into each importer with small differences. Where a
difference decides a record key, it is a parameter here, because the builder
derives IRIs from keys and a rebuild must give the same graph as before.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import Literal

TRANSLITERATION = (("æ", "ae"), ("ø", "oe"), ("å", "aa"))

# Words that end in a period without ending the sentence ("bl.a.", "f.eks.", "A.P. Møller").
ABBREVIATIONS = frozenset({
    "a", "ang", "bl", "ca", "dvs", "eks", "el", "evt", "fx", "gl", "hhv", "ifm", "ift",
    "inkl", "jf", "kr", "mdr", "mhp", "mv", "nr", "osv", "pba", "pct", "pr", "vedr",
})  # fmt: skip
# A sentence ends at ".", "!" or "?" and the blanks after it, before a capital or a quote.
SENTENCE_END = re.compile(r"[.!?]\s+(?=[A-ZÆØÅ\"”'])")
NOT_KEY = re.compile(r"[^a-z0-9]+")
NOT_DANISH_KEY = re.compile(r"[^a-z0-9æøå]+")


class _Unmarked(dict[int, int | None]):
    """A ``str.translate`` table that drops combining marks, deciding each character once."""

    def __missing__(self, code: int) -> int | None:
        kept = None if unicodedata.combining(chr(code)) else code
        self[code] = kept
        return kept


UNMARKED = _Unmarked()


def collapse(text: str) -> str:
    """One line of text with single spaces."""
    return " ".join(text.split())


def slug(
    text: str,
    limit: int = 60,
    *,
    cut: Literal["words", "hyphen", "chars"] = "words",
    danish_letters: bool = False,
) -> str:
    """A deterministic key from a label: lower-case words joined by hyphens, at most ``limit`` long.

    By default the words are ASCII ("æ" → "ae", "ø" → "oe", "å" → "aa", accents
    dropped) and every whole word that fits is kept. The importers that came
    before this function cut their keys in other ways, and their keys must not
    change: ``cut="hyphen"`` cuts at ``limit`` and then back to the last hyphen
    (which drops a word that ends exactly at the limit); ``cut="chars"`` cuts
    at exactly ``limit`` characters. ``danish_letters`` keeps "æ", "ø" and "å"
    as they are; every other character outside a-z and 0-9 separates words.
    """
    text = text.lower()
    if danish_letters:
        key = NOT_DANISH_KEY.sub("-", text).strip("-")
    else:
        for letter, ascii_ in TRANSLITERATION:
            text = text.replace(letter, ascii_)
        text = unicodedata.normalize("NFD", text).translate(UNMARKED)
        key = NOT_KEY.sub("-", text).strip("-")
    if len(key) > limit:
        if cut == "chars":
            key = key[:limit]
        elif cut == "hyphen":
            key = key[:limit].rsplit("-", 1)[0]
        else:
            first, *rest = key.split("-")
            key = first[:limit]
            for word in rest:
                if len(key) + 1 + len(word) > limit:
                    break
                key = f"{key}-{word}"
    return key or "x"


def unique(key: str, taken: set[str]) -> str:
    """``key``, or ``key-2``, ``key-3`` … when already taken; the result is added to ``taken``."""
    candidate, number = key, 2
    while candidate in taken:
        candidate, number = f"{key}-{number}", number + 1
    taken.add(candidate)
    return candidate


def dedupe(items: Iterable[str]) -> list[str]:
    """The items in order of first appearance, each once."""
    return list(dict.fromkeys(items))


def is_abbreviation(text: str, end: int, abbreviations: frozenset[str] = ABBREVIATIONS) -> bool:
    """True when the word ending at ``end`` (just before a period) is an abbreviation or initial.

    The word is the last run of word characters (as regex ``\\w``) before ``end``,
    found by reading backwards, so that checking every sentence end of a long
    text stays linear.
    """
    stop = min(end, len(text))
    while stop > 0 and not _word_character(text[stop - 1]):
        stop -= 1
    start = stop
    while start > 0 and _word_character(text[start - 1]):
        start -= 1
    token = text[start:stop].lower()
    return (len(token) == 1 and token.isalpha()) or token in abbreviations


def _word_character(character: str) -> bool:
    return character.isalnum() or character == "_"


def sentence_ends(
    text: str,
    boundary: re.Pattern[str] = SENTENCE_END,
    abbreviations: frozenset[str] | None = ABBREVIATIONS,
) -> Iterator[re.Match[str]]:
    """The matches of ``boundary`` that end a sentence: not a period after an abbreviation.

    ``abbreviations=None`` takes every match, for text whose boundary pattern
    alone is trusted.
    """
    for match in boundary.finditer(text):
        if (
            abbreviations is not None
            and text[match.start()] == "."
            and is_abbreviation(text, match.start(), abbreviations)
        ):
            continue
        yield match


def sentences(
    text: str,
    boundary: re.Pattern[str] = SENTENCE_END,
    abbreviations: frozenset[str] | None = ABBREVIATIONS,
) -> list[str]:
    """The sentences of ``text``, stripped, without empty ones."""
    found, start = [], 0
    for match in sentence_ends(text, boundary, abbreviations):
        found.append(text[start : match.end()].strip())
        start = match.end()
    found.append(text[start:].strip())
    return [sentence for sentence in found if sentence]


def first_sentence(
    text: str,
    boundary: re.Pattern[str] = SENTENCE_END,
    abbreviations: frozenset[str] | None = ABBREVIATIONS,
) -> tuple[str, str]:
    """``text`` split after its first sentence (with its end mark) and the rest."""
    for match in sentence_ends(text, boundary, abbreviations):
        return text[: match.start() + 1], text[match.end() :]
    return text, ""


def label_text(sentence: str) -> str:
    """A sentence as a label: no trailing colon, no final period unless it ends an abbreviation."""
    text = re.sub(r"\s*:$", "", sentence.strip())
    if text.endswith(".") and not is_abbreviation(text, len(text) - 1):
        text = text[:-1]
    return text


def last_text_line(lines: tuple[str, ...], first: int, last: int) -> int:
    """The last line in ``first``..``last`` (1-based) that holds text (``first`` at least)."""
    while last > first and not lines[last - 1].strip():
        last -= 1
    return last


def next_text_line(lines: tuple[str, ...], number: int) -> int | None:
    """The number of the first line after line ``number`` that holds text."""
    for following in range(number + 1, len(lines) + 1):
        if lines[following - 1].strip():
            return following
    return None
