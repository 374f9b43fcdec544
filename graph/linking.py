"""Cross-document links: the same initiative (or goal) in different plans and years.

Runs after every document is imported, on the importers' records, and names
things with the builder's own IRI rule (:func:`.builder.record_iri`), so the
links land on the resources of the per-document graphs. Pairs of initiatives
from two different documents are scored (not every pair: each initiative's
likeliest few, see :func:`candidate_pairs`, so an archive links in linear time) from

* the similarity of their labels (Danish-aware stems, compounds, rare words
  weigh more: :mod:`.similarity`),
* one's label occurring in the other's text ("Tættere på Familien" inside the
  2019 status of "Åben rådgivning til unge"),
* rare words both texts share (place names such as Søflygade or Sølund,
  "Hjerneskadesamrådet"),
* their departments (sharing one keeps the score; two disjoint sets lower it),
* words each label has of its own: labels alike but each with words the other
  lacks (a swap, not an addition), with no other evidence, are two initiatives
  of a kind and score lower.

Goals are paired only between documents of the same policy (the BIF plan and
SOF's status report both carry Handicappolitik 2018-2022's goals). A pair
scoring at least :data:`ACCEPT` becomes an accepted link, one scoring at least
:data:`REVIEW` a candidate for a person to accept or reject
(:mod:`.link_decisions`); decisions override scores. Thresholds were chosen
on ``tests/data/link-pairs.tsv``, judged by reading the documents.
"""

from __future__ import annotations

import gc
import hashlib
import itertools
import math
import multiprocessing
import threading
from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from functools import wraps
from typing import Any, ParamSpec, TypeVar

from pyoxigraph import Literal, NamedNode, Quad

from ..importers import records as r
from .builder import SourceFile, record_iri
from .link_decisions import Decision, pair
from .organisations import Registry
from .similarity import (
    LabelMatch,
    Weights,
    compound_split,
    contains,
    inflected,
    label_match,
    label_ratio,
    name_stems,
    shared_phrase,
    splits,
    tokens,
)
from .vocabulary import LINKS_GRAPH, RDF, XSD, data_iri, ig

ACCEPT = Decimal("0.50")
REVIEW = Decimal("0.35")
RARE = 3  # a word in at most this many records is a rare word
CONTRADICTION = 0.5  # factor for labels alike but each with words of its own
RARE_WORD = 2 * RARE  # a word (no name) in at most this many records corroborates a link
ALONE = 0.35  # most a single shared rare name adds: with no other evidence, a candidate
COMPOUND_NAME = 10  # letters a name needs before its parts are looked for separately
Documents = Sequence[tuple[SourceFile, r.ImportResult]]


Params = ParamSpec("Params")
Result = TypeVar("Result")


def _without_cycle_collection(step: Callable[Params, Result]) -> Callable[Params, Result]:
    """Run ``step`` with Python's cycle collector paused, as it was before afterwards.

    Linking makes millions of small tuples, sets and cache entries and no
    reference cycles (reference counting frees all of them), but each
    collection of the oldest generation walks every object alive: the
    archive's records, entities and caches. Those walks made a tenfold larger
    archive link some fifteen times slower instead of ten.
    """

    @wraps(step)
    def paused(*args: Params.args, **kwargs: Params.kwargs) -> Result:
        if not gc.isenabled():
            return step(*args, **kwargs)
        gc.disable()
        try:
            return step(*args, **kwargs)
        finally:
            gc.enable()

    return paused


@dataclass(frozen=True)
class Entity:
    """One initiative or goal of one document, prepared for matching."""

    iri: str
    kind: str  # "initiative" | "goal"
    document: str
    year: int | None
    policy: str | None
    label: str
    label_tokens: tuple[str, ...]
    text_tokens: tuple[str, ...]
    names: frozenset[str]  # capitalised inside a sentence, or a known unit
    capitalised: frozenset[str]  # capitalised anywhere
    departments: frozenset[str]


@dataclass(frozen=True)
class Link:
    """A scored correspondence between two things, with the evidence for it."""

    source: str
    target: str
    score: Decimal
    method: str
    evidence: str
    status: str  # "accepted" | "candidate" | "rejected"

    @property
    def iri(self) -> NamedNode:
        """Stable: a hash of the two IRIs, whatever their order."""
        digest = hashlib.sha256("\n".join(pair(self.source, self.target)).encode()).hexdigest()
        return data_iri("link", digest[:16])


