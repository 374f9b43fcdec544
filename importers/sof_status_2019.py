"""Importer for SOF's status 2019 of its action plan under the Handicappolitik 2018-2022.

The document ("Bilag 1: Status og oversigt over samtlige indsatser i
Indsatsplanen") has four themes ("Tema: Det gode liv" …), each with an intro,
a list of målsætninger (bullets) and a three-column table Indsatser / Formål og
virkning / Status 2019 with one row per initiative.

The PDF extraction prints the table cell by cell: for every row the first
column's text, then the second's, then the third's, paragraphs separated by
blank lines. The columns interleave only where a row crosses a page: the part
on the next page starts again with column 1 (often on a line with one leading
blank), so a row reads ``c1 c2 c3 | c1 c2 c3``, and a theme heading or a
"Side N af 22" footer may sit in between. No x-offsets survive, so the columns
are told apart by three cues, checked by reading every row:

* width: columns 1 and 2 wrap at about 50 characters, column 3 at about 85,
  so a paragraph with a line longer than ``WIDE`` is status text;
* order: within a page a row's paragraphs run column 1, 2, 3, so a narrow
  paragraph opening a new sentence belongs to the column after the last one;
* sentence flow: a paragraph starting in lower case continues an unfinished
  sentence; it belongs to the first column (1, 2, 3) whose text is still open.

Some rows are printed double spaced (a blank line after every line); such
fragments are first joined back into their paragraph by the same flow rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from . import danish
from .base import LayoutImporter, Signal
from .records import (
    Amount,
    CrossReference,
    Document,
    Goal,
    ImportResult,
    Indicator,
    Initiative,
    Measurement,
    StatusUpdate,
)
from .text import SourceText
from .textutil import collapse, dedupe, slug, unique

NAME = "sof-status-2019"
TITLE = "Bilag 1: Status og oversigt over samtlige indsatser i Indsatsplanen"
POLICY = "Handicappolitik 2018-2022"
PUBLISHER = "Socialforvaltningen"
YEAR = 2019
DEPARTMENT = "SOF"

WIDE = 56  # columns 1 and 2 never exceed this many characters; column 3 usually does
NAME_WORDS = 16  # a name before a colon is a short phrase, not a sentence

THEME_RE = re.compile(r"^\s*Tema:\s*(?P<name>\S.*?)\s*$")
GOALS_HEADER_RE = re.compile(r"^\s*Målsætninger:?\s+STATUS\s+2019\s*$", re.IGNORECASE)
TABLE_HEADER_RE = re.compile(r"^\s*Indsatser\s+Formål og virkning\s*$")
FOOTER_RE = re.compile(r"^\s*Side\s+\d+\s+af\s+\d+\s*$")
INTRO_THEME_RE = re.compile(r"^\s*(?P<number>\d)\.\s+(?P<name>[A-ZÆØÅ].*?)\s*$")
# The goals' bullet is Wingdings "v" (U+F076 in the text layer). Depending on the tool and
# font it reaches a PDF's text as U+F076, as the plain letter "v", as its Unicode look-alike
# ❖ or a symbol bullet, or not at all; the goal list is read in each case.
BULLETS = "\uf076\uf0b7\uf0a7\uf0d8•▪●◦■❖➢"
BULLET_RE = re.compile(rf"^\s*(?:[{BULLETS}]|v(?=\s+[A-ZÆØÅ]))\s*")
GOAL_SEARCH_LINES = 12  # the målsætninger header follows the theme intro closely

OPENS_ROW_RE = re.compile(r"^[’'\"”]?[A-ZÆØÅ]")
CONTINUES_RE = re.compile(r"^[a-zæøå0-9(]")
LOWER_START_RE = re.compile(r"^[a-zæøå]")
LIST_ITEM_RE = re.compile(r"^(?:[-–]\s|\d+\.\s)")
SEE_STATUS_RE = re.compile(r"^Se status under\b", re.IGNORECASE)
ALSO_UNDER_START_RE = re.compile(r"^Fremgår også under\b")
NOT_PRIORITISED_START_RE = re.compile(r"^Denne indsats blev ikke prioriteret\b")
ALSO_UNDER_RE = re.compile(r"Fremgår også under\s+(?P<target>[^.]+?)\s*(?:\.|$)")
NOT_PRIORITISED_RE = re.compile(
    r"Denne indsats blev ikke prioriteret.*?(?:\.|(?=\s*Fremgår også under)|$)"
)
# A sentence ends before a capital letter, so "evt. via" and "bl.a. med" do not end one.
SENTENCE_END_RE = re.compile(r"[.!?](?=\s+[’'\"”]?[A-ZÆØÅ]|\s*$)")
SENTENCE_SPLIT_RE = re.compile(r"(?<=[.!?:])\s+(?=[-–]?\s*[A-ZÆØÅ])")

# SOF units: centre abbreviations and the few units the document names in full.
UNITS_RE = re.compile(
    r"\b(?P<unit>CBH|COS|CEH|CAS|CSBB|IBOS|BCV|BCH|CAMPO"
    r"|Borgercenter (?:Handicap|Voksne)|Center Campo|Center for erhvervet hjerneskade)"
    r"(?:s|’s|'s)?\b"
)
CENTRE_SUFFIX_RE = re.compile(r"\s*\((?:CBH|COS|CEH|CAS|CSBB|IBOS|BCV|BCH)\)")
DEPARTMENT_RE = re.compile(
    r"\b[A-ZÆØÅ][a-zæøå]+-\s+(?:og\s+)?[A-ZÆØÅ][a-zæøå]*forvaltning(?:en)?\b"
    r"|\b(?:BUF|BIF|SUF|TMF|ØKF|KFF)\b"
)

AMOUNT_RE = re.compile(
    r"(?<![\d.,])(?P<number>\d+(?:[.,]\d+)*)\s*"
    r"(?:(?P<scale>mio\.|mia\.|millioner|milliarder)(?:\s*kr\.)?|kr\.)"
)
AMOUNT_YEAR_RE = re.compile(rf"^[^.]*?\b(?:budget|i)\s+({danish.YEAR})\b", re.IGNORECASE)

NUMBER = r"\d+(?:,\d+)?"
# "Mål om bedre borgerdialog (80 %) er nået pr. 1.6.19: 87,7 % af …"
GOAL_REACHED_RE = re.compile(
    r"Mål(?:et)? om (?P<goal>[^.:]*?) er (?:nået|ikke nået) pr\. "
    rf"(?P<date>[\d.]+?\d):\s*(?P<actual_text>(?P<actual>{NUMBER})\s*%)"
)
PERCENT_RE = re.compile(rf"\(?(?P<value>{NUMBER})\s*%\)?")
# "… (>80 pct.) … Sagsfristoverholdelsen for … er for oktober 2019 på 79,5 pct. mod 62 pct.
# ved sidste status i juni 2019."
TARGET_PCT_RE = re.compile(rf"målopfyldelse[^()]*\((?P<cmp>[<>]=?)?\s*(?P<value>{NUMBER}) pct\.\)")
RESULT_AGAINST_RE = re.compile(
    r"(?P<label>[A-ZÆØÅ][a-zæøå]+(?: [a-zæøå]+){0,6})(?: \([^)]*\))?(?:[^.]|pct\.)*? er for "
    rf"(?P<actual_text>[a-zæøå]+ (?P<year>(?:19|20)\d\d) på (?P<actual>{NUMBER}) pct\.) mod "
    rf"(?P<earlier_text>(?P<earlier>{NUMBER}) pct\. ved sidste status i [a-zæøå]+ "
    r"(?P<earlier_year>(?:19|20)\d\d))"
)
RESULT_AGAINST_CUE = " pct. ved sidste status i "  # every match of the pattern holds it

# Status classes whose cue anywhere in a status decides it, most decisive first.
SEVERE_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("see-other-theme", re.compile(r"^Se status under\b", re.IGNORECASE)),
    ("not-prioritised", re.compile(r"\bikke (?:blevet )?prioriteret\b")),
    (
        "discontinued",
        re.compile(
            r"\bkommer ikke til at arbejde videre\b|\barbejder ikke videre\b"
            r"|\ber (?:blevet )?(?:stoppet|opgivet|droppet|indstillet)\b"
        ),
    ),
    ("delayed", re.compile(r"\bforsinke[dt]\b|\budskudt\b|\bbagud\b|\boverskredet\b")),
)
# Outside organisations: a foundation, an association named in quotes, a partnership's party.
PARTNER_RES = (
    re.compile(r"\b(?P<name>(?:[A-ZÆØÅ][\w.]*\s+)+Fonden)s?\b"),
    re.compile(r"\b[a-zæøå]*foreningen\s+[’'‘](?P<name>[^’'‘]+)[’']"),
    re.compile(r"\bpartnerskab med\s+(?P<name>[A-ZÆØÅ][\w-]*(?:\s+[A-ZÆØÅ][\w-]*)*)"),
)
# The whole initiative runs to plan, whatever one of its parts does.
ON_PLAN_RE = re.compile(
    r"\bplanmæssigt\b|\b(?:forløber|går|kører) (?:efter|som) plan(?:en|lagt)?\b",
    re.IGNORECASE,
)
# A sentence about the initiative itself rather than one of its parts.
WHOLE_RE = re.compile(
    r"^(?:[-–]\s*)?(?:Indsatsen|Indsatsens|Denne indsats|Projektet|Projektets)\b|\bdermed afsluttet\b"
)
# Otherwise the last sentence with one of these cues decides; within it the first class wins.
PROGRESS_CUES: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "completed",
        re.compile(r"\bafsluttet\b|\bovergår til (?:almindelig )?drift\b", re.IGNORECASE),
    ),
    (
        "ongoing",
        re.compile(
            r"\bi gang\b|\bforløber\b|\bfortsat\b|\barbejde[rs]?\b|\bigangsat\b|\bpågår\b"
            r"|\bi (?:fuld )?drift\b|\bimplementere[ts]?\b|\betableret\b|\bplanlagt\b"
            r"|\bløbende\b|\bafprøve[ts]?\b|\budvikling\b|\bgennemført\b|\bgennemføres\b"
            r"|\bunder (?:revidering|afvikling|afprøvning)\b|\bopstartet\b|\bigangværende\b",
            re.IGNORECASE,
        ),
    ),
)
UNKNOWN = "unknown"


@dataclass
class _Piece:
    """A paragraph fragment: consecutive text lines of one column."""

    numbers: list[int]
    texts: list[str]
    page_start: bool = False  # first fragment after a page break

    @property
    def first(self) -> str:
        return self.texts[0]

    @property
    def wide(self) -> bool:
        return any(len(text) > WIDE for text in self.texts)

    @property
    def open(self) -> bool:
        return _open(self.texts[-1])


@dataclass
class _Table:
    """Marks a table header: the rows after it belong to ``theme``."""

    theme: str | None


@dataclass
class _Row:
    """One table row: the line numbers of each of its three columns."""

    theme: str | None
    columns: dict[int, list[int]] = field(default_factory=lambda: {1: [], 2: [], 3: []})
    last_text: dict[int, str] = field(default_factory=dict)

    def add(self, column: int, piece: _Piece) -> None:
        self.columns[column].extend(piece.numbers)
        self.last_text[column] = piece.texts[-1]

    def open_column(self) -> int | None:
        """The first column whose text stops mid-sentence."""
        for column in (1, 2, 3):
            if column in self.last_text and _open(self.last_text[column]):
                return column
        return None


@dataclass
class _Flow:
    """Text of some lines joined into one string, remembering each character's line."""

    text: str
    owners: list[int]

    @classmethod
    def of(cls, source: SourceText, numbers: list[int]) -> _Flow:
        text, owners = "", []
        for number in numbers:
            words = collapse(source.lines[number - 1])
            if not words:
                continue
            if text and not _joins_without_space(text, words):
                text += " "
                owners.append(number)
            text += words
            owners.extend([number] * len(words))
        return cls(text, owners)

    def lines(self, start: int, end: int) -> tuple[int, int]:
        """First and last line of the characters ``start``..``end`` (exclusive)."""
        end = max(start + 1, end)
        return self.owners[start], self.owners[min(end, len(self.owners)) - 1]


