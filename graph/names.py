"""Naming things and plans: the one resolver behind every command that takes a name.

A planner names a thing the way the documents do: its number ("2.1.5"), its code
("SOF", "HA01") or its label ("Familiehus"), or by the IRI that ``show`` prints,
full or compact ("id:tvaergaaende-indsatsplan-2015/goal/2.1"). The same words must
mean the same thing in ``show``, query parameters, ``viz --focus``, ``analyze path``
and ``links accept|reject``; a name that means several things is an error that
lists them, never a silent pick.

A name that is not an IRI is ranked, case-insensitively and with spaces collapsed:

1. a notation (number or code) equal to the name,
2. a label equal to it,
3. a label that starts with it,
4. a label that contains it.

Within the best rank, initiatives and goals (themes, priorities, benchmarks) come
before other things, and those before organisations: "Familiehus" is the
initiative, not the unit of the same name. Several things left at the best rank
and kind make an :class:`AmbiguousName` that lists them with kind, plan and IRI.
``PLAN:NAME`` (e.g. ``2015:2.1``) looks only in that plan.

A plan is named by its IRI, its file name, its slug (the file name without
``.txt``), its year or years ("2015", "2018-2022"), part of its file name
("sof-indsatsplan"), or words of its title ("tværgående"); the first of these
that matches decides.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from ..errors import IndsatsgrafError
from .describe import compact
from .query_files import query_file
from .vocabulary import ID, IG, KIND_ORDER, PREFIXES

Value = str | int | float | bool | None
Select = Callable[[str, Mapping[str, ox.NamedNode | ox.Literal]], list[dict[str, Value]]]

#: What a planner usually means by a name: what plans promise, then organisations last.
FIRST_KINDS = frozenset({"Initiative", "Goal", "Theme", "Priority", "Benchmark"})
LAST_KINDS = frozenset({"Department", "PoliticalBody", "Partner", "Unit", "Organisation"})
#: Bookkeeping nodes that carry no name of their own.
UNNAMED_CLASSES = frozenset({IG + "SourceSpan", IG + "Correspondence"})
SHOWN_CANDIDATES = 20


class UnresolvedName(IndsatsgrafError):
    """A name that picks out no single thing or plan; the message says what it could mean."""


class UnknownName(UnresolvedName):
    """Nothing in the graph goes by the name."""


class AmbiguousName(UnresolvedName):
    """Several things (or plans) go by the name equally well."""

    def __init__(self, message: str, candidates: list[Thing] | list[Plan]) -> None:
        super().__init__(message)
        self.candidates = candidates


@dataclass(frozen=True)
class Plan:
    iri: str
    file_name: str
    title: str
    years: tuple[int, ...] = ()  # the plan's year, then its first and last year when given
    start: int | None = None
    end: int | None = None

    @property
    def slug(self) -> str:
        return self.iri.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Thing:
    iri: str
    kind: str
    label: str = ""
    notation: str = ""
    plan: str = ""  # the IRI of the plan that describes it (a plan's own IRI for a plan)


@dataclass
class _Facts:
    """What the candidate queries return about one thing, gathered over its rows."""

    iri: str
    classes: set[str] = field(default_factory=set)
    labels: set[str] = field(default_factory=set)
    notations: set[str] = field(default_factory=set)
    plans: set[str] = field(default_factory=set)

    @property
    def kind(self) -> str:
        for kind, iri in KIND_ORDER:
            if iri in self.classes:
                return kind
        return min(self.classes).rsplit("#", 1)[-1].rsplit("/", 1)[-1]

    def thing(self) -> Thing:
        plan = self.iri if self.kind == "Plan" else min(self.plans, default="")
        return Thing(
            self.iri, self.kind, min(self.labels, default=""), min(self.notations, default=""), plan
        )


def _normal(text: str) -> str:
    return " ".join(text.split()).casefold()


def expand(text: str) -> str | None:
    """The IRI that ``text`` writes out (full, ``<…>`` or compact such as ``id:…``), else None."""
    text = text.strip().removeprefix("<").removesuffix(">") if text.startswith("<") else text
    if re.fullmatch(r"https?://\S+", text):
        return text
    compact = re.fullmatch(r"([a-z][a-z0-9]*):(\S+)", text)
    if compact and compact.group(1) in PREFIXES:
        return PREFIXES[compact.group(1)] + compact.group(2)
    return None


def _rank(name: str, facts: _Facts) -> tuple[int, int] | None:
    """(match rank, kind rank) of one candidate for ``name``; lower is better; None: no match."""
    wanted = _normal(name)
    labels = [_normal(label) for label in facts.labels]
    if any(_normal(n) == wanted for n in facts.notations):
        rank = 1
    elif wanted in labels:
        rank = 2
    elif any(label.startswith(wanted) for label in labels):
        rank = 3
    elif any(wanted in label for label in labels):
        rank = 4
    else:
        return None
    kind = facts.kind
    return rank, 0 if kind in FIRST_KINDS else 2 if kind in LAST_KINDS else 1


def _years_match(wanted: str, plan: Plan) -> bool:
    """Whether ``wanted`` is one of the plan's years, or its period ("2018-2022", "2018-22")."""
    match = re.fullmatch(r"(\d{4})(?:\s*[-–]\s*(\d{2}|\d{4}))?", wanted)
    if not match:
        return False
    first, last = int(match.group(1)), match.group(2)
    if last is None:
        return first in plan.years
    if plan.start != first or plan.end is None:
        return False
    return str(plan.end).endswith(last) if len(last) == 2 else plan.end == int(last)