def _departments(registry: Registry, mentions: Sequence[str]) -> frozenset[str]:
    codes = set()
    for mention in mentions:
        for org in registry.resolve(mention).organisations:
            dept = registry.department_of(org.iri)
            if dept and dept.code:
                codes.add(dept.code)
    return frozenset(codes)


def department_words(registry: Registry) -> frozenset[str]:
    """Words of department names: departments are compared as departments, not as words."""
    return frozenset(t for org in registry.departments for t in tokens(org.label))


def entities(documents: Documents, registry: Registry) -> list[Entity]:
    """Initiatives and goals of every document, in document order."""
    common = department_words(registry)

    def named(texts: list[str]) -> tuple[frozenset[str], frozenset[str]]:
        """Capitalised words inside sentences and the names of units the registry knows;
        and capitalised words anywhere."""
        found: set[str] = set()
        capitalised: set[str] = set()
        for text in texts:
            within, anywhere = name_stems(text)
            found.update(within)
            capitalised.update(anywhere)
        for org in registry.find(" ".join(texts)):
            if org.kind == "Unit":
                found.update(tokens(org.label))
        return frozenset(found - common), frozenset(capitalised - common)

    found = []
    for source, result in documents:
        doc = result.document
        for item in result.initiatives:
            texts = [
                t
                for t in (
                    item.label,
                    item.description,
                    item.purpose,
                    item.goal_text,
                    item.target_group,
                    item.period_text,
                    item.financing_text,
                    *(s.text for s in item.statuses),
                )
                if t
            ]
            text = " ".join(texts)
            found.append(
                Entity(
                    record_iri(source.slug, "initiative", item.key).value,
                    "initiative",
                    source.slug,
                    doc.year,
                    doc.policy,
                    item.label,
                    tuple(tokens(item.label)),
                    tuple(tokens(text)),
                    *named(texts),
                    _departments(registry, [*item.responsible, *item.involved]),
                )
            )
        for goal in result.goals:
            texts = [t for t in (goal.label, goal.description) if t]
            text = " ".join(texts)
            found.append(
                Entity(
                    record_iri(source.slug, "goal", goal.key).value,
                    "goal",
                    source.slug,
                    doc.year,
                    doc.policy,
                    goal.label,
                    tuple(tokens(goal.label)),
                    tuple(tokens(text)),
                    *named(texts),
                    frozenset(),
                )
            )
    return found


def comparable(a: Entity, b: Entity) -> bool:
    """Initiatives across documents; goals only across documents of one policy."""
    if a.document == b.document or a.kind != b.kind:
        return False
    return a.kind == "initiative" or (a.policy is not None and a.policy == b.policy)


def _distinctive(entity: Entity, weight: Weights) -> bool:
    """A label worth finding in another text: a rare word, or a short phrase of fairly rare ones."""
    toks = entity.label_tokens
    if len(toks) == 1:
        return weight.count(toks[0]) <= RARE
    return 1 < len(toks) <= 4 and sum(weight(t) for t in toks) / len(toks) >= 3.0


def _name_weight(count: int) -> float:
    """A name only the two texts share is strong evidence; one a third text shares, less."""
    return 0.5 if count <= 2 else 0.3


def _telling(
    run: list[str],
    label_names: frozenset[str],
    weight: Weights,
    name_weight: Weights,
    org: frozenset[str],
) -> bool:
    """A shared phrase says something if it carries a rare name and is no organisation's name.

    "Tættere på familier" (a project's name) counts; "egen lejlighed",
    "råd og vejledning" or "Jobcenter København" do not.
    """
    run = [t for t in run if t not in org]
    return (
        len(run) >= 2
        and any(t in label_names and name_weight.count(t) <= RARE for t in run)
        and sum(weight(t) for t in run) / len(run) >= 3.0
    )


def _long_rare_names(x: Entity, weight: Weights, name_weight: Weights) -> list[str]:
    """Long rare names of x's label: another plan may write them out in parts."""
    return [
        t
        for t in dict.fromkeys(x.label_tokens)
        if len(t) >= COMPOUND_NAME and t in x.names and _rare(t, name_weight) and _rare(t, weight)
    ]


