"""Resolve the explicit references in the texts to the things they name.

The builder keeps each reference as an ``ig:Reference`` node with its words
("flere udsatte københavnere har en bolig", "Netværk", "spor 6"). Once every
document is imported they can be resolved across documents, into the links
graph:

* "understøtter Socialudvalgets pejlemærke om, at …" → the benchmark(s) of a
  benchmark document whose period covers the plan's year (ig:supports too);
* "Fremgår også under X" → the theme X of the same document;
* budget codes ("HA01 (2024)") → the budget item with that code (and year);
  a code named in another document's prose (a committee case's "HA01 (2024)")
  is that same budget item: its mention gets ``ig:mentionOf`` the item and the
  case's own budget item an ``ig:crossReference`` to it;
  an initiative named like a budget item of its own document ("Tæt på
  familien" / "Ø401: Tæt på familien (…)") is funded by it;
* "spor N i Socialforvaltningens Boligplan" and the tracks ("sporet …") of
  Borgercenter Handicap's omstillingsplan → ig:Programme / ig:ProgrammeTrack
  resources that initiatives (and budget items) ig:supports.

Every resolved reference node gets ``ig:resolvesTo`` so the words it was
resolved from stay next to the answer.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from pyoxigraph import Literal, NamedNode, Quad

from ..importers import records as r
from .builder import SourceFile, record_iri, reference_iri
from .similarity import Weights, fold, token_similarity, tokens
from .vocabulary import DCTERMS, LINKS_GRAPH, RDF, RDFS, data_iri, ig, slug

Documents = Sequence[tuple[SourceFile, r.ImportResult]]
A = NamedNode(RDF + "type")
LABEL = NamedNode(RDFS + "label")
PART_OF = NamedNode(DCTERMS + "isPartOf")
BOLIGPLAN = "Socialforvaltningens Boligplan"
TRACK = re.compile(r"[Ss]poret\s+[\"“”']([^\"“”']+)[\"“”']")
PROGRAMME_NAME = re.compile(r"((?:Borgercenter|Center)\s+\w+s\s+omstillingsplan)")
BUDGET_CODE = re.compile(r"^([A-ZÆØÅ]{1,3}(?:/[A-ZÆØÅ]{1,3})?\d{2,3}[a-z]?)(?:\s*\((\d{4})\))?")
BENCHMARK_MATCH = 0.3  # share of a benchmark's (weighted) words a reference must name


class Resolver:
    """Collects the quads of the links graph for all resolved references."""

    def __init__(self, documents: Documents) -> None:
        self.documents = documents
        self.quads: list[Quad] = []
        self.benchmarks = [
            (source, result.document, goal)
            for source, result in documents
            if result.document.kind == "benchmark-status"
            for goal in result.goals
            if goal.kind == "benchmark"
        ]
        # Each benchmark's words and their weight, once: every reference is scored against all.
        self.wanted = [tokens(goal.label) for _, _, goal in self.benchmarks]
        self.weight = Weights(self.wanted)
        self.totals = [sum(self.weight(t) for t in wanted) for wanted in self.wanted]
        self.current_benchmark_documents = reports_in_force(
            [(source.slug, doc) for source, doc, _ in self.benchmarks]
        )
        self.benchmarks_of: dict[str, list[int]] = {}
        for index, (source, _, _) in enumerate(self.benchmarks):
            self.benchmarks_of.setdefault(source.slug, []).append(index)
        self.boligplan_texts = [
            ref.text
            for _, result in documents
            for item in result.initiatives
            for ref in item.cross_references
            if ref.kind == "boligplan-spor"
        ]

    def add(self, s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        self.quads.append(Quad(s, p, o, LINKS_GRAPH))

    def supports(self, s: NamedNode, target: NamedNode) -> None:
        """``ig:supports`` and ``ig:contributesTo`` a referenced benchmark or programme track.

        What a reference points to is a top-level goal, so what it supports is
        all it contributes to (the builder writes the closure within a document).
        """
        self.add(s, ig("supports"), target)
        self.add(s, ig("contributesTo"), target)

    def resolved(self, subject: NamedNode, node: NamedNode, target: NamedNode) -> None:
        self.add(subject, ig("crossReference"), target)
        self.add(node, ig("resolvesTo"), target)

    # -- benchmarks -----------------------------------------------------------
    def benchmarks_for(self, words: str, year: int | None) -> list[NamedNode]:
        """Benchmarks of a covering period whose words the reference names; best first."""
        said = tokens(words)
        matches: dict[str, float] = {}

        def best(word: str) -> float:
            """How well the reference says ``word`` (benchmarks share most of their words)."""
            if word not in matches:
                matches[word] = max((token_similarity(word, s) for s in said), default=0)
            return matches[word]

        scored = []
        current = self.current_benchmark_documents(year)
        for document_slug in sorted(current, key=lambda d: self.benchmarks_of[d][0]):
            for index in self.benchmarks_of[document_slug]:
                if found := self._score(index, best):
                    scored.append(found)
        if not scored:
            return []
        best_score = max(score for score, _ in scored)
        return [
            iri for score, iri in sorted(scored, key=lambda x: -x[0]) if score >= 0.6 * best_score
        ]

    def _score(self, index: int, best: Callable[[str], float]) -> tuple[float, NamedNode] | None:
        """The benchmark's score and IRI if the reference names enough of its words."""
        source, _, goal = self.benchmarks[index]
        wanted, total = self.wanted[index], self.totals[index]
        hit = sum(self.weight(t) * best(t) for t in wanted)
        if total and hit / total >= BENCHMARK_MATCH:
            return hit / total, record_iri(source.slug, "goal", goal.key)
        return None

    # -- programmes -----------------------------------------------------------
    def track(self, programme: str, track: str, label: str, plan: NamedNode) -> NamedNode:
        """The IRI of a programme's track, writing both resources."""
        programme_iri = data_iri("programme", slug(programme))
        track_iri = data_iri("programme", slug(programme), slug(track))
        self.add(programme_iri, A, ig("Programme"))
        self.add(programme_iri, LABEL, Literal(programme, language="da"))
        self.add(programme_iri, ig("describedIn"), plan)
        self.add(programme_iri, ig("hasTrack"), track_iri)
        self.add(track_iri, A, ig("ProgrammeTrack"))
        self.add(track_iri, LABEL, Literal(label, language="da"))
        self.add(track_iri, PART_OF, programme_iri)
        self.add(track_iri, ig("describedIn"), plan)
        return track_iri

    def boligplan_track(self, number: str, plan: NamedNode) -> NamedNode:
        """Track N of the Boligplan, labelled with what any text says it is about."""
        pattern = rf"spor {re.escape(number)} om ([^,.;]+?)(?:,|\s+samt\b|\.|;|$)"
        about = next((m for t in self.boligplan_texts if (m := re.search(pattern, t))), None)
        label = f"Spor {number}" + (f": {about.group(1).strip()}" if about else "")
        return self.track(BOLIGPLAN, f"spor-{number}", label, plan)

    # -- per document ---------------------------------------------------------
    def document(self, source: SourceFile, result: r.ImportResult) -> None:
        plan = data_iri("plan", source.slug)
        themes = {fold(g.label): g for g in result.goals if g.kind == "theme"}
        own_budget = {fold(_name(b.label)): b for b in result.budget_items}
        for item in result.initiatives:
            node = record_iri(source.slug, "initiative", item.key)
            for n, ref in enumerate(item.cross_references, 1):
                reference = reference_iri(source.slug, item.key, n)
                if ref.kind == "benchmark":
                    for benchmark in self.benchmarks_for(ref.target, result.document.year):
                        self.resolved(node, reference, benchmark)
                        self.supports(node, benchmark)
                elif ref.kind == "theme" and fold(ref.target) in themes:
                    theme = themes[fold(ref.target)]
                    self.resolved(node, reference, record_iri(source.slug, "goal", theme.key))
                elif ref.kind == "boligplan-spor":
                    track = self.boligplan_track(ref.target, plan)
                    self.resolved(node, reference, track)
                    self.supports(node, track)
                elif ref.kind == "omstillingsplan-spor":
                    track = self.track(_programme(ref.text), ref.target, ref.target, plan)
                    self.resolved(node, reference, track)
                    self.supports(node, track)
                elif ref.kind == "budget-code":
                    for budget in self.budget_items(ref.target):
                        self.resolved(node, reference, budget)
                        self.add(node, ig("fundedBy"), budget)
            own_codes = {b.code for b in result.budget_items if b.code}
            for code in item.budget_codes:
                if code not in own_codes:
                    for budget in self.budget_items(code):
                        self.add(node, ig("fundedBy"), budget)
            if fold(item.label) in own_budget:
                budget = own_budget[fold(item.label)]
                self.add(node, ig("fundedBy"), record_iri(source.slug, "budget", budget.key))
        self.tracks_in_goals(source, result, plan)
        self.named_budget_codes(source, result)

    def named_budget_codes(self, source: SourceFile, result: r.ImportResult) -> None:
        """A budget code named in prose is the budget item of that code in the other documents.

        The document's own item of the code (a committee case keeps one for each
        code it names in a budget context) points to it as well, so a query can
        go from a case to the plan that holds the item, or back.
        """
        own = {item.code: item for item in result.budget_items if item.code}
        for n, mention in enumerate(result.mentions, 1):
            if mention.kind != "budget-code" or not mention.value:
                continue
            written = f"{mention.value} ({mention.year})" if mention.year else mention.value
            for target in self.budget_items(written, besides=source.slug, strict=True):
                self.add(data_iri(source.slug, "mention", str(n)), ig("mentionOf"), target)
                if mention.value in own:
                    item = record_iri(source.slug, "budget", own[mention.value].key)
                    self.add(item, ig("crossReference"), target)

    def tracks_in_goals(self, source: SourceFile, result: r.ImportResult, plan: NamedNode) -> None:
        """'sporet "X" i … omstillingsplan' in a goal's text: the goal and its initiatives serve X."""
        served: dict[str, list[NamedNode]] = {}
        for goal in result.goals:
            for sentence in re.split(r"(?<=[.!?])\s+", goal.span.quote):
                programme = PROGRAMME_NAME.search(sentence)
                for match in TRACK.finditer(sentence):
                    if not programme:
                        continue
                    name = match.group(1).strip()
                    track = self.track(programme.group(1), name, name, plan)
                    self.add(record_iri(source.slug, "goal", goal.key), ig("crossReference"), track)
                    served.setdefault(goal.key, []).append(track)
                    for budget in result.budget_items:
                        if fold(budget.label).startswith(fold(name)):
                            self.supports(record_iri(source.slug, "budget", budget.key), track)
        for item in result.initiatives:
            for goal_key in item.goals:
                for track in served.get(goal_key, []):
                    self.supports(record_iri(source.slug, "initiative", item.key), track)

    def budget_items(
        self, written: str, besides: str | None = None, strict: bool = False
    ) -> list[NamedNode]:
        """Budget items with the code written (and its year, if written: "HA01 (2024)").

        ``besides`` leaves out one document's own items (by its slug). ``strict``
        keeps a written year from matching an item of another budget year, or of
        none: a code is reused every budget year for a new proposal (HA01 of
        budget 2026 is another proposal than HA01 of budget 2024, or than the
        HA01 a plan names without its year).
        """
        match = BUDGET_CODE.match(written.strip())
        if not match:
            return []
        code, year = match.group(1), int(match.group(2)) if match.group(2) else None
        found = [
            (source, item)
            for source, result in self.documents
            if source.slug != besides
            for item in result.budget_items
            if item.code == code
        ]
        dated = [(s, i) for s, i in found if year is not None and i.budget_year == year]
        if strict and year is not None:
            found = dated
        return [record_iri(s.slug, "budget", i.key) for s, i in (dated or found)]


