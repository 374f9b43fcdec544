"""Synthetic plan documents in the five bundled layouts, for scale benchmarks.

Five documents make a small graph; a municipality's whole archive does not. This
module writes ``scale`` documents per layout (×1 is as many documents as are
bundled, ×1000 is 5,000), each about the size of its real counterpart: Danish-like
prose, the seven departments and invented units, budget codes and kroner amounts,
indicators with baseline/status/target, and initiative titles that recur across
plans of different layouts (drawn from one corpus-wide pool), as the same
initiative does from 2015 to 2019 to 2023.

Every layout writer follows the rules its importer documents (field labels, page
headers, bullet lists, table cells, column widths), so the importers read these
files as they read the real ones. The writers count what they write, and
``manifest.json`` (beside the ``documents`` folder) records per document the goals, initiatives, indicators and
budget items the importer must find; tests/test_scale_generator.py checks that.

The output is a function of ``--seed`` and ``--scale`` only::

    python benchmarks/generate.py OUT_DIR --scale 100 --seed 7
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import textwrap
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

# ---------------------------------------------------------------- vocabulary

DEPARTMENTS = {
    "SOF": "Socialforvaltningen",
    "BUF": "Børne- og Ungdomsforvaltningen",
    "BIF": "Beskæftigelses- og Integrationsforvaltningen",
    "SUF": "Sundheds- og Omsorgsforvaltningen",
    "TMF": "Teknik- og Miljøforvaltningen",
    "ØKF": "Økonomiforvaltningen",
    "KFF": "Kultur- og Fritidsforvaltningen",
}
# Units nobody's registry knows: the builder reports them instead of linking them.
INVENTED_UNITS = (
    "Center for Hverdagsliv",
    "Bostedet Lindegården",
    "Enheden for Tidlig Indsats",
    "Team Overgange",
    "Rådgivningshuset Kløveret",
    "Værkstedet Solsikken",
)
ACTIONS = (
    "Styrkede", "Bedre", "Flere", "Nye", "Fleksible", "Tværfaglige", "Målrettede",
    "Digitale", "Lokale", "Sammenhængende", "Udvidede", "Forenklede", "Trygge", "Tidlige",
    "Helhedsorienterede", "Specialiserede", "Opsøgende", "Forebyggende",
)  # fmt: skip
OBJECTS = (
    "botilbud", "bostøtteforløb", "botræningsforløb", "jobforløb", "fritidstilbud",
    "pårørendekurser", "sagsforløb", "overgangsforløb", "sundhedstilbud", "brobygningsforløb",
    "netværksgrupper", "mentorordninger", "rådgivningstilbud", "aflastningstilbud",
    "dagtilbudspladser", "hjælpemidler", "værestederne", "klubtilbud", "ferieophold",
    "kørselsordninger", "praktikpladser", "læringsforløb", "sansehaver", "idrætstilbud",
    "bofællesskaber", "kontaktpersonordninger",
)  # fmt: skip
SUBJECTS = (
    "borgere med handicap", "unge med autisme", "børn med handicap",
    "voksne med hjerneskade", "borgere med udviklingshæmning", "unge med ADHD",
    "pårørende", "ældre med handicap", "borgere med synshandicap", "borgere med høretab",
    "unge ledige", "familier med børn med handicap", "unge med angst", "borgere med sklerose",
    "børn med talevanskeligheder", "voksne med autisme", "borgere med demens",
)  # fmt: skip
PLACES = (
    "på Amager", "i Valby", "på Nørrebro", "i Sydhavnen", "på Østerbro", "i Bispebjerg",
    "i Vanløse", "i Brønshøj", "på Vesterbro", "i Husum", "i Tingbjerg", "i Ørestad",
    "på Islands Brygge", "i Nordvest", "på Frederiksberg", "i Kongens Enghave", "i Sundby",
)  # fmt: skip
VERBS = (
    "styrke", "udvikle", "udbrede", "afprøve", "forenkle", "samle", "udvide", "forbedre",
)  # fmt: skip
OUTCOMES = (
    "får en mere selvstændig hverdag",
    "oplever større tilfredshed med samarbejdet",
    "kommer tættere på uddannelse og job",
    "deltager i fællesskaber i deres nærmiljø",
    "får hjælp hurtigere og med færre skift",
    "bor i egen bolig med den rette støtte",
    "har et sundere liv med færre indlæggelser",
)
STATUS_SENTENCES = (
    "Indsatsen er i gang og forløber efter planen, og de første erfaringer er samlet op.",
    "Projektet er afsluttet, og indsatsen overgår til almindelig drift fra næste år.",
    "Indsatsen er forsinket, fordi byggeriet er udskudt, men forventes afsluttet senere.",
    "Der arbejdes fortsat med at implementere metoden på de resterende tilbud.",
    "Indsatsen er etableret og evalueres løbende sammen med borgerne og de pårørende.",
    "Forvaltningen har igangsat en afprøvning, som følges tæt af en styregruppe.",
)
SECTION_TOPICS = (
    "Bolig", "Beskæftigelse", "Uddannelse", "Sundhed", "Kultur og fritid", "Tilgængelighed",
    "Pårørende", "Digitalisering", "Overgange", "Fællesskaber", "Hjælpemidler", "Rådgivning",
)  # fmt: skip
GOAL_LABELS = (
    "Mere tillid mellem borgere med handicap og kommunen",
    "Lettere adgang til hjælp",
    "En by der er tilgængelig for flere",
    "Børn og unge med handicap trives bedre i skole og dagtilbud",
    "Flere skal have adgang til beskæftigelse og uddannelse",
    "Hverdagsliv med livskvalitet",
    "Bedre sammenhæng i overgangene mellem tilbud",
    "Et sundt liv for alle uanset funktionsevne",
)
THEMES = (
    "Det gode liv", "Deltagelse", "Netværk", "Skole og uddannelse", "Bolig og hverdag",
    "Sundhed", "Fritid og kultur", "Job og beskæftigelse",
)  # fmt: skip
BUDGET_PREFIXES = ("SO", "HA", "BU", "TV", "SU", "KF")


@dataclass
class Counts:
    """What a writer put in a document, as its importer must report it."""

    goals: int = 0
    initiatives: int = 0
    indicators: int = 0
    budget_items: int = 0


@dataclass
class Entry:
    file: str
    layout: str
    importer: str
    goals: int
    initiatives: int
    indicators: int
    budget_items: int


def key(text: str, limit: int = 60) -> str:
    """The normalised key importers derive from a label (ASCII words, cut at ``limit``).

    Two titles with the same key would be one record to an importer, so each
    document draws titles until their keys differ.
    """
    text = text.lower().replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
    words = re.findall(r"[a-z0-9]+", text)
    out = ""
    for word in words:
        if out and len(out) + 1 + len(word) > limit:
            break
        out = f"{out}-{word}" if out else word
    return out


def amount(rng: random.Random, year: int) -> str:
    """A kroner amount as the plans write it ("12,5 mio. kr. i 2016", "900.000 kr.")."""
    if rng.random() < 0.6:
        return f"{rng.randint(1, 40)},{rng.randint(0, 9)} mio. kr. i {year}"
    return f"{rng.randint(1, 9)}{rng.choice(('00', '50', '25'))}.000 kr."


def sentence(rng: random.Random, subject: str | None = None) -> str:
    """One Danish-like sentence about an initiative, ending with a full stop."""
    subject = subject or rng.choice(SUBJECTS)
    templates = (
        f"Formålet er at {rng.choice(VERBS)} indsatsen, så {subject} {rng.choice(OUTCOMES)}.",
        f"Indsatsen skal {rng.choice(VERBS)} samarbejdet med {subject} og deres netværk.",
        f"Erfaringerne viser, at {subject} {rng.choice(OUTCOMES)}, når støtten gives tidligt.",
        f"Medarbejderne skal {rng.choice(VERBS)} deres faglige viden om {subject}.",
    )
    return rng.choice(templates)


class Titles:
    """Initiative titles: fresh ones, and some from a pool shared by all documents.

    The shared pool is what makes the same initiative recur in plans of
    different layouts and years, which cross-plan linking has to find.
    """

    def __init__(self, rng: random.Random, pool: list[str]) -> None:
        self.rng = rng
        self.pool = pool
        self.used: set[str] = set()

    def fresh(self) -> str:
        r = self.rng
        return (
            f"{r.choice(ACTIONS)} {r.choice(OBJECTS)} for {r.choice(SUBJECTS)} {r.choice(PLACES)}"
        )

    def draw(self, limit: int = 50) -> str:
        """A title whose key (first ``limit`` characters) no earlier title of this document has."""
        while True:
            title = (
                self.rng.choice(self.pool)
                if self.pool and self.rng.random() < 0.2
                else self.fresh()
            )
            if key(title, limit) not in self.used:
                self.used.add(key(title, limit))
                return title


class Lines:
    """A document being written, line by line."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, *lines: str) -> None:
        self.lines.extend(lines)

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def wrap(text: str, width: int) -> list[str]:
    """Wrap without breaking words at hyphens (a line-end hyphen would join words)."""
    return textwrap.wrap(text, width, break_on_hyphens=False, break_long_words=False)