def _open(text: str) -> bool:
    """A line that stops mid-sentence (no full stop, question mark or colon)."""
    return not text.rstrip().endswith((".", "!", "?", ":"))


def _joins_without_space(text: str, following: str) -> bool:
    """A word broken at a line-end hyphen ("Pre-" "employment", "2019-" "2022")."""
    return (
        bool(re.search(r"[\wæøå]-$", text))
        and bool(CONTINUES_RE.match(following))
        and not re.match(r"(?:og|eller)\b", following)
    )


def _key(text: str, limit: int = 60) -> str:
    """A record key from a label; cut as the keys of graphs built before were."""
    return slug(text, limit, cut="hyphen")


def _theme_name_key(name: str) -> str:
    """How a theme is matched when named elsewhere ("’Det Gode Liv’", "Netværk.")."""
    return _key(name.strip(" .’'\"”"))


# --- themes and målsætninger -------------------------------------------------------------


def _intro_numbers(lines: tuple[str, ...]) -> dict[str, str]:
    """Theme numbers from the opening list "1. Det gode liv" … (before the first theme)."""
    numbers: dict[str, str] = {}
    for line in lines:
        if THEME_RE.match(line):
            break
        match = INTRO_THEME_RE.match(line)
        if match:
            numbers[_theme_name_key(match.group("name"))] = match.group("number")
    return numbers