def reports_in_force(documents: list[tuple[str, r.Document]]) -> Callable[[int | None], set[str]]:
    """Which benchmark documents a plan of a given year refers to, as a function of the year.

    A plan's "Socialudvalgets pejlemærke om …" means the benchmarks in force
    when it was written: of each benchmark period covering its year, the
    status document published last in or before that year (else the first
    one after it). Several status reports on the same period describe the same
    benchmarks again; resolving to all of them would write one link per report
    (quadratic in an archive of yearly reports), and the correspondence links
    already join the repetitions. Documents without a period are always
    candidates. Without a plan year, every period's latest document counts.
    """
    periods: dict[tuple[int, int, str], list[tuple[int, int, str]]] = {}
    for order, (document_slug, doc) in enumerate(dict(documents).items()):
        has_period = bool(doc.start_year and doc.end_year)
        key = (doc.start_year, doc.end_year, "") if has_period else (0, 0, document_slug)
        periods.setdefault(key, []).append((doc.year or 0, order, document_slug))
    chosen: dict[int | None, set[str]] = {}

    def current(year: int | None) -> set[str]:
        if year not in chosen:
            slugs = set()
            for (start, end, _), published in periods.items():
                if year and start and not start <= year <= end:
                    continue
                before = [p for p in published if not year or p[0] <= year]
                # Latest in or before the year (first listed among equals), else the first after.
                pick = max(before, key=lambda p: (p[0], -p[1])) if before else min(published)
                slugs.add(pick[2])
            chosen[year] = slugs
        return chosen[year]

    return current


def _name(label: str) -> str:
    """A budget item's name without its explanation in brackets."""
    return re.sub(r"\s*\(.*\)\s*$", "", label)


def _programme(text: str) -> str:
    found = PROGRAMME_NAME.search(text)
    return found.group(1) if found else "Omstillingsplan"


def reference_quads(documents: Documents) -> list[Quad]:
    """All resolved references of all documents, in document order, without repeats."""
    resolver = Resolver(documents)
    for source, result in documents:
        resolver.document(source, result)
    return list(dict.fromkeys(resolver.quads))
