"""Saved queries: ``.rq`` files whose comment header documents and types them.

A saved query is plain SPARQL that any endpoint can run. Its metadata lives in
``#+ key: value`` comment lines, in the style of grlc::

    #+ summary: Initiatives that involve two or more departments
    #+ description: …
    #+ tags: departments, collaboration
    #+ param: department department — only initiatives involving this department
    #+ param: year year = 2015 — the year
    #+ param: financing choice(funded|unfunded) — one of the listed words

A parameter ``name`` appears in the query as the variable ``?_name``. Values are
checked against the declared type and bound as typed RDF terms: the embedded
store and a remote endpoint both receive a ``VALUES`` block built from the
serialised term, so no user text is ever pasted into SPARQL. Types:
``department`` (a code such as SOF), ``plan`` (named as everywhere: file name,
slug, year or words of its title, see :mod:`..graph.names`), ``thing`` (what
``indsatsgraf show`` accepts: a number, code, label or IRI), ``iri`` (an
absolute IRI, taken as given), ``integer``, ``year``, ``text`` (non-empty) and
``choice(a|b|…)``. Plans and things are looked up in the graph the query runs
on, through the resolver given to :meth:`SavedQuery.bindings`; without one (as
when a file is read) only their form is checked. A default is checked when the
file is read, so a bad header is reported with its line.

A query whose every row, once narrowed to one plan, comes from that plan's own
document may say so::

    #+ scope: plan            (the name of a ``plan`` parameter)
    #+ scope: plan + links    (the answer also follows cross-document links)

When that parameter is given, the query reads only the plan's named graph, the
organisations and the ontology (and the links) as its default graph instead of
the union of every document: on an archive of thousands of documents the store
then never scans the others, which a FILTER on the plan cannot spare it.

``#+ stored: yes`` asks every build to compute the query's default answer
once and keep it beside the graph (:mod:`..graph.answers`): for archive-wide
aggregates whose few rows cost a scan of every document.

A stored query may also promise that a ``department`` or ``plan`` parameter
only picks rows out of that whole answer, naming the column(s) that show it::

    #+ stored-filter: department = ?department                 (the column equals the code)
    #+ stored-filter: department = ?departmentA | ?departmentB  (any of these columns does)
    #+ stored-filter: department in ?departments               (a list of codes, comma-separated)
    #+ stored-filter: plan = ?plan                             (the column is the plan's file name)
    #+ stored-filter: plan of ?benchmark                       (the column is a thing of the plan)

Asked for one department or plan (and no undeclared parameter), the query is
then answered by reading the stored answer's rows kept under that code or
plan, in their stored order. A plan is named as the live query takes it
(year, file name, words of its title), resolved in the graph. The promise must
hold exactly, order included: the parameter's FILTER keeps whole groups (the
column is a GROUP BY key, or the code of the very department filtered on), no
row of another department ("–" for none) or plan can pass it, and the ORDER BY
orders the rows totally. A row's plan is read from the column as the builder
names plans: a file name ``x.txt`` is the plan ``id:plan/x``, and a thing
``id:x/goal/1`` is described in that same plan.

Two more promises need no column that names the department or the year::

    #+ stored-filter: department by query           (the query's answer for each code says)
    #+ stored-filter: year within ?startYear ?endYear

``by query``: the build asks the query for all seven departments at once
(each row also showing the department it was asked for) and files each row of
the whole answer under every department whose answer holds it, so the
department may be a variable the rows do not show; the department's FILTER
must only leave rows out, the rows must differ (SELECT DISTINCT) and nothing
but an ORDER BY may follow the WHERE clause (the build fails otherwise). ``within``: the build stores the answer with the year unbound
(every year), and a question for a year, or the parameter's default, keeps
the rows whose two columns hold it, an unbound (or non-numeric) end being
open, exactly as ``FILTER(COALESCE(?startYear <= ?_year, true) &&
COALESCE(?endYear >= ?_year, true))`` would; the query's other filters must
not read the year. tests/test_stored_filter.py checks every declaration
against the live answer for each department, each bundled plan and each year
from 2010 to 2030.

A free-text parameter picks no rows out of one answer; the build keeps the
texts the query searches instead::

    #+ stored-filter: keyword contains ?text ?field from stored/NAME-texts.rq

The named query (in a folder below the query's, so it is no saved query
itself) is the saved query before its text FILTER and its GROUP BY: it
answers the saved query's columns in their order but the one that lists the
fields, and ``?field`` and ``?text``, the text in lower case as ``LCASE(STR(…))``
makes it. The build folds each text as initiatives-by-keyword folds it
(:func:`..graph.stored_texts.fold`) and keeps it once with the groups it
belongs to; a question, or the default, folds its word the same way and
answers every group with a text that contains it, in the order of its
columns (each ascending, unbound first), its fields ascending and joined by
", " in the remaining column. That is the promise: ``CONTAINS`` of the folded
word in the folded text, ``GROUP_CONCAT(DISTINCT ?field; separator=", ")``
and an ORDER BY of the grouped columns. Beside it only ``=``, ``in`` and
``of`` filters of the grouped columns are taken (a plan's texts are kept by
themselves, so one plan is read alone). tests/test_stored_texts.py checks it
against the live answer for words of every kind and each bundled plan.
"""