def _is_bullet(line: str) -> bool:
    return bool(BULLET_RE.match(line)) and bool(line.strip())


def _bullet_text(line: str) -> str:
    return BULLET_RE.sub("", line, count=1).strip()


def _ends_goal_list(line: str) -> bool:
    """The table header, the next theme or a page footer: no goal is read past these."""
    return bool(TABLE_HEADER_RE.match(line) or THEME_RE.match(line) or FOOTER_RE.match(line))


def _goal_items(lines: tuple[str, ...], start: int) -> tuple[list[list[int]], int]:
    """The målsætninger after the header at index ``start - 1``: line-number lists, last line.

    A bullet opens an item; the lines after it, or after blank lines when the
    item stops mid-sentence and the next line continues in lower case, extend it.
    When the list's first item has no bullet (a PDF whose bullet font has no
    Unicode mapping), a line opening a sentence after a finished one opens the
    next item instead, as every goal is one or two finished sentences.
    """
    first = next((line for line in lines[start:] if line.strip()), "")
    bulleted = _is_bullet(first)
    items: list[list[int]] = []
    last = start
    index = start
    while index < len(lines):
        line = lines[index]
        number = index + 1
        if not line.strip():
            index += 1
            continue
        if _ends_goal_list(line):
            break
        previous = lines[items[-1][-1] - 1] if items else ""
        text = line.strip()
        if _is_bullet(line) or (
            not bulleted and OPENS_ROW_RE.match(text) and not (items and _open(previous))
        ):
            items.append([number])
        elif items and (
            (number == items[-1][-1] + 1 and (bulleted or _open(previous)))
            or (_open(previous) and CONTINUES_RE.match(text))
        ):
            items[-1].append(number)
        else:
            break
        last = number
        index += 1
    return items, last


