"""Danish-aware text normalisation and similarity for matching across documents.

The same initiative is written differently from plan to plan: "Etablering af
Familiehus" and "Familiehuset", "Tæt på familien" and "Tættere på Familien",
"Brugertilfredshedsundersøgelse" and "brugertilfredshedsinitiativer". Matching
therefore works on stems (æ/ø/å folded, case and hyphens ignored, inflection
endings cut) and lets compounds match by a shared head or tail, weighting each
word by how rare it is, so that "borgere" or "handicap" count for little and
"Søflygade" counts for a lot.
"""

from __future__ import annotations

import functools
import math
import os.path
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

_WORD = re.compile(r"[a-z0-9]+")
# Endings of Danish inflection (definite, plural), longest first. A bare genitive -s
# is left alone: cutting it would turn "familiehus" into "familiehu".
_ENDINGS = ("ernes", "erens", "erne", "enes", "ende", "ene", "er", "en", "et", "e")
_MIN_STEM = 4
STOPWORDS = frozenset(
    [
        "og",
        "i",
        "at",
        "af",
        "til",
        "for",
        "med",
        "paa",
        "en",
        "et",
        "den",
        "det",
        "de",
        "der",
        "som",
        "om",
        "fra",
        "er",
        "har",
        "vil",
        "skal",
        "kan",
        "bl",
        "a",
        "fx",
        "samt",
        "mv",
        "eller",
        "ved",
        "under",
        "mellem",
        "hvor",
        "sig",
        "saa",
        "deres",
        "vaere",
        "blive",
        "bliver",
        "blevet",
        "dette",
        "disse",
        "hos",
        "ift",
        "ifm",
        "jf",
        "mhp",
        "evt",
        "herunder",
        "saavel",
        "ogsaa",
        "nu",
        "alle",
        "andre",
        "anden",
        "ikke",
        "kun",
        "men",
        "efter",
        "inden",
        "over",
        "ud",
        "op",
        "to",
        "tre",
        "sin",
        "sit",
        "sine",
        "man",
        "vi",
        "os",
        "vores",
        "hvis",
        "hvad",
        "hvilke",
        "hvordan",
        "kr",
        "mio",
        "pct",
        "eks",
    ]
)


def fold(text: str) -> str:
    """Lower case, æ→ae, ø→oe, å→aa, other accents dropped."""
    # Lower case first, so three plain replacements cover both cases (str.translate
    # to two letters takes its slow path on every character).
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    if text.isascii():  # most Danish text, once æ, ø and å are folded: nothing to drop
        return text
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


@functools.lru_cache(maxsize=1 << 18)
def stem(word: str) -> str:
    """Cut the longest inflection ending that leaves a stem of at least four letters.

    Cached: an archive repeats a few tens of thousands of words millions of times.
    """
    for ending in _ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= _MIN_STEM:
            return word[: -len(ending)]
    return word