from __future__ import annotations

import difflib
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Protocol

from pyoxigraph import Literal, NamedNode

from ..errors import QueryError
from ..graph.sparql import query_form
from ..graph.stored_texts import fold
from ..graph.vocabulary import (
    ID,
    LINKS_GRAPH,
    ONTOLOGY_GRAPH,
    ORGANISATIONS_GRAPH,
    PREFIXES,
    XSD,
    data_iri,
    graph_iri,
    organisation_iri,
    slug,
)

PARAM = re.compile(
    r"^(?P<name>[a-z][a-z0-9_]*)\s+(?P<type>\w+)(?:\((?P<choices>[a-z0-9_|-]+)\))?"
    r"(?:\s*=\s*(?P<default>\S+))?\s*(?:[—-]+\s*(?P<doc>.*))?$"
)
DEPARTMENT_CODES = ("SOF", "BUF", "BIF", "SUF", "TMF", "ØKF", "KFF")
#: ``#+ stored-filter: PARAM = ?a | ?b``, ``PARAM in ?list``, ``PARAM of ?thing``,
#: ``PARAM within ?start ?end``, ``PARAM by query`` or
#: ``PARAM contains ?text ?field from FILE.rq``.
STORED_FILTER = re.compile(
    r"^(?P<param>[a-z][a-z0-9_]*)\s+(?:(?P<relation>=|in|of)\s+"
    r"(?P<columns>\?\w+(?:\s*\|\s*\?\w+)*)"
    r"|(?P<within>within)\s+\?(?P<start>\w+)\s+\?(?P<end>\w+)"
    r"|(?P<asked>by\s+query)"
    r"|(?P<contains>contains)\s+\?(?P<text>\w+)\s+\?(?P<field>\w+)\s+from\s+(?P<source>[\w/.-]+\.rq))$"
)
#: Which relations a stored filter of each parameter type may declare.
FILTER_RELATIONS = {
    "department": ("=", "in", "by query"),
    "plan": ("=", "of"),
    "year": ("within",),
    "integer": ("within",),
    "text": ("contains",),
}
#: The relations whose parameter may have a default: it is applied as the stored
#: answer is read, not when it is computed.
READ_TIME = ("within", "contains")
TYPES = ("department", "plan", "thing", "iri", "integer", "year", "text", "choice")
PLAN_IRI = ID + "plan/"
#: Longest parameter value accepted, in characters.
MAX_PARAMETER_CHARS = 1_000
#: Most digits in an integer parameter (xsd:integer values beyond are no one's data).
MAX_INTEGER_DIGITS = 18
#: Largest query file read, in bytes (query_guard refuses longer text anyway).
MAX_QUERY_FILE_BYTES = 1_000_000


class Named(Protocol):
    iri: str


class Resolver(Protocol):
    """What binding needs of :class:`..graph.names.Names`: a plan and a thing by name."""

    def plan(self, text: str) -> Named: ...

    def thing(self, text: str) -> Named: ...


