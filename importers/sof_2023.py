"""Importer for Socialforvaltningen's action plan under Handicappolitik 2023-2026.

The document (December 2023) is a slide deck turned into text: a table of
contents ("… – side 5"), the policy's six goals as a numbered list, an overview
of every særlig prioritering with the departments it is anchored in between
parentheses ("(BUF, SOF)"), one slide per numbered section ``1.1`` … ``6.4``
with bullet initiatives (``- **Title** text``), KPI paragraphs, and a closing
list of Budget 2024 items ("Investeringsinitiativ: HA01 (2024) …"). Every slide
repeats its goal as a banner ("Målsætning 6: …"); the banners are page
furniture and end the section above them.

The rules below follow what the document itself says, so that a reader can
check each record against the text:

* Goals: the first numbered list ("1. …" to "6. …") holds the six goals.
* Priorities: in the overview, each line that ends with a parenthesis naming
  departments is a særlig prioritering of the goal heading above it. The
  parenthesis says where it is anchored: "(BUF, SOF)" makes BUF and SOF
  responsible; "(TMF og de øvrige forvaltninger på deres områder)" makes TMF
  responsible and "de øvrige forvaltninger" involved.
* Sections: the reading guide says every slide belongs to a særlig
  prioritering, so a section's parent is the priority of its goal whose label
  shares the most words with the section heading (at least half of them). A
  heading that lists several priorities in parentheses ("Afbureaukratisering
  (lette arbejdet for borgerne, påvirke nationale dagsordener,
  regelforenkling)") covers all of them; one parent cannot say that, so such a
  section hangs under its goal and names each priority in its remarks. Without
  a clear match the parent is the goal.
* Initiatives: the items of a bullet list whose lead-in names initiatives
  ("Udvalgte initiativer i Socialforvaltningen:") or says what the department
  itself does ("Socialforvaltningen har bl.a. fokus på at fremme … ved:",
  "Derfor har vi også i Socialforvaltningen en særlig opmærksomhed på:"; plain
  and ✓ bullets alike), plus any item led by a bold title. Indented items are
  sub-initiatives of the item above them. A prose paragraph between two items of one list belongs to the
  item above it. Departments of Socialforvaltningen named in an item are
  responsible (else the department named in the lead-in); other departments
  and units are involved; outside organisations are partners.
* Indicators: the text after a section's last bullet list is its KPI slide.
  Each number with a unit (pct., %, ansatte, fleksjobansættelser) is a
  measurement: "måltal" marks a target, "resultat" an actual value,
  "baseline" a baseline, anything else a status; a sentence that only restates
  the same figures ("Det svarer til …") adds none.
* Budget items: the closing "Oversigt over initiativer … i budget 2024" list,
  and any investment proposal named in a section's prose ("investeringsforslaget
  HA01 – …"), which supports that section. ``code`` never holds the year.
* fundedBy: an initiative is funded by a budget item whose label names the same
  initiative (three quarters of the content words of each label recur in the
  other). ``budget_codes`` holds the budget item's key, which is its code when
  it has one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal

from . import danish
from .base import LayoutImporter, Signal
from .danish import MONTHS, YEAR
from .records import BudgetItem, Document, Goal, ImportResult, Indicator, Initiative, Measurement
from .text import SourceText
from .textutil import collapse, dedupe, last_text_line, next_text_line, sentences, slug, unique

NAME = "sof-indsatsplan-2023"

GOAL_RE = re.compile(r"^([1-9])\.\s+([A-ZÆØÅ].*?)\s*$")
SECTION_RE = re.compile(r"^([1-9])\.(\d{1,2})\s+([A-ZÆØÅ].*?)\s*$")
BANNER_RE = re.compile(r"^Målsætning\s+[1-9]\b")
TOC_RE = re.compile(r"^(?P<title>\S.*?)\s+[–-]\s+side\s+\d+\s*$")
BUDGET_HEADING_RE = re.compile(rf"^Oversigt over .*\bbudget\s+({YEAR})\b", re.IGNORECASE)
DECORATION_RE = re.compile(r"^\*\*")
MAX_HEADING = 200

TITLE_RE = re.compile(
    rf"^(?P<publisher>[A-ZÆØÅ][a-zæøå]*forvaltning)ens indsatsplan\b.*?Handicappolitik\s+"
    rf"(?:for\s+)?(?P<start>{YEAR})\s*[–-]\s*(?P<end>{YEAR})"
)

# A check mark after the dash ("- ✓ Ansættelse i mini-fleksjob") is bullet furniture.
BULLET_RE = re.compile(r"^(?P<indent>[ \t]*)-\s+(?:[✓✔]\s*)?(?P<text>\S.*?)\s*$")
BOLD_RE = re.compile(r"\*\*(.+?)\*\*")
LINK_RE = re.compile(r"\[([^\]]*)\]\([^)]*\)")
INITIATIVE_LEAD_RE = re.compile(r"\binitiativ", re.IGNORECASE)
LEAD_FORUM_RE = re.compile(r"\(([^()]+)\)\s*:?\s*$")
LABEL_TAIL_RE = re.compile(r"(?:,?\s+(?:fx|bl\.a\.|herunder))?[\s,.:;]*$")
SENTENCE_END_RE = re.compile(r"[.!?](?=\s+[A-ZÆØÅ0-9])")
# Words that end in a period without ending a sentence; "bl.a." ends in an initial.
ABBREVIATIONS = frozenset({"hhv", "fx", "ca", "mv", "jf", "ift", "ifm", "pr", "nr", "vedr", "evt"})

ANCHOR_RE = re.compile(r"^(?P<label>.+?)\s*\((?P<anchor>[^()]+)\)\s*$")
DEPARTMENT_CODES = ("SOF", "BUF", "BIF", "SUF", "TMF", "ØKF", "KFF")
CODE_RE = re.compile(rf"\b({'|'.join(DEPARTMENT_CODES)})s?\b")
ANCHOR_WORDS_RE = re.compile(rf"\b(?:{'|'.join(DEPARTMENT_CODES)})\b|\bforvaltninger\b")
OTHERS_RE = re.compile(r"^(?P<lead>.+?)\s+og\s+(?P<others>de øvrige forvaltninger)\b")
# "og" after a hyphen joins the halves of one name ("Sundheds- og Omsorgsforvaltningen").
LIST_SPLIT_RE = re.compile(r"\s*,\s*|(?<!-)\s+og\s+")

DEPARTMENT_NAME_RE = re.compile(r"\b(?:[A-ZÆØÅ][a-zæøå]+-\s+og\s+)?[A-ZÆØÅ][a-zæøå]+forvaltningen")
AGENCY_RE = re.compile(
    r"\b(?:[A-ZÆØÅ][a-zæøå]*-,?\s+)*(?:og\s+)?[A-ZÆØÅ][a-zæøå]*(?:styrelsen|ministeriet)\b"
)
OTHER_MUNICIPALITY_RE = re.compile(r"\b(?!Københavns\b)[A-ZÆØÅ][a-zæøå]+ Kommune\b")
REGIONAL_RE = re.compile(r"\b(?:den|det) regionale [a-zæøå]+(?:-\s+og\s+[a-zæøå]+)?")
# Departments and units of the municipality, in the order they are named.
INTERNAL_RES = (
    CODE_RE,
    DEPARTMENT_NAME_RE,
    re.compile(r"\b(?:Borgercenter Handicap|Center for Erhvervet Hjerneskade|Borgerservice)"),
    re.compile(r"\bKoncernIT\b"),
    re.compile(r"\b(?:de andre|de øvrige|alle) forvaltninger\b"),
)
# The plan's own department and its units: named in an initiative, they carry it.
OWN = {"SOF", "Socialforvaltningen", "Borgercenter Handicap", "Center for Erhvervet Hjerneskade"}
# Organisations outside the municipality.
PARTNER_RES = (
    re.compile(r"\bFor Lige Vilkår\b"),
    AGENCY_RE,
    re.compile(r"\b\d+-byerne\b"),
    OTHER_MUNICIPALITY_RE,
    re.compile(r"\bEkspertudvalget(?: på det [a-zæøå]+ område)?"),
    REGIONAL_RE,
    re.compile(r"\bregionen\b"),
)
# Words every match of a pattern holds. These patterns try every capitalised word,
# so they are only run on text holding one of their words.
PATTERN_CUES = {
    DEPARTMENT_NAME_RE: ("forvaltningen",),
    AGENCY_RE: ("styrelsen", "ministeriet"),
    OTHER_MUNICIPALITY_RE: (" Kommune",),
    REGIONAL_RE: (" regionale ",),
}

# The plan writes whole dates ("1. april 2023 – 31. marts 2026"); a range needs its days.
DATE_RANGE_RE = re.compile(
    rf"\b\d{{1,2}}\.\s*(?:{MONTHS})\s+(?P<start>{YEAR})\s*[–-]\s*"
    rf"\d{{1,2}}\.\s*(?:{MONTHS})\s+(?P<end>{YEAR})\b"
)
YEAR_RANGE_RE = re.compile(rf"\b(?P<start>{YEAR})\s*[–-]\s*(?P<end>{YEAR}|\d{{2}}(?![.\d]))\b")
START_RE = re.compile(rf"\b(?:[Ff]ra|starter i|primo)\s+(?:(?:{MONTHS})\s+)?(?P<start>{YEAR})\b")
# Money for the initiative itself: "Bevilling til pårørendevejlederen …", "afsat penge til …".
# A "bevilling af merudgifter" is a grant the initiative gives citizens, not its funding.
# Years the prose dates its actions to: "SUD fik i foråret 2023 …", "I 2023 implementeres …
# I 2024 udarbejdes …". An expectation ("forventet ibrugtagning i 2025") dates nothing done.
IN_YEAR_RE = re.compile(
    rf"\b[Ii] (?:(?:foråret|efteråret|sommeren|vinteren|løbet af|starten af|slutningen af) )?"
    rf"(?P<year>{YEAR})\b"
)
EXPECTATION_RE = re.compile(r"\bforvent", re.IGNORECASE)
FINANCING_RE = re.compile(r"\b[Bb]evilling(?:en)? til\b|\bafsat (?:penge|midler)\b")

MEASURE_RE = re.compile(
    r"(?<![\d.,])(?P<number>\d{1,3}(?:\.\d{3})*(?:,\d+)?)\s*"
    r"(?P<unit>pct\.?|%|ansatte\b|fleksjobansættelser\b)"
)
CLAUSE_RE = re.compile(r",\s+|\s+og\s+|\s+i forhold til\s+")
CONNECTOR_RE = re.compile(r"^(?:og|samt)\s+")
RESTATEMENT_RE = re.compile(r"^Det svarer til\b")
# "for Københavns Kommune i alt 850 …, hvoraf Socialforvaltningens andel er 146 …"
WHOLE_RE = re.compile(r"\bi alt\b|\bsamlet set\b", re.IGNORECASE)
SHARE_RE = re.compile(r"^hvoraf\b", re.IGNORECASE)
KIND_CUES = (
    (re.compile(r"baseline", re.IGNORECASE), "baseline"),
    (re.compile(r"måltal|\bmål(?:et)?\b", re.IGNORECASE), "target"),
    (re.compile(r"\bresultat", re.IGNORECASE), "actual"),
)
KPI_RE = re.compile(r"\bKPI\b|\bindikator|\bmåltal", re.IGNORECASE)
KPI_NAME_RE = re.compile(r"Målet hedder\s+[\"“”]([^\"“”]+)[\"“”]")
CAPTION_RE = re.compile(r"^(?:Fig\.|Diagram)\s*\d+(?:\.\d+)*\.?\s+(?P<label>\S.*)$")
MEASURED_BY_RE = re.compile(r"\bmålt (?:ved|gennem|på) (andelen af [^.,;]+)")
SOURCE_NOTE_RE = re.compile(r"^Kilde:")

BUDGET_ITEM_RE = re.compile(
    rf"^(?P<code>[A-ZÆØÅ]{{2}}(?:/[A-ZÆØÅ]{{2}})?\d{{2}}[a-z]?)\s*(?:\((?P<year>{YEAR})\))?"
    r"\s+(?P<label>\S.*)$"
)
BUDGET_KIND_RE = re.compile(r"^(?:Investeringsinitiativ|Investeringsforslag)\s*:\s*")
PROPOSAL_RE = re.compile(
    r"\binvesteringsforslag(?:et)?\s+(?P<code>[A-ZÆØÅ]{2}\d{2}[a-z]?)\s+[–-]\s+"
    r"(?P<label>[^()]+?)\s*(?:\((?P<note>[^()]+)\))?\s*\."
)
STOPWORDS = {
    "af", "at", "de", "den", "der", "det", "en", "et", "for", "fra", "hvor", "i", "med",
    "og", "om", "på", "som", "til", "ved",
}  # fmt: skip
MATCH_SHARE = Decimal("0.75")


@dataclass
class _Item:
    """One bullet: its own line, indentation and any prose paragraphs under it."""

    line: int
    indented: bool
    text: str
    end: int
    paragraphs: list[str] = field(default_factory=list)


@dataclass
class _List:
    lead: str | None
    items: list[_Item]

    @property
    def end(self) -> int:
        return self.items[-1].end


@dataclass
class _Section:
    key: str
    goal: str
    heading: int
    last: int
    label: str


# --- small text helpers -------------------------------------------------------------


def _blank(line: str) -> bool:
    return not line.strip()


def _clean(text: str) -> str:
    """Drop Markdown emphasis and links, collapse whitespace."""
    return collapse(LINK_RE.sub(r"\1", text).replace("**", "").replace("*", ""))


def _key(text: str) -> str:
    """A record key from a label; cut as the keys of graphs built before were."""
    return slug(text, cut="hyphen")


def _sentences(text: str) -> list[str]:
    """Split prose into sentences without breaking at "hhv.", "bl.a." and the like."""
    return sentences(text, SENTENCE_END_RE, ABBREVIATIONS)


def _words(text: str) -> set[str]:
    """Content words, lower case, for comparing labels."""
    return {
        word
        for word in re.findall(r"[a-zæøå]+", text.lower())
        if word not in STOPWORDS and len(word) > 2
    }


def _stems(text: str) -> set[str]:
    """Content words cut to six letters, so "arbejdet" meets "arbejdsgange"."""
    return {word[:6] for word in _words(text) if len(word) > 3}


# --- organisations and periods -----------------------------------------------------


def _found(patterns: tuple[re.Pattern[str], ...], text: str) -> list[str]:
    """Every match of ``patterns`` in ``text``, in reading order, without repeats.

    A pattern with cues (``PATTERN_CUES``) is only run on text holding one of them.
    """
    hits = sorted(
        (match.start(), match.group(1) if pattern.groups else match.group(0))
        for pattern in patterns
        if any(cue in text for cue in PATTERN_CUES.get(pattern, ("",)))
        for match in pattern.finditer(text)
    )
    return dedupe(collapse(hit) for _, hit in hits)


def _internal(text: str) -> list[str]:
    return _found(INTERNAL_RES, text)


def _partners(text: str) -> list[str]:
    return _found(PARTNER_RES, text)


def _split_list(text: str) -> list[str]:
    return [part for part in LIST_SPLIT_RE.split(text.strip()) if part]


def _anchoring(anchor: str) -> tuple[list[str], list[str]]:
    """Responsible and involved departments from a parenthesis such as "(BUF, SOF)"."""
    others = OTHERS_RE.match(anchor)
    if others:
        return _split_list(others["lead"]), [others["others"]]
    if "forvaltninger" in anchor:
        return [collapse(anchor)], []
    return _split_list(anchor), []


def _period(text: str) -> tuple[str | None, int | None, int | None]:
    """The period wording and its years: a date range, a year range, a start year, else
    the years the prose dates its actions to ("i foråret 2023"; "I 2023 … I 2024 …")."""
    found = danish.year_range(text, (DATE_RANGE_RE, YEAR_RANGE_RE))
    if found:
        return found
    match = START_RE.search(text)
    if match:
        return match.group(0), int(match["start"]), None
    dated = [
        found
        for sentence in _sentences(text)
        if not EXPECTATION_RE.search(sentence)
        for found in IN_YEAR_RE.finditer(sentence)
    ]
    if dated:
        years = [int(found["year"]) for found in dated]
        return "; ".join(dict.fromkeys(found.group(0) for found in dated)), min(years), max(years)
    return None, None, None


# --- document and goals -----------------------------------------------------------------


def _document(lines: tuple[str, ...]) -> Document:
    """Title, publisher and period from the first line; the year from "December 2023"."""
    text = [line.strip() for line in lines if line.strip()]
    title = text[0] if text else ""
    year = danish.date_line_year(text)
    match = TITLE_RE.match(title)
    if not match:
        return Document(title=title, kind="action-plan", year=year)
    start, end = int(match["start"]), int(match["end"])
    return Document(
        title=title,
        kind="action-plan",
        publisher=[match["publisher"] + "en"],
        year=year,
        start_year=start,
        end_year=end,
        policy=f"Handicappolitik {start}-{end}",
    )


def _goal_list(lines: tuple[str, ...]) -> list[int]:
    """Line numbers of the first run of consecutive numbered lines "1. …", "2. …" …"""
    for number, line in enumerate(lines, start=1):
        match = GOAL_RE.match(line)
        if not match or match[1] != "1":
            continue
        run = [number]
        while run[-1] < len(lines):
            following = GOAL_RE.match(lines[run[-1]])
            if not following or int(following[1]) != len(run) + 1:
                break
            run.append(run[-1] + 1)
        if len(run) > 1:
            return run
    return []


def _goals(source: SourceText, run: list[int]) -> list[Goal]:
    goals = []
    for number in run:
        match = GOAL_RE.match(source.lines[number - 1])
        if match:
            goals.append(
                Goal(match[1], _clean(match[2]), source.span(number, number), notation=match[1])
            )
    return goals


def _priorities(
    source: SourceText, first: int, last: int, goal_keys: set[str], used: set[str]
) -> list[Goal]:
    """Every line with a department parenthesis under an overview goal heading."""
    priorities: list[Goal] = []
    goal = None
    for number in range(first, last + 1):
        line = source.lines[number - 1].strip()
        heading = GOAL_RE.match(line)
        if heading:
            goal = heading[1] if heading[1] in goal_keys else None
            continue
        match = ANCHOR_RE.match(line)
        if goal is None or not match or not ANCHOR_WORDS_RE.search(match["anchor"]):
            continue
        label = _clean(match["label"])
        responsible, involved = _anchoring(match["anchor"])
        priorities.append(
            Goal(
                unique(_key(label), used),
                label,
                source.span(number, number),
                kind="priority",
                parent=goal,
                responsible=responsible,
                involved=involved,
            )
        )
    return priorities


# --- sections -----------------------------------------------------------------------


def _toc_titles(lines: tuple[str, ...]) -> set[str]:
    return {m["title"].strip() for line in lines if (m := TOC_RE.match(line.strip()))}


def _section_heading(line: str, goal_keys: set[str]) -> re.Match[str] | None:
    match = SECTION_RE.match(line)
    if match and match[1] in goal_keys and len(line) <= MAX_HEADING:
        return match
    return None


def _is_stop(line: str, goal_keys: set[str], toc: set[str]) -> bool:
    """A line that ends a section: a heading, a goal banner or a closing chapter."""
    stripped = line.strip()
    return bool(
        _section_heading(line, goal_keys)
        or BANNER_RE.match(stripped)
        or BUDGET_HEADING_RE.match(stripped)
        or DECORATION_RE.match(stripped)
        or stripped in toc
    )


def _sections(lines: tuple[str, ...], start: int, goal_keys: set[str]) -> list[_Section]:
    toc = _toc_titles(lines)
    sections: list[_Section] = []
    for number in range(start, len(lines) + 1):
        match = _section_heading(lines[number - 1], goal_keys)
        if not match:
            continue
        end = number + 1
        while end <= len(lines) and not _is_stop(lines[end - 1], goal_keys, toc):
            end += 1
        last = last_text_line(lines, number, end - 1)
        key = f"{match[1]}.{match[2]}"
        if all(section.key != key for section in sections):
            sections.append(_Section(key, match[1], number, last, _clean(match[3])))
    return sections


def _best_priority(text: str, candidates: list[Goal]) -> Goal | None:
    """The candidate sharing most stems with ``text``, if it shares half and is the only best."""
    wanted = _stems(text)
    if not wanted:
        return None
    scored = sorted(
        ((len(wanted & _stems(goal.label)) / len(wanted), n) for n, goal in enumerate(candidates)),
        reverse=True,
    )
    if not scored or scored[0][0] < 0.5 or (len(scored) > 1 and scored[1][0] == scored[0][0]):
        return None
    return candidates[scored[0][1]]


def _covered_priorities(label: str, candidates: list[Goal]) -> list[Goal]:
    """The priorities a section heading names: each item of a listing parenthesis, else one."""
    listing = ANCHOR_RE.match(label)
    parts = _split_list(listing["anchor"]) if listing and "," in listing["anchor"] else [label]
    matched = [_best_priority(part, candidates) for part in parts]
    return list({goal.key: goal for goal in matched if goal is not None}.values())


def _section_goal(source: SourceText, section: _Section, priorities: list[Goal]) -> Goal:
    candidates = [goal for goal in priorities if goal.parent == section.goal]
    covered = _covered_priorities(section.label, candidates)
    parent = covered[0].key if len(covered) == 1 else section.goal
    remarks = [f"Særlig prioritering: {goal.label}" for goal in covered] if len(covered) > 1 else []
    description = next(
        (
            _clean(source.lines[n - 1])
            for n in range(section.heading + 1, section.last + 1)
            if not _blank(source.lines[n - 1])
        ),
        None,
    )
    if description is not None and BULLET_RE.match(description):
        description = None
    return Goal(
        section.key,
        section.label,
        source.span(section.heading, section.last),
        notation=section.key,
        parent=parent,
        description=description,
        remarks=remarks,
    )


# --- bullet lists --------------------------------------------------------------------


def _is_bullet(line: str) -> bool:
    return BULLET_RE.match(line) is not None


def _is_prose(line: str) -> bool:
    """A full sentence, as opposed to a slide heading or a list lead-in."""
    stripped = line.strip()
    return stripped.endswith(".") and len(stripped.split()) >= 6


def _resume(lines: tuple[str, ...], number: int, last: int) -> int | None:
    """The next bullet after prose paragraphs that continue an item, if the list goes on."""
    while number <= last and not _is_bullet(lines[number - 1]):
        if not _blank(lines[number - 1]) and not _is_prose(lines[number - 1]):
            return None
        number += 1
    return number if number <= last else None


def _lead_in(lines: tuple[str, ...], first: int, floor: int) -> str | None:
    for number in range(first - 1, floor - 1, -1):
        if not _blank(lines[number - 1]):
            return lines[number - 1].strip()
    return None


def _read_list(lines: tuple[str, ...], first: int, last: int, floor: int) -> _List:
    items: list[_Item] = []
    number = first
    while number <= last:
        match = BULLET_RE.match(lines[number - 1])
        if match:
            items.append(_Item(number, bool(match["indent"]), match["text"], number))
            number += 1
        elif _blank(lines[number - 1]):
            number += 1
        else:
            resume = _resume(lines, number, last)
            if resume is None:
                break
            item = items[-1]
            item.paragraphs += [lines[n - 1] for n in range(number, resume) if lines[n - 1].strip()]
            item.end = last_text_line(lines, number, resume - 1)
            number = resume
    return _List(_lead_in(lines, first, floor), items)


def _lists(lines: tuple[str, ...], first: int, last: int) -> list[_List]:
    """Every bullet list between lines ``first`` and ``last``."""
    found: list[_List] = []
    number = first
    while number <= last:
        if _is_bullet(lines[number - 1]):
            found.append(_read_list(lines, number, last, first))
            number = found[-1].end + 1
        else:
            number += 1
    return found


# --- initiatives ---------------------------------------------------------------------


def _label(item: _Item) -> str:
    """The bold title, else the first sentence; without trailing "fx", "herunder", ":"."""
    bold = BOLD_RE.search(item.text)
    text = _clean(bold[1]) if bold else (_sentences(_clean(item.text)) or [""])[0]
    text = LABEL_TAIL_RE.sub("", text)
    return text[:1].upper() + text[1:]


def _financing(text: str) -> str | None:
    sentences = [sentence for sentence in _sentences(text) if FINANCING_RE.search(sentence)]
    return " ".join(sentences) or None


def _initiative(
    source: SourceText, item: _Item, section: str, lead: str | None, used: set[str]
) -> Initiative:
    text = _clean(" ".join([item.text, *item.paragraphs]))
    label = _label(item)
    internal = _internal(text)
    own = [name for name in internal if name in OWN]
    lead_text = lead or ""
    default = [name for name in _internal(lead_text) if name in OWN]
    forum = LEAD_FORUM_RE.search(lead_text)
    period_text, start, end = _period(text)
    financing_text = _financing(text)
    return Initiative(
        unique(f"{section}-{_key(label)}", used),
        label,
        source.span(item.line, item.end),
        goals=[section],
        description=text,
        responsible=own or default,
        involved=[name for name in internal if name not in OWN],
        partners=dedupe(([forum[1].strip()] if forum else []) + _partners(text)),
        period_text=period_text,
        start_year=start,
        end_year=end,
        financing_text=financing_text,
        financing="funded" if financing_text else None,
    )


def _list_initiatives(
    source: SourceText, bullets: _List, section: str, used: set[str]
) -> list[Initiative]:
    """Initiatives of one list; an indented item hangs under the item above it."""
    named = bullets.lead is not None and (
        INITIATIVE_LEAD_RE.search(bullets.lead)
        or any(name in OWN for name in _internal(bullets.lead))
    )
    found: list[Initiative] = []
    parent: str | None = None
    for item in bullets.items:
        if not (named or BOLD_RE.search(item.text)):
            continue
        initiative = _initiative(source, item, section, bullets.lead, used)
        if item.indented and parent is not None:
            initiative.parent = parent
        else:
            parent = initiative.key
        found.append(initiative)
    return found


# --- indicators ----------------------------------------------------------------------


def _clauses(sentence: str) -> list[tuple[int, str]]:
    """The clauses of a sentence with their offsets, split at ",", "og", "i forhold til"."""
    clauses, start = [], 0
    for match in CLAUSE_RE.finditer(sentence):
        clauses.append((start, sentence[start : match.start()]))
        start = match.end()
    clauses.append((start, sentence[start:]))
    return clauses


def _kind(clause: str, previous: str | None) -> str:
    for pattern, kind in KIND_CUES:
        if pattern.search(clause):
            return kind
    return previous or "status"


def _whole_clauses(sentence: str) -> set[int]:
    """Offsets of clauses that give the whole of which a later "hvoraf …" clause is a share.

    "… for Københavns Kommune i alt 850 ansatte i fleksjob, hvoraf
    Socialforvaltningens andel er 146": the 850 is the municipality's figure,
    context for the department's indicator, not its target or status.
    """
    clauses = _clauses(sentence)
    wholes: set[int] = set()
    for index, (offset, clause) in enumerate(clauses):
        if WHOLE_RE.search(clause) and any(SHARE_RE.match(c) for _, c in clauses[index + 1 :]):
            wholes.add(offset)
    return wholes


def _sentence_measurements(sentence: str) -> list[Measurement]:
    """Measurements of one sentence; a clause without a year takes the last year before it.

    A whole that the sentence then splits into the department's share is left
    out (see :func:`_whole_clauses`); :func:`_context` keeps its wording.
    """
    found: list[Measurement] = []
    wholes = _whole_clauses(sentence)
    kind: str | None = None
    for offset, clause in _clauses(sentence):
        if offset in wholes:
            # The share is of the same kind as its whole ("Måltallet … i alt 850, hvoraf … 146").
            kind = _kind(clause, kind)
            continue
        for match in MEASURE_RE.finditer(clause):
            years = danish.SINGLE_YEAR.findall(clause)
            years = years or danish.SINGLE_YEAR.findall(sentence[:offset])[-1:]
            unit = "percent" if match["unit"].startswith(("pct", "%")) else "count"
            kind = _kind(clause, kind)
            found.append(
                Measurement(
                    kind,
                    danish.matched_number(match["number"]),
                    unit,
                    CONNECTOR_RE.sub("", clause.strip(" ,.")),
                    int(years[0]) if years else None,
                )
            )
    return found


def _measurements(paragraphs: list[str]) -> list[Measurement]:
    return [
        measurement
        for paragraph in paragraphs
        for sentence in _sentences(paragraph)
        if not RESTATEMENT_RE.match(sentence)
        for measurement in _sentence_measurements(sentence)
    ]


def _context(paragraphs: list[str]) -> list[str]:
    """The wording of every whole left out of the measurements, kept as a remark."""
    return [
        CONNECTOR_RE.sub("", clause.strip(" ,."))
        for paragraph in paragraphs
        for sentence in _sentences(paragraph)
        for offset, clause in _clauses(sentence)
        if offset in _whole_clauses(sentence) and MEASURE_RE.search(clause)
    ]


def _caption(lines: list[str]) -> str | None:
    """A chart caption: "Fig. 6 …" / "Diagram 5.1. …", or the short line before "Kilde:"."""
    for index, line in enumerate(lines):
        if not line or line.endswith("."):
            continue
        match = CAPTION_RE.match(line)
        if match:
            return match["label"]
        if SOURCE_NOTE_RE.match(next((text for text in lines[index + 1 :] if text), "")):
            return line
    return None


def _indicator_label(lines: list[str]) -> str:
    """The KPI's own name, else its chart caption, else what it is measured by, else heading."""
    text = " ".join(lines)
    named = KPI_NAME_RE.search(text)
    if named:
        return named[1]
    caption = _caption(lines)
    if caption:
        return caption
    measured = MEASURED_BY_RE.search(text)
    if measured:
        return measured[1][:1].upper() + measured[1][1:]
    return next(line for line in lines if line)