class Scorer:
    """Scores pairs of entities against the word and name counts of one archive.

    ``weight`` counts words over all texts, ``name_weight`` names over all
    texts; ``organisation_words`` (from the registry) make no phrase telling.
    What depends on one entity alone (is its label distinctive, which long
    names does it hold) or on one pair of labels (their likeness) is worked out
    once: an entity is scored against up to twice TOP_K others, and an archive
    repeats its labels from plan to plan.
    """

    def __init__(
        self, weight: Weights, name_weight: Weights, organisation_words: frozenset[str]
    ) -> None:
        self.weight = weight
        self.name_weight = name_weight
        self.organisation_words = organisation_words
        self._entity: dict[str, _Prepared] = {}
        self._labels: dict[tuple[tuple[str, ...], tuple[str, ...]], LabelMatch] = {}

    def _prepared(self, x: Entity) -> _Prepared:
        if x.iri not in self._entity:
            self._entity[x.iri] = _Prepared(
                distinctive=_distinctive(x, self.weight),
                rare_label_name=any(
                    t in x.names and self.name_weight.count(t) <= RARE for t in x.label_tokens
                ),
                long_names=_long_rare_names(x, self.weight, self.name_weight),
                text_words=frozenset(x.text_tokens),
            )
        return self._entity[x.iri]

    def _alike(self, a: Entity, b: Entity) -> LabelMatch:
        key = (a.label_tokens, b.label_tokens)
        if key not in self._labels:
            self._labels[key] = label_match(a.label_tokens, b.label_tokens, self.weight)
        return self._labels[key]

    def _rare_words(self, a: Entity, b: Entity) -> list[str]:
        """Rare words of both texts that are no name and no organisation's: corroboration only.

        On their own such words join unrelated initiatives ("tiltag", "hereft"), so
        they count only next to stronger evidence.
        """
        names = a.capitalised | b.capitalised
        return sorted(
            t
            for t in self._prepared(a).text_words & self._prepared(b).text_words
            if len(t) >= 5
            and self.weight.count(t) <= RARE_WORD
            and t not in names
            and t not in self.organisation_words
        )

    def __call__(self, a: Entity, b: Entity) -> tuple[Decimal, str, str]:
        """Score, method and evidence of the pair (a, b)."""
        weight, name_weight = self.weight, self.name_weight
        prepared = {a.iri: self._prepared(a), b.iri: self._prepared(b)}
        alike = self._alike(a, b)
        label, matched = alike.score, alike.matched
        if a.kind == "goal":
            label = label_ratio(a.label, b.label, floor=label)
        methods, evidence = [], []
        if matched:
            methods.append("label")
            evidence.append(f"labels {label:.2f} alike ({', '.join(matched)})")
        named = [
            x.label
            for x, y in ((a, b), (b, a))
            if prepared[x.iri].distinctive and contains(y.text_tokens, x.label_tokens)
        ]
        if named:
            methods.append("name-in-text")
            evidence.append("named in the other's text: " + "; ".join(f"'{n}'" for n in named))
        phrases = [
            " ".join(run)
            for x, y in ((a, b), (b, a))
            if not named and x.kind == "initiative" and prepared[x.iri].rare_label_name
            for run in [shared_phrase(x.label_tokens, y.text_tokens)]
            if _telling(run, x.names, weight, name_weight, self.organisation_words)
        ]
        if phrases:
            methods.append("phrase-in-text")
            evidence.append("label phrase in the other's text: " + "; ".join(phrases))
        compounds = [
            f"'{word}' as {' + '.join(parts)}"
            for x, y in ((a, b), (b, a))
            if not named and x.kind == "initiative"
            for word in prepared[x.iri].long_names
            if word not in prepared[y.iri].text_words
            for parts in [compound_split(word, y.text_tokens)]
            if parts
        ]
        if compounds:
            methods.append("compound-in-text")
            evidence.append("a name's parts in the other's text: " + "; ".join(compounds))
        shared_names = (a.names & b.capitalised) | (a.capitalised & b.names)
        rare = sorted(
            t
            for t in shared_names
            if len(t) >= 5 and name_weight.count(t) <= RARE and weight.count(t) <= RARE
        )
        if rare:
            methods.append("rare-names")
            evidence.append("shared rare names: " + ", ".join(rare))
        words = self._rare_words(a, b) if (named or compounds or rare) else []
        if words:
            methods.append("rare-words")
            evidence.append("shared rare words: " + ", ".join(words))
        by_names = min(0.7, sum(_name_weight(name_weight.count(t)) for t in rare))
        if len(rare) == 1 and not (named or phrases or compounds or words):
            # One shared name and nothing else is a lead, not a link: two plans may
            # mention Sundhedshus Nørrebro for different reasons.
            by_names = min(by_names, ALONE)
        value = 1 - (
            (1 - label)
            * (1 - 0.75 * bool(named))
            * (1 - 0.5 * bool(phrases))
            * (1 - 0.5 * bool(compounds))
            * (1 - by_names)
            * (1 - min(0.3, 0.1 * len(words)))
        )
        if a.departments and b.departments:
            shared = a.departments & b.departments
            if shared:
                evidence.append("shared departments: " + ", ".join(sorted(shared)))
            else:
                value *= 0.6
                methods.append("departments-differ")
                evidence.append(
                    f"departments differ: {', '.join(sorted(a.departments))} / "
                    f"{', '.join(sorted(b.departments))}"
                )
        if a.kind == "initiative" and matched and not (named or phrases or compounds or rare):
            # Labels alike but each with words of its own are two initiatives of a kind
            # ("… fritidstilbud for unge med angst i Sundby" / "… kontaktpersonordninger …",
            # "… for unge med angst …" / "… for borgere med handicap …"): a swap. Words
            # only one label has are an addition ("Familiehus" / "Etablering af Familiehus").
            lacking = alike.lacking
            if all(lacking):
                value *= CONTRADICTION
                methods.append("labels-differ")
                evidence.append(
                    "each label has its own words: "
                    f"{', '.join(lacking[0])} / {', '.join(lacking[1])}"
                )
        years = f"{a.year or '?'} → {b.year or '?'}"
        evidence.append(f"plans of {years}")
        rounded = Decimal(str(value)).quantize(Decimal("0.001"), rounding=ROUND_HALF_UP)
        return rounded, "+".join(methods) or "none", "; ".join(evidence)


