"""Committee cases (dagsordenspunkter and referater) of the municipality's committees.

Every case has the same skeleton, whichever committee treats it: a title,
the committee and the meeting date (often a case number), a Resumé, an
Indstilling whose "at …" points (numbered or bulleted) are what the committee
is asked to decide, then Problemstilling, Løsning, Økonomi, Videre proces,
Beslutning and the bilag. The importer reads that skeleton; the facts named
in the prose (amounts, departments, budget codes, legal references, dates)
come from :mod:`.facts` as for any document.
"""

from __future__ import annotations

import re

from . import danish
from .base import score
from .facts import read_facts
from .generic import add_facts, describe
from .records import ImportResult, Proposal
from .text import SourceText
from .textutil import collapse

SECTION = re.compile(
    r"^\s*(?:#+\s*)?(?P<name>Resumé|Indstilling(?: og beslutning)?|Problemstilling|Løsning|Økonomi"
    r"|Videre proces|Beslutning(?: i .{3,60})?|Sagsfremstilling|Baggrund|Beskrivelse af sagen"
    r"|Kommunikation|Bilag(?:sliste)?|Høring|Sagsgang og sagstype|Lovgrundlag|Vurdering"
    r"|Miljøvurdering|Politisk behandling|Beslutningstema|Sagens indhold|Sagsbeskrivelse"
    r"|Beslutningskompetence|Alternativ indstilling|Økonomiske konsekvenser"
    r"|Bevillingsmæssige konsekvenser|Tidsplan|Det videre forløb)\s*:?\s*$",
    re.I,
)
PROPOSER = re.compile(r"^\s*(?P<who>[A-ZÆØÅ][^.]{2,120}?)\s+indstiller\b", re.I)
# "Forvaltningen indstiller, at udvalget godkender …": one point on the proposer's own line.
INLINE_POINT = re.compile(r"\bindstiller\b[^,]{0,80}?,?\s+(?P<text>at\s+\S.*)$", re.I)
# "Beslutning: Indstillingen blev godkendt." on one line.
INLINE_DECISION = re.compile(r"^\s*Beslutning\s*:\s*(?P<text>\S.*)$", re.I)
# ", og at …" / "; samt at …" starts the next point of a one-sentence indstilling.
JOINED_POINTS = re.compile(r"[,;]\s+(?:og|samt)\s+(?=at\s)")
POINT = re.compile(r"^\s*(?:(?P<number>\d{1,2})\s*[.)]|[a-h]\)|[-•*–·])\s+(?P<text>\S.*)$")
AT_POINT = re.compile(r"^\s*(?:(?P<number>\d{1,2})\s*[.)]\s*)?at\s+\S")
COMMITTEE = (
    r"(?:[A-ZÆØÅ][a-zæøå]+-(?:,\s*[A-ZÆØÅa-zæøå][a-zæøå]+-)*\s+og\s+)?"
    r"(?:[A-ZÆØÅ][a-zæøå]+\s+(?=Lokaludvalg))?"
    r"[A-ZÆØÅ][a-zæøåA-ZÆØÅ-]*(?:udvalget|udvalg|rådet|repræsentationen|bestyrelsen|Byrådet)"
)
# "(Socialudvalget)" on a line of its own after the indstilling: the committee that sends
# the case on to the council, not the one holding the meeting.
SENDER_LINE = re.compile(rf"^\s*\((?P<name>{COMMITTEE})\)\s*$")
# Where a page says whose meeting it is: "Dagsorden til møde i X", "Beslutning i X",
# "Udvalg: X", "UDVALG" above X, "Mødested: Xs mødesal", "Xs mødemateriale".
MEETING_OF = re.compile(
    rf"(?:møde(?:t)? i|referat fra|dagsorden for|beslutning i|udvalg\s*:?\s*\n\s*|udvalg\s*:\s*)"
    rf"\s*(?P<name>{COMMITTEE})\b"
    rf"|mødested\s*:\s*(?P<place>{COMMITTEE})s\s+mødesal"
    rf"|(?P<material>{COMMITTEE})s\s+mødemateriale",
    re.I,
)
# Who is asked to decide: "indstiller til/over for X", "at X godkender …", "X skal (derfor) godkende".
DECIDER = re.compile(
    rf"indstiller,?\s+(?:til|over for|overfor)\s+(?P<to>{COMMITTEE})"
    rf"|(?:^|\n|,)\s*(?:\d{{1,2}}\s*[.)]\s*|[-•*–·]\s*)?at\s+(?P<at>{COMMITTEE})\b"
    rf"|(?P<shall>{COMMITTEE})\s+skal\s+(?:derfor\s+|med\s+(?:denne\s+sag|indstillingen)\s+)?"
    r"(?:godkende|tage stilling|behandle|drøfte|beslutte|vedtage|træffe)",
)
COUNCIL = re.compile(r"\b(?P<name>Borgerrepræsentationen|Byrådet|Kommunalbestyrelsen)\b")
META = re.compile(
    r"^\s*(?:mødedato\s*:|mødested\s*:|den \d{1,2}[.-]\d{1,2}[.-]\d{4} kl\.|dagsorden til møde|referat\s*$)",
    re.I,
)