def _indicator(
    source: SourceText, first: int, last: int, section: str, used: set[str]
) -> Indicator | None:
    """The KPI slide at the end of a section, if it states an indicator or numbers."""
    lines = [_clean(line) for line in source.lines[first - 1 : last]]
    prose = [line for line in lines if line and not SOURCE_NOTE_RE.match(line)]
    measurements = _measurements(prose)
    if not prose or not (measurements or KPI_RE.search(" ".join(lines))):
        return None
    label = _indicator_label(lines)
    return Indicator(
        unique(_key(label), used),
        label,
        source.span(first, last),
        subject=section,
        measurements=measurements,
        remarks=[line for line in lines if SOURCE_NOTE_RE.match(line)] + _context(prose),
    )


def _first_text(lines: tuple[str, ...], first: int, last: int) -> int | None:
    return next((n for n in range(first, last + 1) if not _blank(lines[n - 1])), None)


# --- budget items --------------------------------------------------------------------


def _budget_item(
    source: SourceText, number: int, year: int | None, used: set[str]
) -> BudgetItem | None:
    match = BULLET_RE.match(source.lines[number - 1])
    if not match:
        return None
    text = _clean(match["text"])
    body = BUDGET_KIND_RE.sub("", text)
    coded = BUDGET_ITEM_RE.match(body)
    label = coded["label"] if coded else body
    responsible: list[str] = []
    anchored = ANCHOR_RE.match(label)
    if anchored and CODE_RE.search(anchored["anchor"]):
        label, responsible = anchored["label"], _split_list(anchored["anchor"])
    code = coded["code"] if coded else None
    return BudgetItem(
        unique(code or _key(label), used),
        label,
        source.span(number, number),
        code=code,
        budget_year=int(coded["year"]) if coded and coded["year"] else year,
        responsible=responsible,
        description=text,
    )


