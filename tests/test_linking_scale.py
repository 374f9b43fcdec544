"""Cross-document linking proposes a bounded number of pairs per entity, at any scale.

The scale generator repeats initiative titles from a small vocabulary, so in a
generated archive nearly every label shares words with thousands of others:
the corpus on which all-pairs blocking went quadratic (85 candidate pairs per
entity at ×1, several hundred at ×10). Counting pairs, not timing them, keeps
this test deterministic.
"""

from __future__ import annotations

import pytest
from conftest import scale_generator
from indsatsgraf.graph import linking
from indsatsgraf.graph.builder import record_iri
from indsatsgraf.graph.organisations import Registry
from indsatsgraf.graph.pipeline import import_all
from indsatsgraf.graph.references import Resolver, reports_in_force
from indsatsgraf.graph.similarity import Weights
from indsatsgraf.graph.vocabulary import ig
from indsatsgraf.importers.records import Document


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    folder = tmp_path_factory.mktemp("scale")
    scale_generator().generate(folder, scale=4, seed=3)
    imported = import_all(sorted((folder / "documents").glob("*.txt")))
    return [(item.source, item.result) for item in imported]


def test_candidate_pairs_grow_linearly_with_entities(generated):
    found = linking.entities(generated, Registry.load())
    weight = Weights(e.text_tokens for e in found)
    pairs = linking.candidate_pairs(found, weight, Weights(e.names for e in found))
    # Each entity proposes at most TOP_K labels alike and TOP_K texts naming it.
    assert len(pairs) <= 2 * linking.TOP_K * len(found)
    assert all(linking.comparable(found[i], found[j]) for i, j in pairs)


def test_every_repeated_initiative_is_linked_to_a_repeat(generated):
    """The generator's shared titles recur across plans: each recurrence finds another."""
    found = [e for e in linking.entities(generated, Registry.load()) if e.kind == "initiative"]
    documents_of: dict[str, set[str]] = {}
    for e in found:
        documents_of.setdefault(e.label, set()).add(e.document)
    label = {e.iri: e.label for e in found}
    twins = {
        iri
        for link in linking.correspondences(generated, Registry.load(), {})
        if link.status == "accepted" and label.get(link.source) == label.get(link.target)
        for iri in (link.source, link.target)
    }
    repeated = [e.iri for e in found if len(documents_of[e.label]) > 1]
    assert len(repeated) > 100
    assert [iri for iri in repeated if iri not in twins] == []


def test_generated_titles_differing_in_a_slot_are_mostly_not_linked(generated):
    """The generator's titles share three of four slots with many others ("Flere
    fritidstilbud for unge med angst i Sundby" / "Flere kontaktpersonordninger …");
    only an unchanged title is the same initiative. Without weighing the words
    each label has of its own, 4 in 5 accepted links joined different titles;
    weighing only telling words, and with "Flere"/"Nye" as stopwords, about 1 in 6
    still did ("Flere værestederne …" / "Fleksible værestederne …").
    """
    found = linking.entities(generated, Registry.load())
    label = {e.iri: e.label for e in found if e.kind == "initiative"}
    accepted = [
        link
        for link in linking.correspondences(generated, Registry.load(), {})
        if link.status == "accepted" and link.source in label
    ]
    same = sum(label[link.source] == label[link.target] for link in accepted)
    assert same / len(accepted) >= 0.95


def test_benchmark_references_resolve_into_one_document_per_period(generated):
    """Yearly status reports repeat a period's benchmarks; a reference names one report's.

    Resolving into every report was quadratic (about 512k links at ×100).
    """
    resolver = Resolver(generated)
    for source, result in generated:
        resolver.document(source, result)
    document_of = {
        record_iri(source.slug, "goal", goal.key).value: source.slug
        for source, _, goal in resolver.benchmarks
    }
    assert len(set(document_of.values())) == 4  # one benchmark document per ×1
    documents_named: dict[str, set[str]] = {}
    for quad in resolver.quads:
        if quad.predicate == ig("resolvesTo") and quad.object.value in document_of:
            named = documents_named.setdefault(quad.subject.value, set())
            named.add(document_of[quad.object.value])
    assert len(documents_named) > 20
    assert [ref for ref, named in documents_named.items() if len(named) != 1] == []