@dataclass(frozen=True)
class _Prepared:
    """What Scorer needs of one entity whatever it is compared with."""

    distinctive: bool
    rare_label_name: bool
    long_names: list[str]
    text_words: frozenset[str]


BLOCK_LIMIT = 2000  # entities a text or name key may pair by itself
SCAN = 200  # label-block entries one entity looks through
COMPOUND = 6  # common label keys an entity combines into pairs
TOP_K = 5  # others kept per entity: of labels alike, and of texts naming it
Pair = tuple[int, int]
Group = tuple[str, str | None]
Index = dict[Hashable, list[int]]


def _group(entity: Entity) -> Group | None:
    """Which entities this one may be compared with (see comparable); None for none."""
    if entity.kind == "initiative":
        return ("initiative", None)
    return ("goal", entity.policy) if entity.policy is not None else None


def _label_keys(entity: Entity) -> set[str]:
    """Keys any label token shares with a word it can partly match (see token_similarity).

    Every match scored above zero shares either its first four letters (equal
    stems, inflections, long common prefixes) or the shorter word's last five
    (compound heads), so these keys find every pair a label can score on.
    """
    keys = {"p" + t[:4] for t in entity.label_tokens}
    keys.update("s" + t[-5:] for t in entity.label_tokens if len(t) >= 5)
    return keys


def _text_keys(entity: Entity) -> set[str]:
    """Keys under which this entity's text holds a word (as a prefix) or a name."""
    keys = {"p" + t[:k] for t in set(entity.text_tokens) for k in (2, 3, 4) if len(t) >= k}
    keys.update("n" + t for t in entity.names | entity.capitalised)
    return keys


def _whole_label(entity: Entity) -> str:
    """The label's stems all together: a label repeated word for word ranks its repeats first."""
    return "=" + " ".join(sorted(set(entity.label_tokens)))