def _opens_list(lines: tuple[str, ...], number: int) -> bool:
    """Whether the first line with text after line ``number`` is a bullet."""
    following = next_text_line(lines, number)
    return following is not None and _is_bullet(lines[following - 1])


def _budget_list(source: SourceText, used: set[str]) -> list[BudgetItem]:
    """The items under "Oversigt over initiativer … i budget 2024", each in that budget year."""
    lines = source.lines
    headings = [n for n, line in enumerate(lines, 1) if BUDGET_HEADING_RE.match(line)]
    heading = next((n for n in headings if _opens_list(lines, n)), None)
    if heading is None:
        return []
    year = int(BUDGET_HEADING_RE.match(lines[heading - 1])[1])
    items: list[BudgetItem] = []
    for number in range(heading + 1, len(lines) + 1):
        line = lines[number - 1]
        if _blank(line):
            continue
        item = _budget_item(source, number, year, used)
        if item is None:
            break
        items.append(item)
    return items


def _proposals(source: SourceText, section: _Section, used: set[str]) -> list[BudgetItem]:
    """Investment proposals named in a section's prose; they support that section."""
    found = []
    for number in range(section.heading + 1, section.last + 1):
        line = source.lines[number - 1]
        if _is_bullet(line):
            continue
        for match in PROPOSAL_RE.finditer(_clean(line)):
            note = match["note"]
            key = (
                match["code"]
                if match["code"] not in used
                else f"{match['code']}-{_key(note or '')}"
            )
            found.append(
                BudgetItem(
                    unique(key, used),
                    _clean(match["label"]),
                    source.span(number, number),
                    code=match["code"],
                    supports=[section.key],
                    description=_clean(match.group(0)),
                )
            )
    return found


