"""The organisation registry and the one resolver from mentions to IRIs.

Documents name the same administration as a code ("SOF"), a full name, an old
name ("Beskæftigelsesforvaltningen"), a genitive ("Socialforvaltningens") or a
centre abbreviation ("CBH"). All of these live as labels in
``ontology/organisations.ttl``; this module turns them into one matcher so that
importers never need to know organisations and the builder never guesses.

A name may have the years it was used (``ig:nameInUse``): given a document's
year, the resolver reads such a name only when the year falls within them, so
that an administration's old name in a text of its own time is found, while the
same words in a later text (or another municipality's) are reported as unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from .vocabulary import IG, ORG, RDF, RDFS, SKOS

KINDS = {
    IG + "Department": "Department",
    IG + "PoliticalBody": "PoliticalBody",
    IG + "Municipality": "Municipality",
    IG + "Partner": "Partner",
    ORG + "OrganizationalUnit": "Unit",
}
# "alle forvaltninger" and its variants mean all seven departments at once.
ALL_DEPARTMENTS = re.compile(
    r"\b(alle|samtlige|de øvrige|øvrige|de andre|alle syv)\s+forvaltning(er|erne)?\b", re.I
)
OTHER_DEPARTMENTS = re.compile(r"\b(de )?(øvrige|andre) forvaltning", re.I)
# "og" joins two mentions, except after a hyphen: "Job- og beskæftigelsescentrene" and
# "Sundheds- og Omsorgsforvaltningen" are one name each ("Job-" shares "-centrene").
_SPLIT = re.compile(
    r"\s*(?:,|;|/|\bsamt\b|(?<!-\s)(?<!-)\bog\b(?!\s+\w+forvaltning)|\bi samarbejde med\b)\s*"
)


@dataclass(frozen=True)
class Organisation:
    iri: str
    kind: str
    label: str
    code: str | None
    parent: str | None  # IRI of the department it is a unit of
    linked: str | None = None  # IRI of the department a committee is linked to (org:linkedTo)


@dataclass(frozen=True)
class NameInUse:
    """The years a name was used; None where the first or last year is not known."""

    valid_from: int | None = None
    valid_until: int | None = None

    def covers(self, year: int | None) -> bool:
        if year is None:
            return True
        return (self.valid_from is None or self.valid_from <= year) and (
            self.valid_until is None or year <= self.valid_until
        )


@dataclass(frozen=True)
class Resolution:
    """Organisations found in a mention, and the parts of it nobody knows."""

    organisations: tuple[Organisation, ...] = ()
    unknown: tuple[str, ...] = ()
    all_departments: bool = False
    other_departments: bool = False


def registry_path() -> Path:
    return Path(str(resources.files("indsatsgraf") / "ontology" / "organisations.ttl"))


class Registry:
    """Every known organisation with all its names, loaded from the registry file."""

    def __init__(
        self,
        organisations: list[Organisation],
        names: dict[str, str],
        in_use: dict[str, NameInUse] | None = None,
    ) -> None:
        self.organisations = {o.iri: o for o in organisations}
        self._names = names  # exact surface form → IRI
        self._in_use = {k.lower(): v for k, v in (in_use or {}).items()}  # name → its years
        self._resolved: dict[tuple[str, int | None], Resolution] = {}

    @classmethod
    def load(cls, path: Path | None = None) -> Registry:
        path = path or registry_path()
        triples = list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))
        kinds: dict[str, str] = {}
        labels: dict[str, list[tuple[str, str | None]]] = {}
        codes: dict[str, str] = {}
        parents: dict[str, str] = {}
        links: dict[str, str] = {}
        uses: dict[str, dict[str, object]] = {}  # ig:NameInUse node → its name and years
        for t in triples:
            s, p, o = t.subject.value, t.predicate.value, t.object
            if p == RDF + "type" and o.value in KINDS:
                # A department is also an org:OrganizationalUnit; the specific kind wins.
                if kinds.get(s) in (None, "Unit"):
                    kinds[s] = KINDS[o.value]
            elif p in (RDFS + "label", SKOS + "prefLabel", SKOS + "altLabel", SKOS + "hiddenLabel"):
                labels.setdefault(s, []).append((o.value, getattr(o, "language", None)))
            elif p in (IG + "name", IG + "validFrom", IG + "validUntil"):
                uses.setdefault(s, {})[p.removeprefix(IG)] = o.value
            elif p == SKOS + "notation":
                codes[s] = o.value
            elif p == ORG + "unitOf":
                parents[s] = o.value
            elif p == ORG + "linkedTo":
                links[s] = o.value
        organisations = []
        names: dict[str, str] = {}
        for iri, kind in kinds.items():
            forms = labels.get(iri, [])
            danish = [v for v, lang in forms if lang in ("da", None)] or [v for v, _ in forms]
            label = danish[0] if danish else iri.rsplit("/", 1)[-1]
            organisations.append(
                Organisation(iri, kind, label, codes.get(iri), parents.get(iri), links.get(iri))
            )
            for value, _ in forms:
                names.setdefault(value, iri)
            if iri in codes:
                names.setdefault(codes[iri], iri)
        in_use = {
            str(use["name"]): NameInUse(
                int(str(use["validFrom"])) if "validFrom" in use else None,
                int(str(use["validUntil"])) if "validUntil" in use else None,
            )
            for use in uses.values()
            if "name" in use
        }
        return cls(organisations, names, in_use)

    def in_use(self, name: str, year: int | None) -> bool:
        """Whether ``name`` (as registered) was used in ``year``; a name without years always was."""
        use = self._in_use.get(name.lower())
        return use is None or use.covers(year)

    @property
    def departments(self) -> list[Organisation]:
        return sorted(
            (o for o in self.organisations.values() if o.kind == "Department"),
            key=lambda o: o.code or o.label,
        )

    def department_of(self, iri: str) -> Organisation | None:
        """The department an organisation belongs to (itself for a department)."""
        seen: set[str] = set()
        while iri in self.organisations and iri not in seen:
            seen.add(iri)
            org = self.organisations[iri]
            if org.kind == "Department":
                return org
            if not org.parent:
                return None
            iri = org.parent
        return None

    def answerable_department(self, iri: str) -> Organisation | None:
        """The department that answers for an organisation: its own, or a committee's.

        Socialudvalget is no department, but Socialforvaltningen answers to it
        (``org:linkedTo``), so a report it publishes is Socialforvaltningen's.
        """
        org = self.organisations.get(iri)
        own = self.department_of(iri)
        if own is None and org is not None and org.linked:
            return self.department_of(org.linked)
        return own

    @cached_property
    def _pattern(self) -> re.Pattern[str]:
        """One alternation of every name, longest first, genitive -s allowed.

        Codes and abbreviations (all capitals) match case-sensitively so that
        "KL" or "CAS" never fires inside ordinary words; names match
        case-insensitively and across line-wrapped whitespace.

        The names are grouped by first letter behind a one-letter lookahead, so
        that at each word the regex tries one group instead of every name (the
        build calls this on every initiative's text). At most one group can
        match at a place, so the matches are those of the flat alternation.
        """
        groups: dict[str, list[str]] = {}
        for name in sorted(self._names, key=len, reverse=True):
            escaped = r"\s+".join(re.escape(w) for w in name.split())
            if name.isupper() or re.fullmatch(r"[A-ZÆØÅ0-9-]+", name):
                part = rf"(?-i:{escaped})"
            elif re.fullmatch(r"[A-ZÆØÅ][a-zæøå]+", name):
                # One capitalised word is a name only when written so: "Borgerservice" is the
                # unit, "god borgerservice" is good service to citizens.
                part = rf"(?-i:{re.escape(name[0])}){re.escape(name[1:])}(?:s|'s)?"
            else:
                part = escaped + "(?:s|'s)?"
            groups.setdefault(name[0].lower(), []).append(part)
        alternation = "|".join(
            f"(?={re.escape(first)})(?:{'|'.join(parts)})" for first, parts in groups.items()
        )
        return re.compile(r"(?<![\wÆØÅæøå-])(?:" + alternation + r")(?![\wÆØÅæøå])", re.I)

    def _lookup(self, surface: str) -> tuple[str, str] | None:
        """The registered name ``surface`` is written as (a genitive, other case) and its IRI."""
        key = " ".join(surface.split())
        if key in self._names:
            return key, self._names[key]
        for candidate in (key, key[:-1], key[:-2]):
            if candidate.lower() in self._lowered_names:
                return candidate, self._lowered_names[candidate.lower()]
        return None

    @cached_property
    def _lowered_names(self) -> dict[str, str]:
        """Names (not codes) in lower case → IRI, for genitives and capitalised mentions."""
        return {k.lower(): v for k, v in self._names.items() if not k.isupper()}

    def find(self, text: str, year: int | None = None) -> list[Organisation]:
        """Every known organisation named in ``text``, in order of first mention.

        With ``year`` (the document's), a name is read only if it was used that year.
        """
        found: dict[str, Organisation] = {}
        for match in self._matches(text, year):
            iri = match[1]
            if iri not in found:
                found[iri] = self.organisations[iri]
        return list(found.values())

    def _matches(self, text: str, year: int | None) -> list[tuple[re.Match[str], str]]:
        """The names in ``text`` that were in use in ``year``, each with its organisation's IRI."""
        matches = []
        for match in self._pattern.finditer(text or ""):
            known = self._lookup(match.group(0))
            if known and self.in_use(known[0], year):
                matches.append((match, known[1]))
        return matches

    def resolve(self, mention: str, year: int | None = None) -> Resolution:
        """Resolve one mention ("BUF, SOF", "alle forvaltninger", "CBH").

        Every fragment that names no known organisation is returned as unknown
        so the build summary can report it instead of dropping it. Remembered,
        since a build resolves the same few mentions ("SOF") thousands of times.
        """
        if (mention, year) not in self._resolved:
            self._resolved[mention, year] = self._resolve(mention, year)
        return self._resolved[mention, year]

    def _resolve(self, mention: str, year: int | None) -> Resolution:
        text = " ".join(mention.split()).strip(" .,;:()")
        if not text:
            return Resolution()
        remainder = ALL_DEPARTMENTS.sub(" ", text)
        # Only the names in use that year are taken out: an old name in a later text stays unknown.
        for match, _ in reversed(self._matches(remainder, year)):
            remainder = remainder[: match.start()] + " " + remainder[match.end() :]
        fragments = (fragment.strip(" .,;:()-") for fragment in _SPLIT.split(remainder))
        return Resolution(
            organisations=tuple(self.find(text, year)),
            unknown=tuple(fragment for fragment in fragments if _looks_like_a_name(fragment)),
            all_departments=bool(ALL_DEPARTMENTS.search(text))
            and not OTHER_DEPARTMENTS.search(text),
            other_departments=bool(OTHER_DEPARTMENTS.search(text)),
        )


_FILLER = re.compile(
    r"^(med|som|tovholder|på|deres|områder|området|forvaltningerne|i|de|den|det|og|samt|"
    r"til|for|af|ved|mv|m\.fl|m\.v|øvrige|andre|alle|forvaltninger|forvaltning|\s)+$",
    re.I,
)


def _looks_like_a_name(fragment: str) -> bool:
    """A leftover fragment is worth reporting only if it is more than filler words."""
    return bool(fragment) and not _FILLER.match(fragment) and any(c.isalpha() for c in fragment)