@dataclass
class _ThemeBlock:
    """A theme heading with its intro and målsætninger: lines the table does not own."""

    goals: list[Goal]
    last: int


def _theme_block(
    source: SourceText, index: int, numbers: dict[str, str], taken: set[str]
) -> _ThemeBlock:
    """Read the theme whose heading is at ``index`` (0-based)."""
    lines = source.lines
    name = THEME_RE.match(lines[index]).group("name")  # type: ignore[union-attr]
    notation = numbers.get(_theme_name_key(name))
    key = unique(notation or _key(name), taken)
    intro: list[int] = []
    header = None
    for offset in range(1, GOAL_SEARCH_LINES + 1):
        position = index + offset
        if position >= len(lines) or THEME_RE.match(lines[position]):
            break
        if GOALS_HEADER_RE.match(lines[position]):
            header = position
            break
        if lines[position].strip() and not TABLE_HEADER_RE.match(lines[position]):
            intro.append(position + 1)
    last_intro = intro[-1] if intro else index + 1
    theme = Goal(
        key=key,
        label=name,
        span=source.span(index + 1, last_intro),
        kind="theme",
        notation=notation,
        description=collapse(" ".join(lines[n - 1] for n in intro)) or None,
    )
    goals = [theme]
    if header is None:
        return _ThemeBlock(goals, last_intro)
    items, last = _goal_items(lines, header + 1)
    for item in items:
        label = collapse(
            " ".join([_bullet_text(lines[item[0] - 1])] + [lines[n - 1] for n in item[1:]])
        )
        goals.append(
            Goal(
                key=unique(_key(label), taken),
                label=label,
                span=source.span(item[0], item[-1]),
                kind="goal",
                parent=key,
            )
        )
    return _ThemeBlock(goals, max(last, header + 1))


# --- separating the table columns -------------------------------------------------------


def _is_keyword(text: str) -> bool:
    """Column-1 notes that may stand on their own after the description."""
    return bool(ALSO_UNDER_START_RE.match(text) or NOT_PRIORITISED_START_RE.match(text))


def _page_break_before(line: str, previous: str) -> bool:
    """A line with one leading blank inside a paragraph often opens a new page.

    It starts a new fragment when it continues in lower case after an
    unfinished sentence (another column's text goes on), brings a "Fremgår også
    under" note, or opens a new row right after a finished sentence. A line
    starting with a digit ("2020. Pladserne …") continues its own paragraph.
    """
    if not line.startswith(" ") or line.startswith("  "):
        return False
    text = line.strip()
    if ALSO_UNDER_START_RE.match(text):
        return True
    if LOWER_START_RE.match(text):
        return not previous.endswith((".", "!", "?"))
    return (
        previous.endswith((".", "!", "?")) and len(text) <= WIDE and bool(OPENS_ROW_RE.match(text))
    )


def _cell_ends_after(previous: str) -> bool:
    """A finished "Fremgår også under …." note is the last line of its column-1 cell."""
    return bool(ALSO_UNDER_START_RE.match(previous)) and previous.endswith(".")