def _label_probes(found: Sequence[Entity], groups: Sequence[Group | None]) -> list[list[Hashable]]:
    """Each entity's label keys (_label_keys, _whole_label), and pairs and triples of its
    common words, within its group.

    In a large archive every word of a label ("botilbud", "borgere") is in
    thousands of labels, so one word alone proposes too many pairs; two or
    three of them together still single out the few labels alike. Only the
    COMPOUND rarest common words (by their prefix key) are combined, so a long
    label adds at most 35 keys; a small corpus has no common words at all.
    """
    singles = [
        [(group, key) for key in [*sorted(_label_keys(e)), _whole_label(e)]] if group else []
        for e, group in zip(found, groups, strict=True)
    ]
    frequency = Counter(key for keys in singles for key in keys)
    probes = []
    for keys in singles:
        common = sorted(
            (k for k in keys if k[1].startswith("p") and frequency[k] > SCAN),
            key=lambda k: (frequency[k], k),
        )
        words = sorted(key for _, key in common[:COMPOUND])
        combined = [*itertools.combinations(words, 2), *itertools.combinations(words, 3)]
        probes.append(keys + [(keys[0][0], *combination) for combination in combined])
    return probes


@dataclass(frozen=True)
class TextProbes:
    """What Scorer may find of one entity in another text, as text keys (see _text_keys).

    A distinctive label counts only whole ("name-in-text"): a text holding it
    holds every word of it (``whole``). A telling phrase ("phrase-in-text") is
    two label words or more in a row, one of them a rare name: a text holding
    it holds the name and a word next to it (``phrases``: the name's key and its
    neighbours'). Shared rare names are names (``names``).
    """

    whole: frozenset[str]
    phrases: tuple[tuple[int, str, frozenset[str]], ...]
    names: frozenset[str]
    compounds: tuple[tuple[str, frozenset[str]], ...] = ()  # a long name, its parts' keys

    def keys(self) -> set[str]:
        keys = set(self.whole | self.names)
        for _, key, neighbours in self.phrases:
            keys.add(key)
            keys.update(neighbours)
        for _, parts in self.compounds:
            keys.update(parts)
        return keys


def _text_probes(entity: Entity, weight: Weights, name_weight: Weights) -> TextProbes:
    """The probes of ``entity``, by the same tests Scorer applies before looking in a text."""
    keys = ["p" + t[:4] for t in entity.label_tokens]
    whole = frozenset(keys) if _distinctive(entity, weight) else frozenset()
    phrases = tuple(
        (i, keys[i], frozenset(keys[max(i - 1, 0) : i] + keys[i + 1 : i + 2]))
        for i, t in enumerate(entity.label_tokens)
        if t in entity.names and _rare(t, name_weight)
    )
    names = frozenset(
        "n" + t for t in entity.names if len(t) >= 5 and _rare(t, name_weight) and _rare(t, weight)
    )
    compounds = tuple(
        (t, frozenset(key for head, tail in splits(t) for key in ("p" + head[:4], "p" + tail[:4])))
        for t in entity.label_tokens
        if len(t) >= COMPOUND_NAME
        and t in entity.names
        and _rare(t, name_weight)
        and _rare(t, weight)
    )
    return TextProbes(whole, phrases, names, compounds)


def _rare(token: str, weight: Weights) -> bool:
    """In at most RARE records: Scorer's test for a rare word or name."""
    return weight.count(token) <= RARE


def _text_index(
    found: Sequence[Entity], groups: Sequence[Group | None], probes: Sequence[TextProbes]
) -> Index:
    """Entities by the text keys some entity of their group looks for (no others: too many)."""
    wanted: dict[Group | None, set[str]] = {}
    for group, probe in zip(groups, probes, strict=True):
        wanted.setdefault(group, set()).update(probe.keys())
    index: Index = {}
    for n, (entity, group) in enumerate(zip(found, groups, strict=True)):
        if group:
            for key in _text_keys(entity) & wanted[group]:
                index.setdefault((group, key), []).append(n)
    return index


def _rarest(keys: Iterable[Hashable], index: Index, budget: int) -> list[list[int]]:
    """The blocks of the rarest keys, as many as ``budget`` entries hold."""
    blocks = []
    for size, key in sorted((len(index[k]), k) for k in keys):
        if size > budget:
            break
        budget -= size
        blocks.append(index[key])
    return blocks