class CommitteeCaseImporter:
    name = "committee-case"
    description = (
        "A committee case: Indstilling with its at-points, Problemstilling, Løsning, Beslutning"
    )
    ceiling = 0.9

    def recognise(self, source: SourceText) -> float:
        """High when the case skeleton is there: an Indstilling with at-points and its sections."""
        sections = {
            m["name"].split()[0].lower() for line in source.lines if (m := SECTION.match(line))
        }
        at_points = sum(1 for line in source.lines if AT_POINT.match(line))
        proposer = any(PROPOSER.match(line) for line in source.lines)
        meta = any(META.match(line) for line in source.lines)
        return min(
            self.ceiling,
            score(
                [
                    (0.35, "indstilling" in sections, 1),
                    (0.2, at_points + proposer, 2),
                    (0.25, len(sections - {"indstilling"}), 2),
                    (0.1, meta, 1),
                ]
            ),
        )

    def parse(self, source: SourceText) -> ImportResult:
        facts = read_facts(source)
        document = describe(source, facts, "committee-case")
        document.committee = _committee(source)
        document.case_number = next(
            (m.value for m in facts.mentions if m.kind == "case-number"), None
        )
        proposals, proposer = _proposals(source)
        document.proposer = proposer
        result = ImportResult(self.name, document, indicators=facts.indicators)
        result.proposals = proposals + _decisions(source)
        add_facts(result, facts)
        return result


def _committee(source: SourceText) -> str | None:
    """The committee whose meeting treats the case, not any committee the text mentions.

    In order: what the page says of its meeting ("Dagsorden til møde i X",
    "Beslutning i X", "Mødested: Xs mødesal", or X's name alone as the page's
    first line); a sender line "(X)" after the
    indstilling, which passes X's case on to the council (Borgerrepræsentationen,
    Byrådet) when the text names one, else leaves X; the committee the
    indstilling asks to decide ("indstiller til X", "at X godkender", "X skal
    godkende"). A committee that only appears in the history ("Borgerrepræsentationen
    tiltrådte i 2011 …") is never the case's.
    """
    text = "\n".join(source.lines)
    meeting = MEETING_OF.search("\n".join(source.lines[:80]))
    if meeting:
        return collapse(meeting["name"] or meeting["place"] or meeting["material"])
    head = next((collapse(line) for line in source.lines if line.strip()), "")
    if re.fullmatch(COMMITTEE, head):
        return head  # an agenda page headed by its committee's name alone
    sender = next((m for line in source.lines if (m := SENDER_LINE.match(line))), None)
    if sender:
        council = COUNCIL.search(text)
        return collapse(council["name"] if council else sender["name"])
    deciders = [collapse(m["to"] or m["at"] or m["shall"]) for m in DECIDER.finditer(text)]
    if deciders:
        return max(deciders, key=lambda name: (deciders.count(name), -deciders.index(name)))
    return None