class _Stream:
    """Cuts the document into table fragments, theme blocks and table headers.

    Blank lines end a fragment; footers and theme blocks also end the page, so
    the next fragment is marked as a page start. Nothing before the first table
    header belongs to a row.
    """

    def __init__(self, source: SourceText) -> None:
        self.source = source
        self.numbers = _intro_numbers(source.lines)
        self.taken: set[str] = set()
        self.goals: list[Goal] = []
        self.tokens: list[_Piece | _Table] = []
        self._current: _Piece | None = None
        self._page_start = False
        self._theme: str | None = None
        self._in_table = False

    def read(self) -> _Stream:
        lines = self.source.lines
        index = 0
        while index < len(lines):
            index = self._step(index, lines[index])
        self._close()
        return self

    def _step(self, index: int, line: str) -> int:
        """Consume the line at ``index``; return the index of the next unread line."""
        if THEME_RE.match(line):
            self._close()
            block = _theme_block(self.source, index, self.numbers, self.taken)
            self.goals.extend(block.goals)
            self._theme = block.goals[0].key
            self._page_start = True
            return block.last
        if TABLE_HEADER_RE.match(line):
            self._close()
            self.tokens.append(_Table(self._theme))
            self._in_table, self._page_start = True, False
        elif FOOTER_RE.match(line):
            self._close()
            self._page_start = True
        elif not line.strip():
            self._close()
        elif self._in_table:
            self._add(index + 1, line)
        return index + 1

    def _add(self, number: int, line: str) -> None:
        text = line.strip()
        if self._current and _page_break_before(line, self._current.texts[-1]):
            self._close()
            self._page_start = True
        elif self._current and self._ends_before(self._current, number, text):
            self._close()
        if self._current is None:
            self._current = _Piece([number], [text], self._page_start)
            self._page_start = False
        else:
            self._current.numbers.append(number)
            self._current.texts.append(text)

    def _ends_before(self, piece: _Piece, number: int, text: str) -> bool:
        """Whether ``piece`` ends before line ``number`` although no blank line separates them.

        A finished "Fremgår også under" note ends its cell. And a PDF page's
        last blank line does not survive its text layer, so across a page
        break a finished sentence followed by a new one is two paragraphs.
        """
        if _cell_ends_after(piece.texts[-1]):
            return True
        pages = self.source.pages
        return (
            bool(pages)
            and pages[number - 1] != pages[piece.numbers[-1] - 1]  # type: ignore[index]
            and not _open(piece.texts[-1])
            and bool(OPENS_ROW_RE.match(text))
        )

    def _close(self) -> None:
        if self._current is not None:
            self.tokens.append(self._current)
            self._current = None


def _continues(previous: _Piece, piece: _Piece) -> bool:
    """A double-spaced line: it finishes the previous fragment's open sentence."""
    return (
        not piece.page_start
        and previous.open
        and bool(CONTINUES_RE.match(piece.first))
        and (previous.wide == piece.wide or len(piece.texts) == 1)
    )


def _join_double_spaced(tokens: list[_Piece | _Table]) -> list[_Piece | _Table]:
    joined: list[_Piece | _Table] = []
    for token in tokens:
        previous = joined[-1] if joined else None
        if (
            isinstance(token, _Piece)
            and isinstance(previous, _Piece)
            and _continues(previous, token)
        ):
            previous.numbers.extend(token.numbers)
            previous.texts.extend(token.texts)
        else:
            joined.append(token)
    return joined


def _opens_paragraph(piece: _Piece) -> bool:
    """A narrow paragraph of two or more lines starting a sentence (not a list, not a note)."""
    return (
        not piece.wide
        and len(piece.texts) >= 2
        and bool(OPENS_ROW_RE.match(piece.first))
        and not LIST_ITEM_RE.match(piece.first)
        and not _is_keyword(piece.first)
        and not SEE_STATUS_RE.match(piece.first)
    )


def _starts_row(piece: _Piece, rest: list[_Piece | _Table]) -> bool:
    """Column 1 of a new row: a narrow paragraph followed by another (column 2).

    Status paragraphs are wide or stand alone, so two narrow paragraphs in a
    row (ignoring continuations and column-1 notes) can only be columns 1 and 2.
    """
    if not _opens_paragraph(piece):
        return False
    for following in rest:
        if isinstance(following, _Table):
            return False
        if CONTINUES_RE.match(following.first) or _is_keyword(following.first):
            continue
        return _opens_paragraph(following)
    return False


def _place(row: _Row, piece: _Piece, state: int) -> tuple[int, int]:
    """The column of ``piece`` and the column the row is in afterwards."""
    if _is_keyword(piece.first):
        return 1, max(state, 1)
    if piece.wide or SEE_STATUS_RE.match(piece.first):
        return 3, 3
    if CONTINUES_RE.match(piece.first):
        column = row.open_column() or state
        return column, column
    column = min(state + 1, 3)
    return column, column