def match_plans(plans: Iterable[Plan], text: str) -> list[Plan]:
    """The plans ``text`` names at the first way of naming that matches any (see module doc)."""
    plans = list(plans)
    wanted = _normal(text)
    if not wanted:
        return []
    iri = expand(text.strip())
    words = wanted.split()
    tests: list[Callable[[Plan], bool]] = [
        lambda p: p.iri == iri,
        lambda p: wanted in (p.file_name.casefold(), p.slug, _normal(p.title)),
        lambda p: _years_match(wanted, p),
        lambda p: wanted in p.file_name.casefold(),
        lambda p: all(
            any(w.startswith(word) for w in re.findall(r"\w+", p.title.casefold()))
            for word in words
        ),
    ]
    for test in tests:
        hits = [p for p in plans if test(p)]
        if hits:
            return hits
    return []


class Names:
    """Resolves names against one graph: the embedded store or a SPARQL endpoint."""

    def __init__(self, select: Select) -> None:
        self._select = select
        self._plans: list[Plan] | None = None

    @classmethod
    def of_store(cls, store: ox.Store) -> Names:
        from .sparql import python_value, with_values

        def select(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> list:
            answer = store.query(with_values(text, dict(bindings)), use_default_graph_as_union=True)
            names = [v.value for v in answer.variables]
            return [{v: python_value(row[v]) for v in names} for row in answer]

        return cls(select)

    @classmethod
    def at_endpoint(cls, endpoint: str, timeout: float) -> Names:
        from .sparql import QueryText, run_remote

        def select(text: str, bindings: Mapping[str, ox.NamedNode | ox.Literal]) -> list:
            query = QueryText(text, "<names>")
            return run_remote(endpoint, query, dict(bindings), timeout=timeout).rows

        return cls(select)

    # -- plans ---------------------------------------------------------------------------

    def plans(self) -> list[Plan]:
        """Every plan in the graph, by file name."""
        if self._plans is None:
            self._plans = _gather_plans(self._select(query_file(__package__, "plans"), {}))
        return self._plans

    def plans_named(self, text: str) -> list[Plan]:
        """Every plan ``text`` names (a filter may name several at once), or UnknownName."""
        hits = match_plans(self.plans(), text)
        if not hits:
            raise UnknownName(f"no plan matches {text!r}; the plans are:\n{self._plan_list()}")
        return hits

    def plan(self, text: str) -> Plan:
        """The one plan ``text`` names; UnknownName or AmbiguousName list the plans."""
        named = self._plan_by_file(text)
        if named is not None:
            return named
        hits = self.plans_named(text)
        if len(hits) > 1:
            raise AmbiguousName(
                f"{text!r} matches {len(hits)} plans; name one by its file name or year:\n"
                + self._plan_list(hits),
                hits,
            )
        return hits[0]

    def _plan_by_file(self, text: str) -> Plan | None:
        """The plan whose file name ``text`` is, read alone rather than among every plan.

        A file name is the second way of naming a plan (module doc); only an IRI
        comes first, and no IRI or title ends in ``.txt``. None sends the name
        through the full list, which also names the plans when nothing matches.
        """
        value = text.strip()
        if not value.endswith(".txt") or self._plans is not None:
            return None
        rows = self._select(query_file(__package__, "plan-by-file"), {"file": ox.Literal(value)})
        hits = [p for p in _gather_plans(rows) if p.file_name.casefold() == _normal(text)]
        return hits[0] if len(hits) == 1 else None

    def plan_qualifier(self, plan: Plan) -> str:
        """The shortest way to name ``plan``: a year that names no other plan, else its slug."""
        for year in plan.years:
            if match_plans(self.plans(), str(year)) == [plan]:
                return str(year)
        return plan.slug

    def _plan_list(self, plans: Iterable[Plan] | None = None) -> str:
        chosen = self.plans() if plans is None else plans
        return "\n".join(f"  {p.file_name}  ({self.plan_qualifier(p)}: {p.title})" for p in chosen)

    def _plan_file(self, iri: str) -> str:
        return next((p.file_name for p in self.plans() if p.iri == iri), iri)

    # -- things --------------------------------------------------------------------------

    def thing(self, text: str) -> Thing:
        """The one thing ``text`` names (see the module doc for the ranking)."""
        name = " ".join(text.split())
        if not name:
            raise UnknownName(
                "give a name: a number, code, label or IRI (e.g. 2.1.5, SOF, Familiehus)"
            )
        iri = expand(name)
        if iri is None and re.fullmatch(r"[\w.-]+(?:/[\w.%-]+)+", name):
            iri = ID + name  # the part after …/id/, as `links` prints it
            found = self._facts(iri)
            if found is not None:
                return found
        elif iri is not None:
            found = self._facts(iri)
            if found is None:
                raise UnknownName(f"the graph holds nothing with the IRI {iri}")
            return found
        plan, rest = self._qualified(name)
        if plan is None:
            return self._by_name(name)
        try:
            return self._by_name(rest, plan)
        except UnknownName as in_plan:
            try:  # a label with a colon of its own, such as "Bilag 1: Status …"
                return self._by_name(name)
            except UnknownName:
                raise in_plan from None

    def _facts(self, iri: str) -> Thing | None:
        rows = self._select(query_file(__package__, "thing-facts"), {"thing": ox.NamedNode(iri)})
        gathered = _gather(rows)
        return gathered[iri].thing() if iri in gathered else None

    def _qualified(self, name: str) -> tuple[Plan | None, str]:
        """``PLAN:NAME`` split into the plan and the name, when the part before ``:`` is one plan."""
        left, colon, rest = name.partition(":")
        if not colon or not left.strip() or not rest.strip():
            return None, name
        plans = match_plans(self.plans(), left)
        return (plans[0], rest.strip()) if len(plans) == 1 else (None, name)

    def _by_name(self, name: str, plan: Plan | None = None) -> Thing:
        rows = self._select(
            query_file(__package__, "thing-candidates"), {"text": ox.Literal(_normal(name))}
        )
        ranked: list[tuple[tuple[int, int], _Facts]] = []
        for facts in _gather(rows).values():
            if plan is not None and plan.iri not in facts.plans and facts.iri != plan.iri:
                continue
            rank = _rank(name, facts)
            if rank is not None:
                ranked.append((rank, facts))
        where = f" in {plan.file_name}" if plan else ""
        if not ranked:
            raise UnknownName(
                f"nothing in the graph{where} matches {name!r} (give a number, code, label or IRI)"
            )
        best = min(rank for rank, _ in ranked)
        top = sorted((facts.thing() for rank, facts in ranked if rank == best), key=_order)
        if len(top) == 1:
            return top[0]
        raise AmbiguousName(self._ambiguity(name, top), top)

    def _ambiguity(self, name: str, things: list[Thing]) -> str:
        """The candidates, each with the words that name it alone."""
        per_plan: dict[str, int] = {}
        for thing in things:
            per_plan[thing.plan] = per_plan.get(thing.plan, 0) + 1
        plans = {p.iri: p for p in self.plans()}
        lines = []
        for thing in things[:SHOWN_CANDIDATES]:
            plan = plans.get(thing.plan)
            if plan is not None and per_plan[thing.plan] == 1:
                choice = f"{self.plan_qualifier(plan)}:{name}"
            else:
                choice = compact(thing.iri)
            label = thing.label if len(thing.label) <= 60 else thing.label[:59] + "…"
            lines.append(
                f"  {choice}\n      {thing.kind}, {plan.file_name if plan else 'no plan'}: "
                f"{' '.join(filter(None, (thing.notation, label)))} <{thing.iri}>"
            )
        more = len(things) - SHOWN_CANDIDATES
        if more > 0:
            lines.append(f"  … and {more} more")
        return (
            f"{name!r} names {len(things)} things equally well; choose one by giving it "
            "as listed (PLAN:NAME or its IRI):\n" + "\n".join(lines)
        )


def _gather_plans(rows: Iterable[dict[str, Value]]) -> list[Plan]:
    """Plans from rows of plans.rq (a plan per row per year it has), in the rows' order."""
    found: dict[str, dict] = {}
    for row in rows:
        entry = found.setdefault(str(row["plan"]), {"years": []})
        for key in ("file", "title", "start", "end"):
            if row[key] is not None:
                entry.setdefault(key, row[key])
        for key in ("year", "start", "end"):
            if isinstance(row[key], int) and row[key] not in entry["years"]:
                entry["years"].append(row[key])
    return [
        Plan(
            iri,
            str(e.get("file") or iri.rsplit("/", 1)[-1]),
            str(e.get("title") or ""),
            tuple(e["years"]),
            e.get("start"),
            e.get("end"),
        )
        for iri, e in found.items()
    ]


def _order(thing: Thing) -> tuple[str, str, str]:
    return (thing.plan, thing.notation, thing.iri)


def _gather(rows: Iterable[dict[str, Value]]) -> dict[str, _Facts]:
    found: dict[str, _Facts] = {}
    for row in rows:
        facts = found.setdefault(str(row["thing"]), _Facts(str(row["thing"])))
        facts.classes.add(str(row["class"]))
        for key, bucket in (("label", facts.labels), ("notation", facts.notations)):
            if row[key] is not None:
                bucket.add(str(row[key]))
        if row["plan"] is not None:
            facts.plans.add(str(row["plan"]))
    return {iri: f for iri, f in found.items() if not f.classes & UNNAMED_CLASSES}


def resolve_thing(store: ox.Store, text: str) -> Thing:
    """The one thing in ``store`` that ``text`` names; UnknownName or AmbiguousName otherwise."""
    return Names.of_store(store).thing(text)


def resolve_plan(store: ox.Store, text: str) -> Plan:
    """The one plan in ``store`` that ``text`` names; the error lists the plans."""
    return Names.of_store(store).plan(text)