def _text_blocks(
    found: Sequence[Entity], n: int, group: Group | None, probes: TextProbes, texts: Index
) -> list[list[int]]:
    """The texts that may hold what ``probes`` look for; blocks over BLOCK_LIMIT name nothing.

    Exact: every text in which Scorer would find something is in one of these.
    """

    def block(key: str) -> list[int]:
        held = texts.get((group, key), [])
        return held if len(held) <= BLOCK_LIMIT else []

    def holding(keys: Iterable[str]) -> set[int]:
        return {m for key in keys for m in block(key)}

    blocks = [block(key) for key in sorted(probes.names)]
    if probes.whole:
        words = sorted((texts.get((group, key), []) for key in sorted(probes.whole)), key=len)
        whole = set(words[0]) if len(words[0]) <= BLOCK_LIMIT else set()
        for other in words[1:]:
            if len(other) <= BLOCK_LIMIT:
                whole.intersection_update(other)
        blocks.append(sorted(whole))
    label = found[n].label_tokens
    for i, key, neighbours in probes.phrases:
        near = holding([key]) & holding(sorted(neighbours))
        blocks.append([m for m in sorted(near) if _holds_pair(found[m].text_tokens, label, i)])
    for word, keys in probes.compounds:
        near = holding(sorted(keys))
        blocks.append(
            [
                m
                for m in sorted(near)
                if word not in found[m].text_tokens and compound_split(word, found[m].text_tokens)
            ]
        )
    return [held for held in blocks if held]


def _holds_pair(text: Sequence[str], label: Sequence[str], i: int) -> bool:
    """Whether ``text`` holds label word ``i`` next to its neighbour in the label, as a phrase does."""
    for j, word in enumerate(text):
        if inflected(word, label[i]) and (
            (i > 0 and j > 0 and inflected(text[j - 1], label[i - 1]))
            or (i + 1 < len(label) and j + 1 < len(text) and inflected(text[j + 1], label[i + 1]))
        ):
            return True
    return False


def _tally(blocks: Iterable[list[int]], size: int) -> dict[int, float]:
    """Each entity of the blocks with the summed rarity (log inverse frequency) of its blocks."""
    shared: dict[int, float] = {}
    known = shared.get
    for block in blocks:
        rarity = math.log(size / len(block))
        for m in block:
            shared[m] = known(m, 0.0) + rarity
    return shared


def _ranked(shared: dict[int, float]) -> list[int]:
    """The entities of a tally, most shared first (ties: the earlier)."""
    return [m for m, _ in sorted(shared.items(), key=_most_shared_first)]


def _most_shared_first(item: tuple[int, float]) -> tuple[float, int]:
    return -item[1], item[0]


def _best(n: int, ranked: list[int], documents: Sequence[str]) -> Iterator[Pair]:
    """Pairs of ``n`` with the TOP_K of other documents that rank first."""
    best = itertools.islice((m for m in ranked if documents[m] != documents[n]), TOP_K)
    return ((min(n, m), max(n, m)) for m in best)


def candidate_pairs(found: Sequence[Entity], weight: Weights, name_weight: Weights) -> list[Pair]:
    """Index pairs worth scoring: the others score below REVIEW, or fall outside the TOP_K.

    Comparing every pair is quadratic: fine for five documents, hopeless for an
    archive. Each entity proposes a bounded number of pairs instead: the TOP_K
    labels sharing its rarest label keys (looking through SCAN entries of
    blocks at most), and the TOP_K texts holding its label or its rare names
    (ranked by the rarity of the keys found, plus their labels' likeness). A text key
    shared by more than BLOCK_LIMIT entities names nothing in particular. So
    both the looking and the pairs grow linearly with the archive; on the
    bundled corpus every pair scoring REVIEW or more is still proposed.
    """
    groups = [_group(e) for e in found]
    documents = [e.document for e in found]
    labels = _label_probes(found, groups)
    label_index: Index = {}
    for n, keys in enumerate(labels):
        for key in keys:
            label_index.setdefault(key, []).append(n)
    nothing = TextProbes(frozenset(), (), frozenset())
    in_text = [
        _text_probes(e, weight, name_weight) if group else nothing
        for e, group in zip(found, groups, strict=True)
    ]
    texts = _text_index(found, groups, in_text)
    proposals = _Proposals(found, groups, documents, labels, label_index, in_text, texts)
    forking = _forking(len(found), PARALLEL_ENTITIES)
    parts = _parts(len(found)) if forking else [range(len(found))]
    pairs: set[Pair] = set()
    for proposed in _each_part(_propose, proposals, parts, forking):
        pairs.update(proposed)
    return sorted(pairs)