def _rows(tokens: list[_Piece | _Table]) -> list[_Row]:
    rows: list[_Row] = []
    row: _Row | None = None
    state = 0
    theme: str | None = None
    for index, token in enumerate(tokens):
        if isinstance(token, _Table):
            theme, row = token.theme, None
            continue
        if row is None or (state >= 2 and _starts_row(token, tokens[index + 1 :])):
            row = _Row(theme)
            rows.append(row)
            row.add(1, token)
            state = 1
            continue
        column, state = _place(row, token, state)
        row.add(column, token)
    return rows


# --- records ----------------------------------------------------------------------------


ONGOING_RE = PROGRESS_CUES[1][1]


def status_class(text: str) -> str:
    """Classify a status text by Danish cue words, most decisive class first.

    * "see-other-theme": starts "Se status under …" (the status is told under another theme);
    * "not-prioritised": "ikke prioriteret" ("Denne indsats blev ikke prioriteret til
      budgetforliget 2019");
    * "discontinued": "kommer ikke til at arbejde videre", "arbejder ikke videre",
      "er stoppet / opgivet / droppet / indstillet";
    * "delayed": "forsinket/forsinkede", "udskudt", "bagud", "overskredet";
    * "completed": "afsluttet", "overgår til (almindelig) drift";
    * "ongoing": "i gang", "forløber", "fortsat", "arbejde(r/s)", "igangsat", "pågår",
      "i (fuld) drift", "implementeret", "etableret", "planlagt", "løbende", "afprøves",
      "udvikling", "gennemført", "under revidering/afvikling/afprøvning", "opstartet",
      "igangværende";
    * otherwise "unknown" (e.g. "Indsatsen er indmeldt af BCV").

    A status often reports several centres, some finished, some going on, and
    ends with the overall verdict ("Projektet er dermed afsluttet.", "CSBB’s
    indsats … forløber efter planen."), so between "completed" and "ongoing"
    the last sentence with such a cue decides. One sub-item does not decide the
    whole, though:

    * A delay is decisive unless the text says the initiative as a whole runs to
      plan ("Indsatsen forløber planmæssigt", "forløber efter planen"): a postponed bike
      ride does not delay a project whose main activities go on as planned.
    * a "completed" sentence counts only when it is about the initiative itself
      ("Indsatsen …", "Projektet er dermed afsluttet") or nothing is still going
      on: "Afsluttet: Survey …" beside "Hold 3 … er opstartet" and a planned
      workshop is a finished part of an ongoing initiative.
    """
    for status, cue in SEVERE_CUES:
        if cue.search(text) and not (status == "delayed" and ON_PLAN_RE.search(text)):
            return status
    sentences = SENTENCE_SPLIT_RE.split(text)
    going_on = any(ONGOING_RE.search(sentence) for sentence in sentences)
    for sentence in reversed(sentences):
        for status, cue in PROGRESS_CUES:
            if not cue.search(sentence):
                continue
            if status == "completed" and going_on and not WHOLE_RE.search(sentence):
                continue  # a finished part of something still going on
            return status
    return UNKNOWN


def _name_and_description(text: str) -> tuple[str, str | None]:
    """The name is the text before the first colon, or the first sentence when none."""
    colon = text.find(":")
    sentence = SENTENCE_END_RE.search(text)
    if (
        colon > 0
        and (sentence is None or colon < sentence.start())
        and len(text[:colon].split()) <= NAME_WORDS
    ):
        return text[:colon].strip(), text[colon + 1 :].strip() or None
    if sentence:
        return text[: sentence.start()].strip(), text[sentence.end() :].strip() or None
    return text.strip(), None


def _units(*texts: str) -> list[str]:
    """SOF units named ("CBH", "CSBB’s" → "CSBB", "Borgercenter Handicaps") in order."""
    return dedupe(m.group("unit") for t in texts for m in UNITS_RE.finditer(t))


def _departments(*texts: str) -> list[str]:
    """Other administrations named ("Børne- og Ungdomsforvaltningen", "TMF")."""
    return dedupe(m.group(0) for t in texts for m in DEPARTMENT_RE.finditer(t))


def _partners(*texts: str) -> list[str]:
    """Outside organisations named as partners or funders, in order of mention.

    "… et partnerskab imellem venskabsforeningen ’Venner af Captum’ og …, har
    indgået et partnerskab med Frivilligcenter Vesterbro, og har modtaget …
    fondsstøtte af VELUX Fonden."
    """
    found = sorted(
        (match.start(), collapse(match.group("name")))
        for text in texts
        for pattern in PARTNER_RES
        for match in pattern.finditer(text)
    )
    return dedupe(name for _, name in found)