def test_a_plan_refers_to_the_benchmark_report_current_in_its_year():
    reports = [
        ("status-2014", Document("Status 2014", "benchmark-status", [], 2014, 2014, 2017)),
        ("status-2016", Document("Status 2016", "benchmark-status", [], 2016, 2014, 2017)),
        ("status-2019", Document("Status 2019", "benchmark-status", [], 2019, 2018, 2021)),
        ("no-period", Document("Pejlemærker", "benchmark-status", [], 2020)),
    ]
    current = reports_in_force(reports)
    assert current(2013) == {"no-period"}  # no period covers 2013
    assert current(2015) == {"status-2014", "no-period"}
    assert current(2016) == {"status-2016", "no-period"}
    assert current(2017) == {"status-2016", "no-period"}
    assert current(2018) == {"status-2019", "no-period"}  # published later, still in force
    assert current(None) == {"status-2016", "status-2019", "no-period"}


def test_the_best_match_looks_only_where_a_match_can_be(generated):
    """_best_match skips words sharing neither the first four letters nor the last five;
    on every pair of label words of a generated archive it scores as comparing all."""
    from indsatsgraf.graph.similarity import _best_match, token_similarity

    words = sorted(
        {t for e in linking.entities(generated, Registry.load()) for t in e.label_tokens}
    )
    assert len(words) > 100
    partial = 0
    for word in words:
        exhaustive = max(token_similarity(word, other) for other in words if other != word)
        found, partner = _best_match(word, [other for other in words if other != word])
        assert found == exhaustive, word
        if found:
            assert token_similarity(word, partner) == found
            partial += found < 1
    assert partial > 20, "words that match only partly are the case the shortcut must keep"


def test_two_processes_link_exactly_as_one(generated, monkeypatch):
    """A large archive's pairs are proposed and scored in forked workers; the links are
    the same."""
    alone = linking.correspondences(generated, Registry.load(), {})
    monkeypatch.setattr(linking, "PARALLEL", 1)
    monkeypatch.setattr(linking, "PARALLEL_ENTITIES", 1)
    shared = linking.correspondences(generated, Registry.load(), {})
    assert len(alone) > 500
    assert shared == alone


def test_one_pass_over_two_labels_finds_what_two_passes_did(generated):
    """label_match's unmatched words are unmatched's, for the labels of a generated archive
    (their words recur with other words from plan to plan)."""
    from indsatsgraf.graph.similarity import label_match, unmatched

    found = linking.entities(generated, Registry.load())
    weight = Weights(e.text_tokens for e in found)
    labels = sorted({e.label_tokens for e in found})[:120]
    swaps = 0
    for a in labels:
        for b in labels[::7]:
            match = label_match(a, b, weight)
            assert match.lacking == (unmatched(a, b), unmatched(b, a))
            swaps += all(match.lacking) and bool(match.matched)
    assert swaps > 50  # labels alike, each with words of its own: the case that uses it


def test_linking_pauses_the_cycle_collector_and_restores_it(generated, monkeypatch):
    import gc

    seen = []
    entities = linking.entities
    monkeypatch.setattr(
        linking, "entities", lambda *args: seen.append(gc.isenabled()) or entities(*args)
    )
    assert gc.isenabled()
    linking.correspondences(generated[:3], Registry.load(), {})
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        linking.correspondences(generated[:3], Registry.load(), {})
    finally:
        still_off = not gc.isenabled()
        gc.enable()
    assert still_off


def test_a_process_running_other_threads_scores_alone(generated, monkeypatch):
    """A fork copies only the calling thread, so a server's build never forks."""
    import threading

    def no_fork(method: str):
        raise AssertionError(f"forked ({method}) while another thread ran")

    monkeypatch.setattr(linking, "PARALLEL", 1)
    monkeypatch.setattr(linking, "PARALLEL_ENTITIES", 1)
    monkeypatch.setattr(linking.multiprocessing, "get_context", no_fork)
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        links = linking.correspondences(generated[:6], Registry.load(), {})
    finally:
        release.set()
        other.join()
    assert links