@dataclass(frozen=True)
class _Proposals:
    """What each entity's proposals are looked up in (see candidate_pairs)."""

    found: Sequence[Entity]
    groups: Sequence[Group | None]
    documents: Sequence[str]
    labels: Sequence[list[Hashable]]
    label_index: Index
    in_text: Sequence[TextProbes]
    texts: Index


def _propose(proposals: _Proposals, part: range) -> set[Pair]:
    """The pairs the entities numbered ``part`` propose."""
    found, documents = proposals.found, proposals.documents
    pairs: set[Pair] = set()
    # Labels repeated word for word have the same keys, so the same labels alike.
    tallies: dict[tuple[Hashable, ...], tuple[dict[int, float], list[int]]] = {}
    for n in part:
        keys = tuple(proposals.labels[n])
        if keys not in tallies:
            shared = _tally(_rarest(keys, proposals.label_index, SCAN), len(found))
            tallies[keys] = shared, _ranked(shared)
        alike, ranked = tallies[keys]
        pairs.update(_best(n, ranked, documents))
        blocks = _text_blocks(found, n, proposals.groups[n], proposals.in_text[n], proposals.texts)
        named = _tally(blocks, len(found))
        if named:
            for m in named:
                named[m] += alike.get(m, 0.0)
            pairs.update(_best(n, _ranked(named), documents))
    return pairs


WORKERS = 2  # processes sharing a large archive's work: the machines it runs on have two cores
PARALLEL = 20_000  # pairs worth forking to score (about ×20): fewer are scored sooner here
PARALLEL_ENTITIES = 5_000  # entities worth forking to propose pairs for (about ×20)
Context = TypeVar("Context")
Done = TypeVar("Done")
_SHARED: tuple[Callable[[Any, range], Any], Any] | None = None  # a forked worker's work


def _forking(size: int, threshold: int) -> bool:
    """Whether work of ``size`` is split between WORKERS forked processes.

    A process running other threads (the web application's) works alone: a
    fork copies only the calling thread, and locks other threads hold stay held.
    """
    return (
        size >= threshold
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    )