def _same_initiative(a: set[str], b: set[str]) -> bool:
    """Whether two labels' words name the same initiative: most of each recur in the other."""
    if len(a) < 3 or len(b) < 3:
        return False
    shared = Decimal(len(a & b))
    return min(shared / len(a), shared / len(b)) >= MATCH_SHARE


def _link_funding(initiatives: list[Initiative], budget: list[BudgetItem]) -> None:
    """Every initiative against every budget item, so each label's words are found once."""
    budget_words = [(item.key, _words(item.label)) for item in budget]
    for initiative in initiatives:
        words = _words(initiative.label)
        initiative.budget_codes = [
            key for key, other in budget_words if _same_initiative(words, other)
        ]


# --- the importer --------------------------------------------------------------------


def _signals(source: SourceText) -> list[Signal]:
    """The title, the overview of priorities with their anchoring, bold bullets, lead-ins.

    Asked of every document a build reads, so each line is first checked cheaply:
    an anchored line ends with ")", a bold bullet starts with "- **".
    """
    lines = [line.strip() for line in source.lines]
    text = source.text
    anchors = sum(
        1
        for line in lines
        if line.endswith(")")
        and (m := ANCHOR_RE.match(line))
        and ANCHOR_WORDS_RE.search(m["anchor"])
    )
    return [
        (0.2, len(re.findall(r"indsatsplan under .*Handicappolitik", text)), 1),
        (0.15, len(re.findall(r"særlige prioriteringer", text, re.IGNORECASE)), 1),
        (0.25, anchors, 5),
        (0.2, sum(1 for line in lines if line.startswith("- **")), 5),
        (0.2, len(re.findall(r"\binitiativer i [A-ZÆØÅ]\w*forvaltningen", text)), 2),
    ]