@dataclass(frozen=True)
class Parameter:
    name: str
    type: str
    default: str | None
    doc: str
    choices: tuple[str, ...] = ()

    @property
    def shown_type(self) -> str:
        """The type as a user types it: ``department``, or ``a|b|c`` for a choice."""
        return "|".join(self.choices) if self.type == "choice" else self.type

    def bind(self, raw: str, names: Resolver | None = None) -> NamedNode | Literal:
        """Check ``raw`` against the declared type and make it an RDF term.

        ``names`` looks plans and things up in the graph; without it a plan is
        read from its file name or IRI and a thing must be an IRI.
        """
        _check_raw(self.name, raw)
        value = raw.strip()
        if self.type == "department":
            return organisation_iri(self.code(raw))
        if self.type == "iri":
            if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", value):
                raise QueryError(f"parameter {self.name}: {raw!r} is not an absolute http(s) IRI")
            return NamedNode(value)
        if self.type in ("plan", "thing") and names is not None:
            return self._look_up(raw, value, names)
        if self.type == "plan":
            return self._plan(raw, value)
        if self.type == "thing":
            return self._thing_iri(raw, value)
        if self.type == "choice":
            word = value.lower()
            if word not in self.choices:
                close = difflib.get_close_matches(word, self.choices, n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                raise QueryError(
                    f"parameter {self.name}: {raw!r} is not one of {', '.join(self.choices)}{hint}"
                )
            return Literal(word)
        if self.type in ("integer", "year"):
            if not re.fullmatch(r"-?[0-9]+", value):
                raise QueryError(f"parameter {self.name}: {raw!r} is not a whole number")
            if len(value.lstrip("-")) > MAX_INTEGER_DIGITS:
                raise QueryError(
                    f"parameter {self.name}: a number of {len(value.lstrip('-')):,} digits is "
                    f"too long (at most {MAX_INTEGER_DIGITS})"
                )
            if self.type == "year" and not 1900 <= int(value) <= 2100:
                raise QueryError(f"parameter {self.name}: {raw!r} is not a year (1900-2100)")
            return Literal(str(int(value)), datatype=NamedNode(XSD + "integer"))
        if not value:
            raise QueryError(f"parameter {self.name}: give a non-empty text")
        return Literal(raw)

    def code(self, raw: str) -> str:
        """A department parameter's value as its code, the way answers show it (ØKF for oekf)."""
        _check_raw(self.name, raw)
        value = raw.strip().upper()
        code = "ØKF" if value == "OEKF" else value
        if code not in DEPARTMENT_CODES:
            raise QueryError(
                f"parameter {self.name}: {raw!r} is not a department code "
                f"(one of {', '.join(DEPARTMENT_CODES)})"
            )
        return code

    def _look_up(self, raw: str, value: str, names: Resolver) -> NamedNode:
        from ..graph.names import UnresolvedName

        try:
            found = names.plan(value) if self.type == "plan" else names.thing(value)
        except UnresolvedName as error:
            raise QueryError(f"parameter {self.name}: {error}") from error
        return NamedNode(found.iri)

    def _thing_iri(self, raw: str, value: str) -> NamedNode:
        """A thing given by IRI (full or compact), when there is no graph to look names up in."""
        from ..graph.names import expand

        iri = expand(value)
        if iri is None or not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", iri):
            raise QueryError(
                f"parameter {self.name}: {raw!r} is not an IRI; a number, code or label "
                "is looked up only when the query runs on a graph"
            )
        return NamedNode(iri)

    def _plan(self, raw: str, value: str) -> NamedNode:
        """A plan by its IRI, source file name (``x.txt``) or slug, as the builder names it."""
        name = value.removeprefix(PLAN_IRI).removesuffix(".txt")
        if not re.fullmatch(r"[\w.-]+", name):
            raise QueryError(
                f"parameter {self.name}: {raw!r} is not a plan; give its file name "
                "(e.g. tvaergaaende-indsatsplan-2015.txt), its slug or its IRI"
            )
        return data_iri("plan", slug(name))


@dataclass(frozen=True)
class StoredFilter:
    """A ``#+ stored-filter:`` line: under which departments or plans each stored row is kept."""

    parameter: str
    #: The columns, any of which may show the department or plan.
    columns: tuple[str, ...]
    #: ``=`` (the column is the code or the plan's file name), ``in`` (a list of
    #: codes), ``of`` (the column is a thing described in the plan), ``by query``
    #: (the query's answer for each code says) or ``within`` (the two columns are
    #: a range of years, either end open when unbound, that holds the value).
    relation: str = "="
    #: The parameter's type: department (keys are codes), plan (keys are plan
    #: IRIs), year or integer (``within``), text (``contains``).
    type: str = "department"
    #: For ``contains``: the query whose rows the build keeps (the texts, before the
    #: keyword is looked for in them), and the columns of the answer they make.
    source: SavedQuery | None = None
    answer: tuple[str, ...] = ()

    @property
    def values(self) -> tuple[str, ...]:
        """What a ``by query`` parameter is asked for at build time: every department."""
        return DEPARTMENT_CODES if self.relation == "by query" else ()

    def keys(self, row: Mapping[str, object]) -> frozenset[str]:
        """The codes or plan IRIs that keep ``row``: what a parameter value is looked up by."""
        cells = [row.get(column) for column in self.columns]
        texts = [cell for cell in cells if isinstance(cell, str)]
        if self.relation == "in":
            return frozenset(part.strip() for text in texts for part in text.split(","))
        if self.type == "department":
            return frozenset(texts)
        if self.relation == "of":
            return frozenset(_plan_of_thing(text) for text in texts if text.startswith(ID))
        return frozenset(_plan_of_file(text) for text in texts)


def _plan_of_file(file_name: str) -> str:
    """The plan IRI the builder gives a document's file name (as a plan parameter reads one)."""
    return data_iri("plan", slug(file_name.removesuffix(".txt"))).value


def _plan_of_thing(iri: str) -> str:
    """The plan of a record the builder named ``id:SLUG/KIND/KEY``: the plan ``id:plan/SLUG``."""
    return data_iri("plan", iri.removeprefix(ID).split("/", 1)[0]).value


@dataclass(frozen=True)
class RowSelection:
    """The rows of a stored answer kept under every wanted (parameter, code or plan IRI)
    whose range (the ``within`` filter's two columns) holds the asked value."""

    wanted: tuple[tuple[str, str], ...] = ()
    #: The ``within`` filter's columns (start, end), and the value asked (or defaulted).
    span: tuple[str, ...] = ()
    within: int | None = None
    #: The ``contains`` filter's value (asked or defaulted), folded as the query folds it.
    contains: str | None = None


def _check_raw(name: str, raw: str) -> None:
    """Refuse values no type accepts: too long, or not text at all.

    A command-line argument that is not valid UTF-8 arrives as a str with
    surrogate escapes, which neither Oxigraph nor the terminal can encode.
    """
    if len(raw) > MAX_PARAMETER_CHARS:
        raise QueryError(
            f"parameter {name}: the value is {len(raw):,} characters long "
            f"(at most {MAX_PARAMETER_CHARS:,})"
        )
    try:
        raw.encode("utf-8")
    except UnicodeEncodeError as error:
        raise QueryError(
            f"parameter {name}: the value is not valid UTF-8 text "
            f"(at character {error.start + 1}); check the terminal's encoding"
        ) from None


@dataclass(frozen=True)
class SavedQuery:
    name: str
    path: Path
    text: str
    summary: str
    description: str = ""
    tags: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = field(default_factory=tuple)
    #: Lines put before the user's text (declared prefixes); errors are reported without them.
    prologue_lines: int = 0
    #: The ``plan`` parameter that narrows the query to one document's graph (``#+ scope:``).
    scope: str | None = None
    #: Whether the narrowed query still reads the cross-document links.
    scope_links: bool = False
    #: Whether each build keeps the default answer beside the graph (``#+ stored: yes``).
    stored: bool = False
    #: Parameters that only select rows of the stored answer (``#+ stored-filter:``).
    stored_filters: tuple[StoredFilter, ...] = ()

    @property
    def form(self) -> str:
        """SELECT, CONSTRUCT, ASK or DESCRIBE: the first query keyword outside comments."""
        return query_form(self.text)

    def scoped_graphs(self, bindings: dict[str, NamedNode | Literal]) -> list[str] | None:
        """The graphs the query reads as its default graph when narrowed to one plan.

        None (the union of every graph) unless the query declares a scope and
        its plan is bound to a plan IRI.
        """
        plan = bindings.get(self.scope) if self.scope else None
        if not isinstance(plan, NamedNode) or not plan.value.startswith(PLAN_IRI):
            return None
        graphs = [
            graph_iri(plan.value.removeprefix(PLAN_IRI)).value,
            ORGANISATIONS_GRAPH.value,
            ONTOLOGY_GRAPH.value,
        ]
        return [*graphs, LINKS_GRAPH.value] if self.scope_links else graphs

    def row_filter(
        self, given: Mapping[str, str], names: Resolver | None = None
    ) -> RowSelection | None:
        """Which rows of the stored whole answer answer ``given``; None if it must run live.

        Every given parameter must be declared by a ``#+ stored-filter:`` line;
        its value is checked as running the query would check it. A plan is
        resolved by ``names`` (the graph's); without them it is answered live.
        """
        filters = {f.parameter: f for f in self.stored_filters}
        if not set(given) <= set(filters):
            return None
        known = {p.name: p for p in self.parameters}
        wanted, span, within, contains = [], (), None, None
        for keyed in filters.values():
            raw = given.get(keyed.parameter, known[keyed.parameter].default)
            if keyed.relation == "within" and raw is not None:
                span, within = keyed.columns, int(known[keyed.parameter].bind(raw).value)
            if keyed.relation == "contains":
                if raw is None:  # unbound, the query's FILTER keeps nothing: asked live
                    return None
                contains = fold(known[keyed.parameter].bind(raw).value)
        for name, raw in given.items():
            if filters[name].relation in READ_TIME:
                continue
            if known[name].type == "department":
                wanted.append((name, known[name].code(raw)))
            elif names is None:
                return None
            else:
                wanted.append((name, known[name].bind(raw, names).value))
        return RowSelection(tuple(wanted), span, within, contains)

    def stored_bindings(self, given: dict[str, str]) -> dict[str, NamedNode | Literal]:
        """The bindings a build answers the query with: a ``within`` parameter unbound
        (every value; its default is applied as the stored answer is read)."""
        bound = self.bindings(given)
        for keyed in self.stored_filters:
            if keyed.relation == "within" and keyed.parameter not in given:
                bound.pop(keyed.parameter, None)
        return bound

    def bindings(
        self, given: dict[str, str], names: Resolver | None = None
    ) -> dict[str, NamedNode | Literal]:
        """Typed terms for every given or defaulted parameter; unknown names refused.

        ``names`` (a :class:`..graph.names.Names` of the graph the query will run on)
        lets plan and thing parameters be given as ``show`` accepts them.
        """
        known = {p.name: p for p in self.parameters}
        for name in given:
            if name not in known:
                close = difflib.get_close_matches(name, known, n=3)
                hint = f"; did you mean {', '.join(close)}?" if close else ""
                listed = ", ".join(known) or "none"
                raise QueryError(
                    f"query {self.name!r} has no parameter {name!r}{hint} (parameters: {listed})"
                )
        bound: dict[str, NamedNode | Literal] = {}
        for p in self.parameters:
            raw = given.get(p.name, p.default)
            if raw is not None:
                bound[p.name] = p.bind(raw, names)
        return bound


def parse_query_file(path: Path, name: str | None = None) -> SavedQuery:
    """Read a ``.rq`` file and its ``#+`` header."""
    text = read_query_text(path)
    meta: dict[str, list[str]] = {}
    param_lines: list[tuple[int, str]] = []
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^#\+\s*(\w+)\s*:\s*(.*)$", line.strip())
        if not match:
            continue
        key, value = match.group(1).lower(), match.group(2).strip()
        meta.setdefault(key, []).append(value)
        if key == "param":
            param_lines.append((number, value))
    params = [_parameter(path, number, value) for number, value in param_lines]
    scope, scope_links = _scope(path, text, params)
    stored = _stored(path, meta.get("stored", []))
    filters = _stored_filters(path, text, params, stored)
    tags = tuple(t.strip() for v in meta.get("tags", []) for t in v.split(",") if t.strip())
    return SavedQuery(
        name=name or path.stem,
        path=path,
        text=text,
        summary=" ".join(meta.get("summary", [""])),
        description=" ".join(meta.get("description", [])),
        tags=tags,
        parameters=tuple(params),
        scope=scope,
        scope_links=scope_links,
        stored=stored,
        stored_filters=filters,
    )


def _stored(path: Path, values: list[str]) -> bool:
    """``#+ stored: yes`` or ``no``; anything else is a mistake worth naming."""
    words = {value.strip().lower() for value in values}
    if not words <= {"yes", "no"} or len(words) > 1:
        raise QueryError(f"{path}: '#+ stored:' is yes or no, not {', '.join(sorted(words))}")
    return words == {"yes"}


def _stored_filters(
    path: Path, text: str, params: list[Parameter], stored: bool
) -> tuple[StoredFilter, ...]:
    """The ``#+ stored-filter:`` lines, each naming a department or plan parameter and real columns."""
    known = {p.name: p for p in params}
    filters: dict[str, StoredFilter] = {}
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^#\+\s*stored-filter\s*:\s*(.*)$", line.strip(), re.I)
        if not match:
            continue
        where = f"{path}:{number}"
        found = STORED_FILTER.match(match.group(1).strip())
        if not found:
            raise QueryError(
                f"{where}: a stored filter is 'PARAM = ?column', 'PARAM = ?a | ?b', "
                "'PARAM in ?list', 'PARAM of ?thing', 'PARAM within ?start ?end', "
                "'PARAM by query' or 'PARAM contains ?text ?field from FOLDER/FILE.rq', "
                f"not {match.group(1)!r}"
            )
        name = found.group("param")
        source, answer = None, ()
        if found.group("within"):
            relation, columns = "within", (found.group("start"), found.group("end"))
        elif found.group("asked"):
            relation, columns = "by query", ()
        elif found.group("contains"):
            relation, columns = "contains", (found.group("text"), found.group("field"))
            source = _texts_query(where, path, found.group("source"))
            answer = tuple(_columns(where, text))
        else:
            relation = found.group("relation")
            columns = tuple(c.strip().lstrip("?") for c in found.group("columns").split("|"))
        if not stored:
            raise QueryError(f"{where}: a stored filter needs '#+ stored: yes'")
        kind = known[name].type if name in known else None
        if kind not in FILTER_RELATIONS:
            raise QueryError(
                f"{where}: {name!r} is not a department, plan, year, integer or text "
                "parameter of the query"
            )
        if relation not in FILTER_RELATIONS[kind]:
            allowed = " or ".join(repr(r) for r in FILTER_RELATIONS[kind])
            raise QueryError(f"{where}: a {kind} filter is {allowed}, not {relation!r}")
        if known[name].default is not None and relation not in READ_TIME:
            raise QueryError(
                f"{where}: {name!r} has a default, so the stored answer is already narrowed"
            )
        if relation in ("in", "of") and len(columns) > 1:
            raise QueryError(f"{where}: {relation!r} takes one column")
        if name in filters:
            raise QueryError(f"{where}: {name!r} has a stored filter already")
        if relation == "within" and any(f.relation == "within" for f in filters.values()):
            raise QueryError(f"{where}: a query takes one 'within' filter")
        if source is not None:
            _check_texts(where, source, columns, answer)
        else:
            for column in columns:
                if column not in _columns(where, text):
                    raise QueryError(f"{where}: the query has no column ?{column}")
        filters[name] = StoredFilter(name, columns, relation, kind, source, answer)
    _check_beside_contains(path, filters)
    return tuple(filters.values())


def _texts_query(where: str, path: Path, name: str) -> SavedQuery:
    """The query a ``contains`` filter names, beside the saved query (in a folder of
    its own, such as ``stored/``, so that it is not a saved query itself)."""
    source = path.parent / name
    if ".." in Path(name).parts or source.parent == path.parent:
        raise QueryError(
            f"{where}: the texts' query {name!r} must lie in a folder below the query's "
            "(e.g. stored/NAME.rq), where it is not listed as a saved query"
        )
    texts = parse_query_file(source)
    if texts.parameters or texts.stored:
        raise QueryError(
            f"{source}: the texts of a stored filter take no parameters and declare no "
            "'#+ stored:' of their own"
        )
    return texts


def _check_texts(
    where: str, source: SavedQuery, columns: tuple[str, ...], answer: tuple[str, ...]
) -> None:
    """The texts' columns are the answer's, in order, but for the one that lists the
    fields where the text was found, and the text and field columns."""
    own = _columns(f"{source.path}", source.text)
    for column in columns:
        if column not in own:
            raise QueryError(f"{where}: {source.path.name} has no column ?{column}")
    grouped = [c for c in own if c not in columns]
    matched = [c for c in answer if c not in grouped]
    if [c for c in answer if c in grouped] != grouped or len(matched) != 1:
        raise QueryError(
            f"{where}: {source.path.name} must answer the query's columns in their order "
            f"but for the one that lists the fields, and ?{columns[0]} and ?{columns[1]} "
            f"(it answers {', '.join('?' + c for c in own)})"
        )


def _check_beside_contains(path: Path, filters: Mapping[str, StoredFilter]) -> None:
    """Beside a ``contains`` filter, only filters read from the grouped columns."""
    texts = [f for f in filters.values() if f.relation == "contains"]
    if not texts:
        return
    if len(texts) > 1:
        raise QueryError(f"{path}: a query takes one 'contains' filter")
    source = texts[0].source
    assert source is not None
    grouped = set(texts[0].answer) & set(_columns(str(source.path), source.text))
    for keyed in filters.values():
        if keyed.relation in ("within", "by query") or (
            keyed.relation != "contains" and not set(keyed.columns) <= grouped
        ):
            raise QueryError(
                f"{path}: beside a 'contains' filter, a stored filter reads one of the "
                f"answer's columns ('=', 'in' or 'of'), not {keyed.parameter} {keyed.relation}"
            )


def _columns(where: str, text: str) -> list[str]:
    """The variables a SELECT query answers with, as an empty store reports them."""
    from pyoxigraph import QuerySolutions, Store

    try:
        answer = Store().query(text)
    except SyntaxError as error:
        raise QueryError(f"{where}: the query cannot be read for its columns ({error})") from None
    if not isinstance(answer, QuerySolutions):
        raise QueryError(f"{where}: only a SELECT query has columns to filter on")
    return [variable.value for variable in answer.variables]


def _scope(path: Path, text: str, params: list[Parameter]) -> tuple[str | None, bool]:
    """The ``#+ scope:`` line's plan parameter and whether it keeps the links, checked."""
    for number, line in enumerate(text.splitlines(), 1):
        match = re.match(r"^#\+\s*scope\s*:\s*(.*)$", line.strip(), re.I)
        if not match:
            continue
        words = [w.strip() for w in match.group(1).split("+")]
        name, extra = words[0], words[1:]
        if extra not in ([], ["links"]):
            raise QueryError(
                f"{path}:{number}: a scope is a plan parameter, optionally followed by "
                f"'+ links' (e.g. '#+ scope: plan + links'), not {match.group(1)!r}"
            )
        if not any(p.name == name and p.type == "plan" for p in params):
            raise QueryError(
                f"{path}:{number}: the scope {name!r} is not a parameter of type plan "
                "declared by a '#+ param:' line"
            )
        return name, bool(extra)
    return None, False


def read_query_text(path: Path) -> str:
    """The text of a regular query file, or a QueryError saying what the path is instead.

    The file is opened without blocking (a FIFO would otherwise wait for a
    writer) and checked to be a regular file before a byte is read, so
    ``/dev/zero`` or a directory is named for what it is.
    """
    try:
        handle = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
    except FileNotFoundError:
        raise QueryError(f"{path}: no such query file") from None
    except ValueError:  # a NUL character, which no file name can hold
        raise QueryError(f"{str(path)!r}: a file name cannot contain a NUL character") from None
    except OSError as error:
        raise QueryError(f"{path}: {_unopenable(path, error)}") from None
    try:
        info = os.fstat(handle)
        if stat.S_ISDIR(info.st_mode):
            raise QueryError(f"{path}: is a directory, not a query file")
        if not stat.S_ISREG(info.st_mode):
            raise QueryError(
                f"{path}: is a {_file_kind(info.st_mode)}, not a regular file; "
                "save the query in a .rq file"
            )
        if info.st_size > MAX_QUERY_FILE_BYTES:
            raise QueryError(
                f"{path}: the file is {info.st_size:,} bytes, over the "
                f"{MAX_QUERY_FILE_BYTES:,}-byte limit for a query"
            )
        data = os.read(handle, MAX_QUERY_FILE_BYTES + 1)
    except OSError as error:
        raise QueryError(f"{path}: cannot read the query ({error.strerror})") from None
    finally:
        os.close(handle)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise QueryError(
            f"{path}: the query is not UTF-8 text (byte {error.start}); save it as UTF-8"
        ) from None


def _unopenable(path: Path, error: OSError) -> str:
    """Why ``path`` cannot be opened, in words."""
    import errno

    if error.errno == errno.ELOOP:
        return "a loop of symbolic links; it points back to itself"
    if error.errno == errno.EACCES:
        return "permission denied"
    if error.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    return f"cannot open the query file ({error.strerror})"


def _file_kind(mode: int) -> str:
    kinds = (
        (stat.S_ISFIFO, "named pipe (FIFO)"),
        (stat.S_ISCHR, "character device"),
        (stat.S_ISBLK, "block device"),
        (stat.S_ISSOCK, "socket"),
    )
    return next((name for test, name in kinds if test(mode)), "special file")


def _parameter(path: Path, number: int, value: str) -> Parameter:
    """One ``#+ param:`` line, its type known and its default valid, or an error at its line."""
    m = PARAM.match(value)
    if not m:
        raise QueryError(f"{path}:{number}: malformed parameter line {value!r}")
    kind, choices = m.group("type"), tuple(filter(None, (m.group("choices") or "").split("|")))
    if kind not in TYPES:
        raise QueryError(f"{path}:{number}: parameter type {kind!r} is not one of {TYPES}")
    if (kind == "choice") != bool(choices):
        raise QueryError(f"{path}:{number}: only a choice lists its words, as choice(a|b)")
    param = Parameter(m.group("name"), kind, m.group("default"), m.group("doc") or "", choices)
    if param.default is not None:
        try:
            param.bind(param.default)
        except QueryError as error:
            raise QueryError(f"{path}:{number}: bad default: {error}") from error
    return param


def queries_dir() -> Path:
    return Path(str(resources.files("indsatsgraf.queries")))


def saved_queries() -> dict[str, SavedQuery]:
    """Every saved query by name, sorted."""
    return {p.stem: parse_query_file(p) for p in sorted(queries_dir().glob("*.rq"))}


def find(name: str) -> SavedQuery:
    """A saved query by name, or a query file by path; close names suggested."""
    path = Path(name)
    if name.endswith(".rq") or "/" in name or path.is_file():
        return parse_query_file(path)
    queries = saved_queries()
    if name in queries:
        return queries[name]
    close = difflib.get_close_matches(name, queries, n=3, cutoff=0.4)
    hint = f" Did you mean: {', '.join(close)}?" if close else ""
    raise QueryError(f"no saved query named {name!r}.{hint}", remedy="queries")


def ad_hoc(text: str) -> SavedQuery:
    """A query given on the command line with -e, with the project's prefixes declared.

    The prefixes the text does not declare itself go on one line before it, so a
    line number in an error is the user's line number plus one (see ``prologue_lines``).
    """
    missing = [
        f"PREFIX {prefix}: <{namespace}>"
        for prefix, namespace in PREFIXES.items()
        if not re.search(rf"(?i)\bPREFIX\s+{prefix}:", text)
    ]
    prologue = " ".join(missing) + "\n" if missing else ""
    return SavedQuery(
        name="(inline)",
        path=Path("<inline>"),
        text=prologue + text,
        summary="",
        prologue_lines=1 if missing else 0,
    )