def _parts(count: int) -> list[range]:
    """``range(count)`` in a few parts per worker, so that neither worker idles."""
    size = -(-count // (4 * WORKERS))
    return [range(start, min(start + size, count)) for start in range(0, count, size)]


def _each_part(
    work: Callable[[Context, range], Done], context: Context, parts: list[range], forking: bool
) -> list[Done]:
    """``work(context, part)`` for each part: here, or in WORKERS forked processes, which
    share ``context`` without copying it. Each part's result depends on it alone, so the
    results are the same either way."""
    global _SHARED
    if not forking:
        return [work(context, part) for part in parts]
    _SHARED = (work, context)
    try:
        with multiprocessing.get_context("fork").Pool(WORKERS) as pool:
            return pool.map(_work_in_worker, parts)
    finally:
        _SHARED = None


def _work_in_worker(part: range) -> Any:
    assert _SHARED is not None, "set by _each_part before the fork"
    work, context = _SHARED
    return work(context, part)


def _scored(found: Sequence[Entity], pairs: Sequence[Pair], score: Scorer) -> list[Link]:
    """The links of the pairs scoring at least REVIEW, in the order of ``pairs``.

    Each pair is scored on its own, so a large archive's pairs are scored in
    WORKERS forked processes (see _each_part).
    """
    forking = _forking(len(pairs), PARALLEL)
    parts = _parts(len(pairs)) if forking else [range(len(pairs))]
    scored = _each_part(_scored_part, (found, pairs, score), parts, forking)
    return [link for links in scored for link in links]


def _scored_part(
    context: tuple[Sequence[Entity], Sequence[Pair], Scorer], part: range
) -> list[Link]:
    found, pairs, score = context
    links = []
    for i, j in (pairs[k] for k in part):
        a, b = found[i], found[j]
        if comparable(a, b):
            # Scored in time order, so the evidence reads "plans of 2015 → 2019" as the link does.
            source, target = (a, b) if (a.year or 0, a.iri) <= (b.year or 0, b.iri) else (b, a)
            value, method, evidence = score(source, target)
            if value >= REVIEW:
                status = "accepted" if value >= ACCEPT else "candidate"
                links.append(Link(source.iri, target.iri, value, method, evidence, status))
    return links


@_without_cycle_collection
def correspondences(
    documents: Documents, registry: Registry, decisions: dict[tuple[str, str], Decision]
) -> list[Link]:
    """Every pair scoring at least REVIEW, plus pairs a person decided, sorted by IRI."""
    found = entities(documents, registry)
    organisation_words = frozenset(
        t for org in registry.organisations.values() for t in tokens(org.label)
    )
    weight = Weights(e.text_tokens for e in found)
    name_weight = Weights(e.names for e in found)
    score = Scorer(weight, name_weight, organisation_words)
    pairs = candidate_pairs(found, weight, name_weight)
    links = {pair(link.source, link.target): link for link in _scored(found, pairs, score)}
    _one_goal_per_plan(links)
    for key, decision in decisions.items():
        status = "accepted" if decision.decision == "accept" else "rejected"
        note = f"{decision.decision}ed by a person on {decision.date}" + (
            f": {decision.note}" if decision.note else ""
        )
        if key in links:
            old = links[key]
            links[key] = Link(
                old.source, old.target, old.score, old.method, f"{old.evidence}; {note}", status
            )
        elif decision.decision == "accept":
            # A person may link what the scores missed (e.g. a renamed initiative).
            links[key] = Link(decision.source, decision.target, Decimal(0), "manual", note, status)
    return [links[k] for k in sorted(links)]


def _one_goal_per_plan(links: dict[tuple[str, str], Link]) -> None:
    """A policy's goal appears once in each plan: pair goals one to one, best scores first.

    Greedy assignment, so a goal already paired with its twin cannot also take
    a neighbour that merely ends with the same words.
    """
    taken: set[tuple[str, str]] = set()  # (goal, other plan)
    goals = sorted(
        ((k, v) for k, v in links.items() if "/goal/" in v.source),
        key=lambda kv: (-kv[1].score, kv[0]),
    )
    for key, link in goals:
        source_plan = link.source.rsplit("/goal/", 1)[0]
        target_plan = link.target.rsplit("/goal/", 1)[0]
        if (link.source, target_plan) in taken or (link.target, source_plan) in taken:
            del links[key]
            continue
        taken.update({(link.source, target_plan), (link.target, source_plan)})


def correspondence_quads(links: Sequence[Link]) -> list[Quad]:
    """Each link as an ig:Correspondence, and ig:correspondsTo both ways when accepted."""
    quads = []

    def add(s: NamedNode, p: NamedNode, o: NamedNode | Literal) -> None:
        quads.append(Quad(s, p, o, LINKS_GRAPH))

    for link in links:
        node, source, target = link.iri, NamedNode(link.source), NamedNode(link.target)
        add(node, NamedNode(RDF + "type"), ig("Correspondence"))
        add(node, ig("linkSource"), source)
        add(node, ig("linkTarget"), target)
        add(node, ig("linkScore"), Literal(str(link.score), datatype=NamedNode(XSD + "decimal")))
        add(node, ig("linkMethod"), Literal(link.method))
        add(node, ig("evidence"), Literal(link.evidence, language="en"))
        add(node, ig("linkStatus"), ig(link.status.capitalize()))
        if link.status == "accepted":
            add(source, ig("correspondsTo"), target)
            add(target, ig("correspondsTo"), source)
    return quads


@_without_cycle_collection
def link_quads(
    documents: Documents, registry: Registry, decisions: dict[tuple[str, str], Decision]
) -> tuple[list[Quad], list[Link]]:
    """The whole links graph: correspondences and resolved references."""
    from .references import reference_quads

    links = correspondences(documents, registry, decisions)
    return correspondence_quads(links) + reference_quads(documents), links