def _amounts(*texts: str) -> list[Amount]:
    """Kroner amounts ("15 mio.", "40.000 kr.", "3.5 millioner"), with a year in the sentence."""
    amounts = []
    for text in texts:
        for match in AMOUNT_RE.finditer(text):
            value = danish.signed_kroner(text, match)
            if value is None:
                continue
            year = AMOUNT_YEAR_RE.match(text[match.end() :])
            amounts.append(Amount(value, match.group(0), int(year.group(1)) if year else None))
    return danish.mark_breakdowns(amounts)


def _year_of_date(date: str) -> int | None:
    """ "1.6.19" → 2019."""
    year = date.rstrip(".").rsplit(".", 1)[-1]
    if not year.isdigit():
        return None
    return 2000 + int(year) if len(year) == 2 else int(year)


@dataclass
class _Result:
    """Measurements read from a status text, and where in that text they stand."""

    label: str
    measurements: list[Measurement]
    start: int
    end: int


def _goal_reached(text: str) -> list[_Result]:
    """ "Mål om bedre borgerdialog (80 %) er nået pr. 1.6.19: 87,7 %" → target and actual."""
    results = []
    for match in GOAL_REACHED_RE.finditer(text):
        target = PERCENT_RE.search(match.group("goal"))
        label = collapse(PERCENT_RE.sub(" ", match.group("goal")))
        actual = Measurement(
            "actual",
            danish.matched_number(match.group("actual")),
            "percent",
            match.group("actual_text"),
            year=_year_of_date(match.group("date")),
        )
        measurements = [actual]
        if target:
            value = danish.matched_number(target.group("value"))
            written = target.group(0).strip("()")
            measurements.insert(0, Measurement("target", value, "percent", written))
        results.append(
            _Result(label[:1].upper() + label[1:], measurements, match.start(), match.end())
        )
    return results


def _result_against_target(text: str) -> list[_Result]:
    """ "… er for oktober 2019 på 79,5 pct. mod 62 pct. ved sidste status i juni 2019",
    measured against "målopfyldelse … (>80 pct.)" stated in the same status."""
    results: list[_Result] = []
    if RESULT_AGAINST_CUE not in text:  # spares the slow pattern the texts without one
        return results
    for match in RESULT_AGAINST_RE.finditer(text):
        year = int(match.group("year"))
        measurements = [
            Measurement(
                "status",
                danish.matched_number(match.group("earlier")),
                "percent",
                match.group("earlier_text"),
                year=int(match.group("earlier_year")),
            ),
            Measurement(
                "actual",
                danish.matched_number(match.group("actual")),
                "percent",
                match.group("actual_text"),
                year=year,
            ),
        ]
        start = match.start()
        target = TARGET_PCT_RE.search(text)
        if target:
            target_text = target.group(0)[target.group(0).index("(") :].strip("()")
            value = danish.matched_number(target.group("value"))
            comparator = target.group("cmp")
            measurements.insert(
                0, Measurement("target", value, "percent", target_text, year, comparator)
            )
            start = min(start, target.start())
        results.append(_Result(match.group("label"), measurements, start, match.end()))
    return results


def _indicators(source: SourceText, flow: _Flow, subject: str) -> list[Indicator]:
    """Results stated against targets in a status text, each spanning its own lines."""
    indicators = []
    for result in _goal_reached(flow.text) + _result_against_target(flow.text):
        first, last = flow.lines(result.start, result.end)
        indicators.append(
            Indicator(
                key=f"{subject}-{_key(result.label, 40)}",
                label=result.label,
                span=source.span(first, last),
                subject=subject,
                measurements=result.measurements,
            )
        )
    return indicators


@dataclass
class _Occurrence:
    """What one table row says about an initiative."""

    initiative: Initiative
    indicators: list[Indicator]


def _statuses(source: SourceText, column1: _Flow, column3: _Flow) -> list[StatusUpdate]:
    """The Status 2019 cell, or the column-1 note that the initiative was not prioritised."""
    statuses = []
    note = NOT_PRIORITISED_RE.search(column1.text)
    if note:
        text = note.group(0).strip()
        first, last = column1.lines(note.start(), note.end())
        statuses.append(StatusUpdate(YEAR, text, status_class(text), source.span(first, last)))
    if column3.text:
        span = source.span(column3.owners[0], column3.owners[-1])
        statuses.append(StatusUpdate(YEAR, column3.text, status_class(column3.text), span))
    return statuses