def organisations(rng: random.Random, lead: str | None = None) -> list[str]:
    """One to three departments, the lead first; sometimes an invented unit after them."""
    codes = list(DEPARTMENTS)
    chosen = [lead] if lead else []
    for code in rng.sample(codes, rng.randint(1, 3)):
        if code not in chosen:
            chosen.append(code)
    names = [DEPARTMENTS[code] for code in chosen[:3]]
    if rng.random() < 0.15:
        names.append(rng.choice(INVENTED_UNITS))
    return names


def listing(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " og " + names[-1]


# ---------------------------------------------------------------- Tværgående indsatsplan 2015


def tvaergaaende(rng: random.Random, titles: Titles) -> tuple[str, Counts]:
    """Numbered themes, sections and initiatives on their own pages with six fixed fields.

    The extraction puts an empty line between wrapped lines and a line of blanks
    between paragraphs; every page repeats its theme and section as a header.
    """
    out, counts = Lines(), Counts()
    theme_titles = rng.sample(
        ["Tværgående målsætninger", "Målsætninger for børn og unge", "Målsætninger for voksne",
         "Fælles målsætninger for byen"], rng.randint(3, 4),
    )  # fmt: skip

    def paragraph(text: str) -> None:
        for line in wrap(text, 110):
            out.add(line + " ", "")
        out.add(" ", "")

    for t, theme in enumerate(theme_titles, 1):
        counts.goals += 1
        for s, topic in enumerate(rng.sample(SECTION_TOPICS, rng.randint(2, 4)), 1):
            counts.goals += 1
            for i in range(1, rng.randint(2, 4) + 1):
                counts.initiatives += 1
                title = titles.draw()
                subject = rng.choice(SUBJECTS)
                first, last = sorted(rng.sample(range(2015, 2021), 2))
                out.add(f" {t}. {theme} ", "", f"{t}.{s} {topic} ", "", f"{t}.{s}.{i} {title} ", "")
                out.add("Hvilken målsætning i handicappolitikken understøtter initiativet ", "")
                paragraph(
                    f"Initiativet vedrører {topic.lower()} for {subject}, primært den del af "
                    f"målsætningen der handler om, at {subject} {rng.choice(OUTCOMES)}."
                )
                out.add("Målgruppen for indsatsen ", "")
                paragraph(f"Målgruppen er {subject}, som {rng.choice(OUTCOMES)}. " + sentence(rng))
                out.add("Beskrivelse af initiativ ", "")
                description = " ".join(sentence(rng, subject) for _ in range(rng.randint(2, 4)))
                if rng.random() < 0.4:
                    description += (
                        " Initiativet understøtter Socialudvalgets pejlemærke om, at flere "
                        f"{subject} {rng.choice(OUTCOMES)}."
                    )
                paragraph(description)
                out.add("Ansvarlig forvaltning ", "")
                out.add(listing(organisations(rng)) + " ", "")
                out.add("Tidshorisont ", "")
                paragraph(f"Initiativet løber i perioden {first}-{last} og følges op årligt.")
                out.add("Økonomiske konsekvenser ", "")
                paragraph(
                    rng.choice(
                        (
                            f"Initiativet er finansieret med {amount(rng, first)}.",
                            "Initiativet afholdes inden for den afsatte ramme.",
                            f"Der mangler at blive finansieret {amount(rng, last)}.",
                            "Ingen økonomiske konsekvenser.",
                        )
                    )
                )
                out.add(" ", "")
    return out.text(), counts


# ---------------------------------------------------------------- SOF indsatsplan 2023


def sof_2023(rng: random.Random, titles: Titles) -> tuple[str, Counts]:
    """A slide deck: goal list, overview of priorities with anchors, sections, budget list."""
    out, counts = Lines(), Counts()
    goals = rng.sample(GOAL_LABELS, rng.randint(5, 7))
    counts.goals += len(goals)
    out.add("", "", "Socialforvaltningens indsatsplan under Københavns Kommunes Handicappolitik "
            "for 2023 – 2026", "", "December 2023", "", "Indhold", "")  # fmt: skip
    out.add("Indsatsplanens formål og opbygning – side 4", "")
    for n, goal in enumerate(goals, 1):
        out.add(f"{goal} – side {n + 5}", "")
    out.add("Opfølgning på indsatsplanen – side 13", "")
    out.add("Oversigt over relevante initiativer i budget 2024 – side 14", "")
    out.add("De overordnede målsætninger er:", "")
    out.add(*(f"{n}. {goal}" for n, goal in enumerate(goals, 1)))
    out.add(
        "", "Til hver målsætning knytter sig særlige prioriteringer på tværs af forvaltninger.", ""
    )
    out.add("Oversigt over handicappolitikkens målsætninger og særlige prioriteringer", "")
    priorities: dict[int, list[str]] = {}
    for n, goal in enumerate(goals, 1):
        out.add(f"{n}. {goal}", "")
        priorities[n] = []
        for _ in range(rng.randint(2, 4)):
            label = (
                f"{rng.choice(VERBS).capitalize()} {rng.choice(OBJECTS)} for {rng.choice(SUBJECTS)}"
            )
            codes = rng.sample(list(DEPARTMENTS), rng.randint(1, 3))
            anchor = rng.choices(
                (
                    ", ".join(codes),
                    f"{codes[0]} og de øvrige forvaltninger på deres områder",
                    "alle forvaltninger",
                ),
                weights=(6, 3, 1),
            )[0]
            priorities[n].append(label)
            counts.goals += 1
            out.add(f"{label} ({anchor})", "")
    out.add("")
    for n, goal in enumerate(goals, 1):
        for k in range(1, rng.randint(1, 3) + 1):
            counts.goals += 1
            out.add(f"Målsætning {n}. {goal}", "")
            out.add(f"{n}.{k} {rng.choice(priorities[n])}", "")
            intro = " ".join(sentence(rng) for _ in range(2))
            if rng.random() < 0.2:
                code = f"HA{rng.randint(10, 99)}"
                intro += (
                    f" Området har et prioriteret fokus med investeringsforslaget {code} – "
                    f"{titles.fresh()} (overførselssagen 2024)."
                )
                counts.budget_items += 1
            out.add(intro, "", "Udvalgte initiativer i Socialforvaltningen:", "")
            for _ in range(rng.randint(2, 5)):
                counts.initiatives += 1
                start = rng.randint(2022, 2025)
                out.add(
                    f"- **{titles.draw()}.** {sentence(rng)} "
                    f"Der er en bevilling på {amount(rng, start)} i perioden {start}-{start + 2}."
                )
                if rng.random() < 0.2:
                    counts.initiatives += 1
                    out.add(f" - **{titles.draw()}**, hvor {sentence(rng).lower()}")
            out.add("")
            if rng.random() < 0.3:
                out.add("Forvaltningen har særlig opmærksomhed på:", "")
                out.add(*(f"- {sentence(rng)}" for _ in range(2)), "")
            if rng.random() < 0.35:
                counts.indicators += 1
                measure = f"{rng.choice(OBJECTS)} for {rng.choice(SUBJECTS)}"
                base, target = rng.randint(10, 60), rng.randint(61, 95)
                out.add(f"Socialforvaltningen følger udviklingen i {measure}", "")
                out.add(
                    f'Målet hedder "Flere tilfredse brugere af {measure}", og det følges årligt.'
                )
                out.add(
                    "",
                    f"Data viser, at andelen i 2022 var {base},{rng.randint(0, 9)} pct. "
                    f"og at måltal for 2026 er {target} pct.",
                    "",
                    "Kilde: KPI fra BCH's omstillingsplan.",
                    "",
                )
    out.add("Opfølgning på indsatsplanen", "")
    out.add("Indsatserne følges op i de sammenhænge, hvor de er besluttet.", "")
    out.add("Oversigt over initiativer på handicapområdet i budget 2024 (Socialforvaltningen)", "")
    codes: set[str] = set()
    for _ in range(rng.randint(12, 20)):
        counts.budget_items += 1
        code = f"{rng.choice(BUDGET_PREFIXES)}{rng.randint(10, 99)}"
        while code in codes:
            code = f"{rng.choice(BUDGET_PREFIXES)}{rng.randint(10, 99)}"
        codes.add(code)
        label = titles.fresh()
        roll = rng.random()
        if roll < 0.4:
            out.add(f"- Investeringsinitiativ: {code} (2024) {label}")
        elif roll < 0.9:
            out.add(f"- {code} {label}")
        else:
            out.add(f"- {label}")
    out.add("", "Her kan du læse mere:", "", "[Aftale om budget 2024](#)")
    return out.text(), counts


# ---------------------------------------------------------------- SOF status 2019 (Bilag 1)

BULLET = "\uf076"  # the Wingdings bullet the PDF extraction leaves behind


def sof_status_2019(rng: random.Random, titles: Titles) -> tuple[str, Counts]:
    """Themes with målsætninger and a three-column table printed cell by cell.

    Columns 1 and 2 wrap at 48 characters, column 3 at 84, which is how the
    importer tells them apart; every cell is a finished sentence.
    """
    out, counts = Lines(), Counts()
    themes = rng.sample(THEMES, rng.randint(3, 4))
    out.add(" Bilag 1: Status og oversigt over samtlige indsatser i Indsatsplanen. ", " ")
    out.add(
        "Dette bilag indeholder en status på samtlige indsatser i Socialforvaltningens "
        "indsatsplan. De er kategoriseret efter temaerne: ",
        "",
    )
    out.add(*(f"{n}. {theme} " for n, theme in enumerate(themes, 1)), "", " ")
    rows: list[tuple[str, str]] = []  # (name, first theme) of rows already written
    page = 2
    for number, theme in enumerate(themes):
        counts.goals += 1
        out.add(f" Tema: {theme}  ")
        out.add(*(line + " " for line in wrap(" ".join(sentence(rng) for _ in range(2)), 90)))
        out.add("", "Målsætninger STATUS 2019 ", " ", "")
        for _ in range(rng.randint(4, 7)):
            counts.goals += 1
            goal = (
                f"Vi skal {rng.choice(VERBS)} {rng.choice(OBJECTS)}, så {rng.choice(SUBJECTS)} "
                f"{rng.choice(OUTCOMES)} {rng.choice(PLACES)}."
            )
            lines = wrap(goal, 95)
            out.add(f"{BULLET} {lines[0]} ", *(line + " " for line in lines[1:]), "")
        out.add(" ", "", "Indsatser  Formål og virkning   ")
        for row in range(rng.randint(7, 11)):
            repeat = bool(rows) and number > 0 and rng.random() < 0.1
            if repeat:
                name, first_theme = rng.choice(rows)
                if first_theme == theme:
                    repeat = False
            if not repeat:
                name = titles.draw()
                rows.append((name, theme))
                counts.initiatives += 1
            cell1 = wrap(f"{name}: {sentence(rng)} {sentence(rng)}", 48)
            if repeat or row == 0 or rng.random() < 0.15:
                other = first_theme if repeat else rng.choice(themes)
                cell1.append(f"Fremgår også under {other}.")
            cell2 = wrap(f"{sentence(rng)} {sentence(rng)}", 48)
            status = " ".join(rng.sample(STATUS_SENTENCES, 2))
            if not repeat and rng.random() < 0.1:
                counts.indicators += 1
                target = rng.randint(60, 90)
                status += (
                    f" Mål om {rng.choice(OBJECTS)} for {rng.choice(SUBJECTS)} ({target} %) "
                    f"er nået pr. 1.6.19: {target + rng.randint(1, 9)},{rng.randint(0, 9)} % "
                    "af borgerne har svaret positivt i undersøgelsen."
                )
            if rng.random() < 0.2:
                status += f" Der er afsat {amount(rng, 2019)} til indsatsen."
            out.add(*cell1, "", *cell2, "", *wrap(status, 84), "")
            if rng.random() < 0.15:
                page += 1
                out.add(f"Side {page} af 40 ", " ", "")
    return out.text(), counts


# ---------------------------------------------------------------- BIF indsatsplan 2018


def bif_2018(rng: random.Random, titles: Titles) -> tuple[str, Counts]:
    """Themes, målsætninger and Markdown tables whose cells still hold HTML."""
    out, counts = Lines(), Counts()
    out.add("", "", "Beskæftigelses- og Integrationsforvaltningens indsatsplan for "
            "Handicappolitikken 2018-22", "", "Juni 2018", "", "", "")  # fmt: skip
    goal_keys: set[str] = set()
    header = ("| Aktivitet | Formål | Periode |", "|---|---|--|")
    for t, theme in enumerate(rng.sample(THEMES, rng.randint(3, 4)), 1):
        counts.goals += 1
        for _ in range(rng.randint(2, 4)):
            while True:
                goal = (
                    f"{rng.choice(SUBJECTS).capitalize()} skal have {rng.choice(OBJECTS)} "
                    f"{rng.choice(PLACES)}, så de {rng.choice(OUTCOMES)}."
                )
                if key(goal, 80) not in goal_keys:
                    goal_keys.add(key(goal, 80))
                    break
            counts.goals += 1
            out.add(f"Tema {t} – {theme}", "", f"Målsætning: ”{goal}”", "", *header)
            for row in range(rng.randint(1, 4)):
                if row == 2:  # a page break: the theme and målsætning are printed again
                    out.add("", f"Tema {t} – {theme}", "", f'Målsætning: "{goal}" (fortsat)')
                    out.add("", *header)
                counts.initiatives += 1
                title = titles.draw(80)
                start = rng.randint(2018, 2021)
                others = [DEPARTMENTS[c] for c in rng.sample(["SOF", "SUF", "BUF", "KFF"], 2)]
                roll = rng.random()
                if roll < 0.4:
                    activity = f"{title}. BIF samarbejder med {listing(others)} om indsatsen."
                elif roll < 0.8:
                    activity = (
                        f"<p>{title}. {sentence(rng)}</p> <p>Jobcenter København og "
                        f"{others[0]} deltager.</p>"
                    )
                else:
                    activity = (
                        f"<p>{title}. Af indsatser kan nævnes:</p> <ul> • {sentence(rng)} "
                        f"• {sentence(rng)}"
                    )
                purpose = f"<p>At {rng.choice(SUBJECTS)} {rng.choice(OUTCOMES)}.</p>"
                period = rng.choice(
                    (f"{start} – {start + 2}", f"Igangværende indsats frem til {start + 1}",
                     "Igangværende indsats – ingen slutdato")
                )  # fmt: skip
                out.add(f"| {activity} | {purpose} | {period} |")
            out.add("")
    out.add("Midtvejsstatus", "")
    out.add(
        "- Midt 2020 vil Beskæftigelses- og Integrationsforvaltningen udarbejde en "
        "midtvejsstatus på indsatsplanen",
        "- Forvaltningen vil i den forbindelse vurdere, om der er behov for en revidering.",
    )
    return out.text(), counts


# ---------------------------------------------------------------- Socialudvalgets pejlemærker 2014

ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def _value(rng: random.Random, percent: bool) -> str:
    if rng.random() < 0.2:
        return "-"
    if percent:
        return f"{rng.randint(5, 95)},{rng.randint(0, 9)}%"
    number = rng.randint(40, 12000)
    return f"{number // 1000}.{number % 1000:03d}" if number >= 1000 else str(number)


def sud_pejlemaerker_2014(rng: random.Random, titles: Titles) -> tuple[str, Counts]:
    """Overview of benchmarks with scores, then one section per benchmark.

    A section holds a tab-separated delmål table (baseline, status, target),
    reasons, activities and the budget proposals (a proposal may support
    several benchmarks; it is one budget item).
    """
    out, counts = Lines(), Counts()
    benchmarks = [
        f"Flere {rng.choice(SUBJECTS)} {rng.choice(OUTCOMES)}" for _ in range(rng.randint(7, 10))
    ]
    counts.goals = len(benchmarks)
    out.add(" ", "", "Socialudvalgets politiske PEJLEMÆRKER 2014-2017", "", "Bilag I", "")
    out.add("Status på Socialudvalgets pejlemærker, 2014", "", "Læsevejledning", "")
    out.add("Tabellerne nedenfor viser delmål med baseline (2013), status (2014) og mål.", "")
    tables: list[list[str]] = []
    for _ in benchmarks:
        rows = []
        for letter in "ABCDEFG"[: rng.randint(2, 6)]:
            percent = rng.random() < 0.5
            label = f"{letter}. Flere {rng.choice(SUBJECTS)} får {rng.choice(OBJECTS)} i 2017"
            values = "\t".join(_value(rng, percent) for _ in range(3))
            if rng.random() < 0.15:
                rows.append(f"{label}\t\t\t\t")
                for sub in (1, 2):
                    sub_label = f"{letter}{sub}. {rng.choice(SUBJECTS).capitalize()}"
                    rows.append(f"\t{sub_label}\t{values}")
            else:
                rows.append(f"{label}\t{values}\t")
        counts.indicators += sum(1 for row in rows if re.search(r"(^|\t)[A-G]\d?\. ", row))
        tables.append(rows)
    out.add("Pejlemærke\tSamlet pejlemærkestatus 0 = Baseline 5 = Mål\tDelmål\tBaseline (2013)"
            "\tStatus (2014)\tMål 2017\t")  # fmt: skip
    for n, (benchmark, rows) in enumerate(zip(benchmarks, tables, strict=True), 1):
        score = rng.choice(
            (f"{rng.randint(0, 3)},{rng.randint(0, 9)}", "0 (kun baseline-målinger)")
        )
        out.add(f"{n}. {benchmark}\t{score}\t{rows[0].lstrip(chr(9))}")
        out.add(*(f"\t\t{row.lstrip(chr(9))}" for row in rows[1:]))
    out.add("")
    codes: list[str] = []
    for n, (benchmark, rows) in enumerate(zip(benchmarks, tables, strict=True), 1):
        number = ROMAN[n - 1] if n <= len(ROMAN) and rng.random() < 0.7 else str(n)
        out.add(f"{number}. {benchmark}", "")
        out.add("Delmål\tBaseline (2013)\tStatus (2014)\tMål 2017\tSamlet pejlemærkestatus ¹")
        out.add(*rows, "", "Årsager til status/udvikling", "", sentence(rng), "")
        out.add(f"- {sentence(rng)}", "", "Aktiviteter der skal understøtte pejlemærket", "")
        out.add("En række initiativer er igangsat, eksempelvis:", "")
        for _ in range(rng.randint(3, 8)):
            counts.initiatives += 1
            start = rng.randint(2014, 2016)
            out.add(
                f"- {titles.draw(80)}: {sentence(rng)} Det sker i perioden {start}-{start + 3}."
            )
        out.add("", "Følgende budgetforslag vil understøtte målene i pejlemærket:", "")
        for _ in range(rng.randint(1, 3)):
            if codes and rng.random() < 0.2:
                code = rng.choice(codes)
            else:
                code = f"{rng.choice(('Ø', 'SI', 'SO'))}{rng.randint(100, 399)}"
                if code not in codes:
                    codes.append(code)
            out.add(f"- {code}: {titles.fresh()}. Forslaget indgår i budget 2015.")
        out.add("")
    counts.budget_items = len(codes)
    return out.text(), counts


# ---------------------------------------------------------------- the corpus

Writer = Callable[[random.Random, Titles], tuple[str, Counts]]
LAYOUTS: dict[str, tuple[Writer, str]] = {
    "tvaergaaende-indsatsplan": (tvaergaaende, "tvaergaaende-2015"),
    "sof-indsatsplan": (sof_2023, "sof-indsatsplan-2023"),
    "sof-indsatsplan-status": (sof_status_2019, "sof-status-2019"),
    "bif-indsatsplan": (bif_2018, "bif-indsatsplan-2018"),
    "sud-pejlemaerker": (sud_pejlemaerker_2014, "sud-pejlemaerker-2014"),
}


@dataclass
class Manifest:
    seed: int
    scale: int
    documents: list[Entry] = field(default_factory=list)

    def totals(self) -> dict[str, int]:
        return {
            name: sum(getattr(entry, name) for entry in self.documents)
            for name in ("goals", "initiatives", "indicators", "budget_items")
        }


def shared_pool(seed: int, scale: int) -> list[str]:
    """Initiative titles that recur across plans: ten per scale unit."""
    rng = random.Random(f"pool-{seed}")
    titles = Titles(rng, [])
    return [titles.draw() for _ in range(10 * scale)]


def generate(folder: Path, scale: int, seed: int = 1) -> Manifest:
    """Write ``scale`` documents per layout into ``folder/documents``, counts into the manifest.

    The manifest sits beside the documents, not among them, so the folder of
    documents can be given to ``indsatsgraf build`` as it is.
    """
    documents = folder / "documents"
    documents.mkdir(parents=True, exist_ok=True)
    pool = shared_pool(seed, scale)
    manifest = Manifest(seed, scale)
    for index in range(1, scale + 1):
        for layout, (writer, importer) in LAYOUTS.items():
            rng = random.Random(f"{seed}-{layout}-{index}")
            text, counts = writer(rng, Titles(rng, pool))
            name = f"{layout}-{index:04d}.txt"
            (documents / name).write_text(text, encoding="utf-8")
            manifest.documents.append(Entry(name, layout, importer, **asdict(counts)))
    (folder / "manifest.json").write_text(
        json.dumps(
            {
                "seed": seed,
                "scale": scale,
                "totals": manifest.totals(),
                "documents": [asdict(e) for e in manifest.documents],
            },
            indent=1,
            ensure_ascii=False,
        )
        + "\n",
        encoding="utf-8",
    )
    return manifest


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="where to write the documents")
    parser.add_argument("--scale", type=int, default=1, help="documents per layout (default 1)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    args = parser.parse_args(argv)
    manifest = generate(args.folder, args.scale, args.seed)
    totals = manifest.totals()
    print(
        f"wrote {len(manifest.documents)} documents to {args.folder}: "
        + ", ".join(f"{v} {k.replace('_', ' ')}" for k, v in totals.items())
    )


if __name__ == "__main__":
    main(sys.argv[1:])