def _proposals(source: SourceText) -> tuple[list[Proposal], str | None]:
    """The indstilling's points: numbered or bulleted items after the Indstilling heading."""
    proposals: list[Proposal] = []
    proposer: str | None = None
    inside = False
    current: tuple[int, int, list[str], int | None] | None = None
    inline_open = False  # the current point stands on the proposer's own line

    def close() -> None:
        nonlocal current
        if current is None:
            return
        first, last, parts, number = current
        text = collapse(" ".join(parts))
        # "at udvalget godkender planen, og at der afsættes 2 mio. kr." is two points in one
        # sentence when it stands on the proposer's line; a list item is one point.
        labels = JOINED_POINTS.split(text) if inline_open else [text]
        for label in filter(None, labels):
            key = f"indstilling-{len(proposals) + 1}"
            amounts = [a for a, _ in danish.broad_amounts(label)]
            proposals.append(
                Proposal(key, label, source.span(first, last), "proposal", number, amounts)
            )
        current = None

    for n, line in enumerate(source.lines, 1):
        section = SECTION.match(line)
        if section:
            close()
            inside = section["name"].lower().startswith("indstilling")
            if proposals and not inside:
                break
            continue
        who = PROPOSER.match(line)
        if who and proposer is None:
            proposer = collapse(who["who"])
            inside = True
            inline = INLINE_POINT.search(line)
            if inline:
                close()
                current = (n, n, [inline["text"]], None)
                inline_open = True
                continue
        if not inside:
            continue
        point = POINT.match(line)
        if point:
            if inline_open and current is not None and _leads_in(current[2]):
                current = None  # "indstiller, at udvalget godkender," only leads in to the points
            inline_open = False
            close()
            current = (n, n, [point["text"]], int(point["number"]) if point["number"] else None)
        elif current is not None and line.strip() and not line.strip().startswith("("):
            current = (current[0], n, [*current[2], line.strip()], current[3])
        elif current is not None and line.strip().startswith("("):
            close()
    close()
    return proposals, proposer


def _leads_in(parts: list[str]) -> bool:
    """The proposer's line directly above the points introduces them ("indstiller, at
    udvalget:", "… at udvalget godkender,"), unless it is a finished point of its own."""
    return not collapse(" ".join(parts)).endswith((".", ";"))


def _is_decision_heading(name: str) -> bool:
    """ "Beslutning" or "Beslutning i X", not "Beslutningstema" or "Beslutningskompetence"."""
    lowered = name.lower()
    return lowered == "beslutning" or lowered.startswith("beslutning ")


def _decisions(source: SourceText) -> list[Proposal]:
    """What the committee decided: the paragraph under each "Beslutning" heading."""
    decisions: list[Proposal] = []
    lines = source.lines
    for n, line in enumerate(lines, 1):
        inline = INLINE_DECISION.match(line)
        if inline:
            key = f"beslutning-{len(decisions) + 1}"
            label = collapse(inline["text"])[:500]
            decisions.append(Proposal(key, label, source.span(n, n), "decision"))
            continue
        m = SECTION.match(line)
        if not m or not _is_decision_heading(m["name"]):
            continue
        first = next(
            (k for k in range(n + 1, min(n + 6, len(lines)) + 1) if lines[k - 1].strip()), None
        )
        if first is None or SECTION.match(lines[first - 1]):
            continue
        last = first
        while last < len(lines) and lines[last].strip() and not SECTION.match(lines[last]):
            last += 1
        label = collapse(" ".join(lines[first - 1 : last]))[:500]
        key = f"beslutning-{len(decisions) + 1}"
        decisions.append(Proposal(key, label, source.span(first, last), "decision"))
    return decisions


IMPORTER = CommitteeCaseImporter()