def _occurrence(source: SourceText, row: _Row, themes: dict[str, str]) -> _Occurrence | None:
    """One row as an Initiative (goals: its theme and the themes it is also listed under)."""
    column1, column2, column3 = (_Flow.of(source, row.columns[c]) for c in (1, 2, 3))
    also = [
        CrossReference("theme", match.group("target").strip(), match.group(0).strip())
        for match in ALSO_UNDER_RE.finditer(column1.text)
    ]
    body = collapse(NOT_PRIORITISED_RE.sub(" ", ALSO_UNDER_RE.sub(" ", column1.text)))
    if not body:
        return None
    name, description = _name_and_description(body)
    name = name.rstrip(".").strip()
    key = _key(CENTRE_SUFFIX_RE.sub("", name))
    goals = [row.theme] if row.theme else []
    goals += [themes[k] for k in (_theme_name_key(x.target) for x in also) if k in themes]
    numbers = [n for c in (1, 2, 3) for n in row.columns[c]]
    indicators = _indicators(source, column3, key)
    initiative = Initiative(
        key=key,
        label=name,
        span=source.span(min(numbers), max(numbers)),
        goals=dedupe(goals),
        description=description,
        purpose=column2.text or None,
        responsible=[DEPARTMENT] + _units(column1.text, column2.text, column3.text),
        involved=_departments(column1.text, column3.text),
        partners=_partners(column1.text, column2.text, column3.text),
        amounts=_amounts(column1.text, column2.text, column3.text),
        cross_references=also,
        statuses=_statuses(source, column1, column3),
        indicators=[indicator.key for indicator in indicators],
    )
    return _Occurrence(initiative, indicators)


def _merge(first: Initiative, later: Initiative) -> None:
    """Fold a repeated listing (under another theme) into the first one."""
    first.goals = dedupe(first.goals + later.goals)
    first.responsible = dedupe(first.responsible + later.responsible)
    first.involved = dedupe(first.involved + later.involved)
    first.description = first.description or later.description
    first.purpose = first.purpose or later.purpose
    targets = {reference.target for reference in first.cross_references}
    first.cross_references += [r for r in later.cross_references if r.target not in targets]
    seen = {(status.status, status.text) for status in first.statuses}
    first.statuses += [s for s in later.statuses if (s.status, s.text) not in seen]
    known = {(amount.value, amount.year) for amount in first.amounts}
    first.amounts += [a for a in later.amounts if (a.value, a.year) not in known]
    first.indicators = dedupe(first.indicators + later.indicators)


def _initiatives(
    source: SourceText, rows: list[_Row], themes: dict[str, str]
) -> tuple[list[Initiative], list[Indicator]]:
    initiatives: dict[str, Initiative] = {}
    indicators: dict[str, Indicator] = {}
    for row in rows:
        occurrence = _occurrence(source, row, themes)
        if occurrence is None:
            continue
        initiative = occurrence.initiative
        if initiative.key in initiatives:
            _merge(initiatives[initiative.key], initiative)
        else:
            initiatives[initiative.key] = initiative
        for indicator in occurrence.indicators:
            indicators.setdefault(indicator.key, indicator)
    return list(initiatives.values()), list(indicators.values())


def _signals(source: SourceText) -> list[Signal]:
    """The "Målsætninger STATUS 2019" and table headers, themes and "Fremgår også" notes."""
    lines = source.lines
    return [
        (0.3, sum(1 for line in lines if GOALS_HEADER_RE.match(line)), 2),
        (0.3, sum(1 for line in lines if TABLE_HEADER_RE.match(line)), 2),
        (0.2, sum(1 for line in lines if THEME_RE.match(line)), 2),
        (0.2, sum(1 for line in lines if ALSO_UNDER_START_RE.match(line.strip())), 3),
    ]


def _read(source: SourceText) -> ImportResult:
    """Goals from the theme blocks, one Initiative per distinct table row name."""
    stream = _Stream(source).read()
    rows = _rows(_join_double_spaced(stream.tokens))
    themes = {_theme_name_key(g.label): g.key for g in stream.goals if g.kind == "theme"}
    initiatives, indicators = _initiatives(source, rows, themes)
    document = Document(
        title=TITLE, kind="status-report", publisher=[PUBLISHER], year=YEAR, policy=POLICY
    )
    return ImportResult(
        importer=NAME,
        document=document,
        goals=stream.goals,
        initiatives=initiatives,
        indicators=indicators,
    )


IMPORTER = LayoutImporter(
    NAME,
    "Socialforvaltningens status 2019 (Bilag 1) for Handicappolitik 2018-2022: four themes "
    "with målsætninger and interleaved Indsatser / Formål og virkning / Status 2019 tables",
    _signals,
    _read,
)