def tokens(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order (hyphens and slashes split words)."""
    return list(_tokens(text))


@functools.lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> tuple[str, ...]:
    """Remembered: labels recur from plan to plan, names from text to text.

    Each word's stem ("" for no content word) is looked up in a plain dict:
    an archive's texts hold millions of words but some tens of thousands of
    distinct ones, and the lookup is most of the work.
    """
    if len(_STEMS) > _MAX_WORDS:  # a long-running server never holds more
        _STEMS.clear()
    known = _STEMS.get
    found = []
    for word in _WORD.findall(fold(text)):
        stemmed = known(word)
        if stemmed is None:
            stemmed = _STEMS[word] = _content_stem(word)
        if stemmed:
            found.append(stemmed)
    return tuple(found)


_STEMS: dict[str, str] = {}
_MAX_WORDS = 1 << 18


def _content_stem(word: str) -> str:
    """The stem of a content word; "" for a stop word, a number or a single letter."""
    if len(word) > 1 and word not in STOPWORDS and not word.isdigit():
        return stem(word)
    return ""


@functools.lru_cache(maxsize=1 << 16)
def token_similarity(a: str, b: str) -> float:
    """1 for the same stem; less for an inflected or compound form of the same word.

    A Danish compound's head is its last part, so a shared tail
    ("teknologi"/"velfaerdsteknologi") counts more than a shared modifier
    ("famili"/"familiehus"); a short leftover ("taet"/"taetter") is
    inflection; a long shared prefix
    ("brugertilfredshedsundersoegelse"/"brugertilfredshedsinitiativ") counts partly.
    """
    if a == b:
        return 1.0
    short, long_ = sorted((a, b), key=len)
    if len(short) >= 4 and long_.startswith(short):
        return 0.9 if len(long_) - len(short) <= 3 else 0.5
    if len(short) >= 5 and long_.endswith(short):
        return 0.8
    common = len(os.path.commonprefix((a, b)))
    return 0.8 if common >= 12 else 0.6 if common >= 8 else 0.0


def inflected(word: str, stem_: str) -> bool:
    """Whether ``word`` is ``stem_`` or ``stem_`` with a short ending ("taetter" of "taet")."""
    return word.startswith(stem_) and len(word) - len(stem_) <= 3


class Weights:
    """Inverse document frequency of stems over a corpus of texts."""

    def __init__(self, corpus: Iterable[Iterable[str]]) -> None:
        self.frequency: Counter[str] = Counter()
        self._cache: dict[str, float] = {}
        self.size = 0
        for text_tokens in corpus:
            self.size += 1
            self.frequency.update(set(text_tokens))

    def __call__(self, token: str) -> float:
        if token not in self._cache:
            self._cache[token] = math.log((self.size + 1) / (self.frequency.get(token, 0) + 0.5))
        return self._cache[token]

    def count(self, token: str) -> int:
        return self.frequency.get(token, 0)


def _best_match(token: str, others: Sequence[str]) -> tuple[float, str]:
    """The most similar of ``others`` and its similarity (ties: the last in sort order).

    Only words sharing the first four letters or the last five can score above
    zero (see token_similarity), so the others are not all compared; with no
    match at all the partner is "" (it then counts for nothing).
    """
    best = (0.0, "")
    head, tail = token[:4], token[-5:]
    for other in others:
        if other[:4] == head or other[-5:] == tail:
            best = max(best, (token_similarity(token, other), other))
    return best


@dataclass(frozen=True)
class LabelMatch:
    """How two token lists match: one pass over their words gives all of it."""

    score: float  # weighted overlap, 0..1, near-equal stems counting partly
    matched: list[str]  # words of the first with a match ("famili~familiehus")
    lacking: tuple[list[str], list[str]]  # each side's words with no near match (see unmatched)


def label_match(a: Sequence[str], b: Sequence[str], weight: Weights) -> LabelMatch:
    """Weighted overlap of two token lists where near-equal stems count partly, the matched
    words as evidence ("famili~familiehus") and each side's unmatched words, all from one
    pass: they rest on the same best match of every word."""
    if not a or not b:
        return LabelMatch(0.0, [], (unmatched(a, b), unmatched(b, a)))
    matched: list[str] = []
    lacking: tuple[list[str], list[str]] = ([], [])
    total = achieved = 0.0
    for side, (mine, theirs) in enumerate(((a, b), (b, a))):
        equal = set(theirs)
        for token in dict.fromkeys(mine):
            # Only the same stem scores 1, so a shared stem is its own best match.
            best, partner = (1.0, token) if token in equal else _best_match(token, theirs)
            w = weight(token)
            total += w
            # A partial match is only as telling as the commoner of the two words.
            achieved += best * (w if partner == token else min(w, weight(partner)))
            if best and mine is a:
                matched.append(token if partner == token else f"{token}~{partner}")
            if best < UNMATCHED:
                lacking[side].append(token)
    return LabelMatch(achieved / total if total else 0.0, matched, lacking)


UNMATCHED = 0.5  # a word whose best match scores less has no near match


def unmatched(mine: Sequence[str], theirs: Sequence[str]) -> list[str]:
    """Words of ``mine`` with no near match in ``theirs`` ("fritidstilbud" in "Flere
    fritidstilbud for unge med angst i Sundby" against "Flere kontaktpersonordninger …")."""
    return [token for token in dict.fromkeys(mine) if _best_match(token, theirs)[0] < UNMATCHED]


_LINKING = "se"  # letters that may join the parts of a Danish compound ("hjerneskade-s-samråd")
_PART = 5  # letters each part of a compound keeps at least


def compound_split(word: str, text: Iterable[str]) -> tuple[str, str] | None:
    """The two parts of compound ``word`` that both occur (inflected) in ``text``, if any.

    A plan may name in one word what another plan writes out: the 2019
    "Hjerneskadekoordinationen" is the 2015 plan's "koordination" for
    "erhvervet hjerneskade". Parts keep five letters or more, so a split never
    rests on a syllable.
    """
    words = set(text)
    for head, tail in splits(word):
        if all(any(inflected(w, part) for w in words) for part in (head, tail)):
            return head, tail
    return None


def splits(word: str) -> list[tuple[str, str]]:
    """Every way to cut ``word`` into two parts of five letters or more, with or without a
    linking letter between them."""
    found = []
    for i in range(_PART, len(word) - _PART + 1):
        found.append((word[:i], word[i:]))
        if word[i] in _LINKING and len(word) - i - 1 >= _PART:
            found.append((word[:i], word[i + 1 :]))
    return found


def shared_phrase(needle: Sequence[str], haystack: Sequence[str]) -> list[str]:
    """The longest run (two words or more) of ``needle`` that occurs in ``haystack``.

    Dynamic programming over both sequences, so it costs one pass per word pair.
    """
    best_end = best_size = 0
    previous = [0] * (len(haystack) + 1)
    for i, word in enumerate(needle, 1):
        current = [0] * (len(haystack) + 1)
        for j, other in enumerate(haystack, 1):
            if inflected(other, word):
                current[j] = previous[j - 1] + 1
                if current[j] > best_size:
                    best_size, best_end = current[j], i
        previous = current
    return list(needle[best_end - best_size : best_end]) if best_size >= 2 else []


def label_ratio(a: str, b: str, floor: float = 0.0) -> float:
    """Character similarity of two labels, for long labels that differ in a word or two.

    Returns at least ``floor`` (the similarity known already). Equal labels (a
    policy's goals, copied from plan to plan) skip the character matching.
    """
    a, b = fold(a), fold(b)
    return 1.0 if a == b else max(floor, _ratio(a, b))


@functools.lru_cache(maxsize=1 << 16)
def _ratio(a: str, b: str) -> float:
    """Indel similarity (2 × common characters / all), remembered: goals recur in many plans.

    rapidfuzz computes it in C, some 50 times faster than difflib's
    SequenceMatcher on long goal labels (benchmarks/linking.py).
    """
    from rapidfuzz.fuzz import ratio

    return ratio(a, b) / 100


def contains(haystack: Sequence[str], needle: Sequence[str]) -> bool:
    """Whether ``needle`` occurs as a run of (near-)equal stems inside ``haystack``."""
    n = len(needle)
    if not n:
        return False
    for start in range(len(haystack) - n + 1):
        if haystack[start].startswith(needle[0]) and all(
            inflected(haystack[start + i], needle[i]) for i in range(n)
        ):
            return True
    return False


_CAPITALISED = re.compile(r"[A-ZÆØÅ][a-zæøåA-ZÆØÅ-]{4,}")


def name_stems(text: str) -> tuple[list[str], list[str]]:
    """Stems of capitalised words (names such as Søflygade or Sølund): those inside a
    sentence, and all of them.

    A capital after a full stop, colon, bullet or line start may only open a
    sentence ("Hertil …"), so only the words inside a sentence are names for sure.
    """
    within: list[str] = []
    anywhere: list[str] = []
    for match in _CAPITALISED.finditer(text):
        stems = tokens(match.group(0))
        anywhere.extend(stems)
        if _inside_sentence(text, match.start()):
            within.extend(stems)
    return within, anywhere


_OPENING = " \t\"'’”“("  # may stand between a sentence's end and its first word
_SENTENCE_END = ".!?:•\n-–|"


def _inside_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` follows a word inside its sentence.

    Looks back from ``start`` only, not at a copy of all text before it: a long
    status text holds hundreds of capitalised words.
    """
    i = start - 1
    while i >= 0 and text[i] in _OPENING:
        i -= 1
    return i >= 0 and text[i] not in _SENTENCE_END