def _read(source: SourceText) -> ImportResult:
    """Goals, priorities, sections, initiatives, indicators and budget items."""
    lines = source.lines
    run = _goal_list(lines)
    goals = _goals(source, run)
    goal_keys = {goal.key for goal in goals}
    start = run[-1] + 1 if run else 1
    sections = _sections(lines, start, goal_keys)
    overview_end = sections[0].heading - 1 if sections else len(lines)
    used_goals = set(goal_keys) | {section.key for section in sections}
    priorities = _priorities(source, start, overview_end, goal_keys, used_goals)
    result = ImportResult(NAME, _document(lines), goals=goals + priorities)
    used_initiatives: set[str] = set()
    used_indicators: set[str] = set()
    used_budget: set[str] = set()
    result.budget_items = _budget_list(source, used_budget)
    for section in sections:
        result.goals.append(_section_goal(source, section, priorities))
        bullet_lists = _lists(lines, section.heading + 1, section.last)
        for bullets in bullet_lists:
            result.initiatives += _list_initiatives(source, bullets, section.key, used_initiatives)
        kpi = _first_text(lines, bullet_lists[-1].end + 1, section.last) if bullet_lists else None
        indicator = kpi and _indicator(source, kpi, section.last, section.key, used_indicators)
        if indicator:
            result.indicators.append(indicator)
        result.budget_items += _proposals(source, section, used_budget)
    _link_funding(result.initiatives, result.budget_items)
    return result


IMPORTER = LayoutImporter(
    NAME,
    "Socialforvaltningens indsatsplan under Handicappolitik 2023-2026: six goals, "
    "særlige prioriteringer with anchoring departments, sections 1.1 … 6.4 with bullet "
    "initiatives, KPI slides and the Budget 2024 list",
    _signals,
    _read,
)
