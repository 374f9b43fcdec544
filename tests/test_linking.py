"""Cross-document links: correspondences, resolved references, decisions and saved queries.

Precision and recall are measured on tests/data/link-pairs.tsv, pairs judged true or
false by reading the documents (not by looking at the scores). The expected facts
below were checked in data/sources/*.txt: e.g. the 2015 plan's initiative 1.1.1
"understøtter Socialudvalgets pejlemærke om, at flere udsatte københavnere har en
bolig, jf. også spor 6 i Socialforvaltningens Boligplan" (tvaergaaende, line 33), and
the 2023 plan's "Investeringsinitiativ: HA01 (2024) Videreudvikling af Tættere på
familier med børn og unge med handicap" (sof-2023, line 426).
"""

from __future__ import annotations

import csv
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from indsatsgraf.cli import main
from indsatsgraf.graph import link_decisions, linking
from indsatsgraf.graph.organisations import Registry
from indsatsgraf.graph.pipeline import build, bundled_sources, import_all
from indsatsgraf.graph.references import Resolver
from indsatsgraf.graph.sparql import run_embedded, with_values
from indsatsgraf.graph.store import GraphStore
from indsatsgraf.graph.vocabulary import ID, LINKS_GRAPH
from indsatsgraf.queries.catalog import find

PAIRS = Path(__file__).parent / "data" / "link-pairs.tsv"
IG = "https://w3id.org/indsatsgraf/ontology#"
FAMILIEHUS_2015 = ID + "tvaergaaende-indsatsplan-2015/initiative/2.1.5"
FAMILIEHUSET_2019 = ID + "sof-indsatsplan-status-2019/initiative/familiehuset"
VIDEREUDVIKLING_2023 = (
    ID
    + "sof-indsatsplan-2023-2026/initiative/6.1-videreudvikling-af-taettere-paa-familier-med-boern-og-unge"
)
HJERNESKADE_2015 = ID + "tvaergaaende-indsatsplan-2015/initiative/1.4.2"
HJERNESKADEKOORDINATION_2019 = (
    ID
    + "sof-indsatsplan-status-2019/initiative/hjerneskadekoordinationen-samarbejde-mellem-sundheds-og"
)

VERAHUS_2019 = (
    ID
    + "sof-indsatsplan-status-2019/initiative/implementering-af-ny-organisering-paa-hjerneskadeomraadet"
)
SUNDHEDSHUSE_2015 = ID + "tvaergaaende-indsatsplan-2015/initiative/1.5.1"
BIF_SAMARBEJDE = (
    ID
    + "bif-indsatsplan-2018-2022/initiative/bif-har-fokus-paa-at-samarbejde-med-hhv-socialforvaltningen-sof-og-sundheds-og"
)


@pytest.fixture(scope="module")
def documents():
    return [(item.source, item.result) for item in import_all(bundled_sources())]


@pytest.fixture(scope="module")
def links(documents):
    return linking.correspondences(documents, Registry.load(), {})


def labelled_pairs() -> list[tuple[str, str, bool]]:
    with PAIRS.open(encoding="utf-8") as handle:
        rows = [r for r in csv.reader(handle, delimiter="\t") if r and not r[0].startswith("#")]
    return [(ID + a, ID + b, same == "true") for a, b, same, *_ in rows[1:]]


def rows(store, name: str, **params: str) -> list[dict]:
    query = find(name)
    return run_embedded(store, query, query.bindings(params)).rows


def ask(store, text: str) -> bool:
    return bool(store.query(f"PREFIX ig: <{IG}> ASK {{ {text} }}", use_default_graph_as_union=True))


# -- correspondences -----------------------------------------------------------


def test_labelled_pairs_are_many_and_name_real_resources(documents):
    pairs = labelled_pairs()
    known = {e.iri for e in linking.entities(documents, Registry.load())}
    assert sum(same for *_, same in pairs) == 24
    assert sum(not same for *_, same in pairs) == 52
    assert all(a in known and b in known for a, b, _ in pairs)


def test_precision_and_recall_on_the_labelled_pairs(links):
    accepted = {
        frozenset((link.source, link.target)) for link in links if link.status == "accepted"
    }
    tp = fp = fn = 0
    for a, b, same in labelled_pairs():
        hit = frozenset((a, b)) in accepted
        tp += hit and same
        fp += hit and not same
        fn += same and not hit
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert precision >= 0.96 and recall >= 0.96
    # Pinned at ACCEPT 0.50. Before a single shared name needed corroboration, BIF's
    # referral to Sundhedshus Nørrebro was accepted as the 2015 health houses'
    # accessibility; before a name's parts counted, the 2015 coordination function
    # that became Hjerneskadekoordinationen was missed.
    assert (tp, fp, fn) == (24, 0, 0)
    assert (Decimal("0.50"), Decimal("0.35")) == (linking.ACCEPT, linking.REVIEW)


def test_labels_alike_in_all_but_their_telling_words_are_not_even_candidates(links):
    """Shelter places are no care-home places; pedagogical support is no health care."""
    proposed = {frozenset((link.source, link.target)) for link in links}
    different = [
        (
            "tvaergaaende-indsatsplan-2015/initiative/1.1.4",  # Etablering af afskærmningspladser
            "sof-indsatsplan-2023-2026/initiative/6.2-etablering-af-nye-botilbudspladser",
        ),
        (
            "sof-indsatsplan-status-2019/initiative/styrke-den-paedagogiske-stoette-i-forvaltningens-botilbud",
            "sof-indsatsplan-2023-2026/initiative/6.4-styrke-den-sundhedsfaglige-indsats-paa-botilbud",
        ),
    ]
    assert [pair for pair in different if frozenset(ID + iri for iri in pair) in proposed] == []


def test_the_issue_examples_are_linked_with_evidence(links):
    by_pair = {frozenset((link.source, link.target)): link for link in links}
    familiehus = by_pair[frozenset((FAMILIEHUS_2015, FAMILIEHUSET_2019))]
    assert familiehus.status == "accepted"
    assert "Familiehuset" in familiehus.evidence and "SOF" in familiehus.evidence
    hverdag = by_pair[
        frozenset(
            (
                ID + "sof-indsatsplan-status-2019/initiative/hverdagsaktivisterne",
                ID + "sof-indsatsplan-2023-2026/initiative/6.1-hverdagsaktivisterne",
            )
        )
    ]
    assert hverdag.score == Decimal("1.000")
    taet = by_pair[
        frozenset(
            (ID + "sud-pejlemaerker-2014-2017/initiative/taet-paa-familien", VIDEREUDVIKLING_2023)
        )
    ]
    assert taet.status == "accepted" and "Tæt på familien" in taet.evidence
    soeflygade = by_pair[
        frozenset(
            (
                ID
                + "sof-indsatsplan-status-2019/initiative/sikre-et-tilstraekkeligt-antal-botilbudspladser-til-det",
                ID + "sof-indsatsplan-2023-2026/initiative/6.2-etablering-af-nye-botilbudspladser",
            )
        )
    ]
    assert "soeflygad" in soeflygade.evidence
    samraad = by_pair[
        frozenset(
            (
                HJERNESKADE_2015,
                ID
                + "bif-indsatsplan-2018-2022/initiative/bif-har-fokus-paa-at-samarbejde-med-hhv-socialforvaltningen-sof-og-sundheds-og",
            )
        )
    ]
    assert "hjerneskadesamraad" in samraad.evidence


def test_a_name_written_out_in_parts_links_the_coordination_function(links):
    """2015's 1.4.2 sets up "en koordinationsfunktion" for borgere med "erhvervet hjerneskade";
    2019 reports on "Hjerneskadekoordinationen" (started 2016). No label word is shared."""
    link = {frozenset((lk.source, lk.target)): lk for lk in links}[
        frozenset((HJERNESKADE_2015, HJERNESKADEKOORDINATION_2019))
    ]
    assert link.status == "accepted"
    assert "compound-in-text" in link.method
    assert "hjerneskad + koordination" in link.evidence
    assert "rehabiliteringsforloeb" in link.evidence  # corroborated by a rare word of both


def test_one_shared_rare_name_alone_is_a_candidate_at_most(links):
    """BIF refers sick-listed citizens to Sundhedshus Nørrebro; 2015's 1.5.1 is about the
    health houses' accessibility. They share that one name and nothing else."""
    by_pair = {frozenset((lk.source, lk.target)): lk for lk in links}
    link = by_pair[frozenset((SUNDHEDSHUSE_2015, BIF_SAMARBEJDE))]
    assert link.status == "candidate" and "sundhedshus" in link.evidence
    assert by_pair[frozenset((HJERNESKADE_2015, BIF_SAMARBEJDE))].status == "candidate"
    lone = [
        lk
        for lk in links
        if lk.status == "accepted"
        and lk.method in ("rare-names", "label+rare-names")
        and lk.evidence.count("shared rare names:") == 1
        and "," not in lk.evidence.split("shared rare names: ")[1].split(";")[0]
    ]
    assert lone == []


def test_every_link_is_explained_and_ordered_in_time(links, documents):
    years = {src.slug: res.document.year for src, res in documents}
    for link in links:
        assert link.method and link.evidence and link.status in ("accepted", "candidate")
        assert linking.REVIEW <= link.score <= 1
        source_year = years[link.source.removeprefix(ID).split("/")[0]]
        target_year = years[link.target.removeprefix(ID).split("/")[0]]
        assert source_year <= target_year
        assert f"plans of {source_year} → {target_year}" in link.evidence


def test_linking_is_deterministic(documents, links):
    again = linking.correspondences(documents, Registry.load(), {})
    assert again == links
    assert [link.iri for link in again] == [link.iri for link in links]
    assert links[0].iri.value.startswith(ID + "link/")


def test_goals_pair_one_to_one_between_plans_of_one_policy(links):
    goal_links = [link for link in links if "/goal/" in link.source]
    assert len(goal_links) == 13  # 3 themes and 10 goals of Handicappolitik 2018-2022
    sources = [link.source for link in goal_links]
    assert len(sources) == len(set(sources))


def test_links_graph_holds_correspondences_and_both_directions(oxstore):
    graph = f"<{LINKS_GRAPH.value}>"
    assert ask(
        oxstore, f"GRAPH {graph} {{ <{FAMILIEHUS_2015}> ig:correspondsTo <{FAMILIEHUSET_2019}> }}"
    )
    assert ask(
        oxstore, f"GRAPH {graph} {{ <{FAMILIEHUSET_2019}> ig:correspondsTo <{FAMILIEHUS_2015}> }}"
    )
    assert ask(
        oxstore,
        f"GRAPH {graph} {{ ?l a ig:Correspondence ; ig:linkSource <{FAMILIEHUS_2015}> ; "
        f"ig:linkTarget <{FAMILIEHUSET_2019}> ; ig:linkStatus ig:Accepted ; ig:linkScore ?s ; "
        "ig:linkMethod ?m ; ig:evidence ?e }",
    )
    # candidates are not stated as correspondences
    assert not ask(
        oxstore,
        "?l ig:linkStatus ig:Candidate ; ig:linkSource ?a ; ig:linkTarget ?b . ?a ig:correspondsTo ?b",
    )


# -- references ----------------------------------------------------------------


def test_benchmark_references_resolve_to_the_2014_17_benchmarks(oxstore):
    bench = ID + "sud-pejlemaerker-2014-2017/goal/"
    plan2015 = ID + "tvaergaaende-indsatsplan-2015/"
    # "flere udsatte københavnere har en bolig" → pejlemærke 1
    assert ask(
        oxstore,
        f"<{plan2015}initiative/1.1.1> ig:crossReference <{bench}1> ; ig:supports <{bench}1>",
    )
    assert ask(oxstore, f"<{plan2015}reference/1.1.1-1> ig:resolvesTo <{bench}1>")
    # "… bliver selvforsøgende via beskæftigelse eller uddannelse" → 4 (uddannelse eller beskæftigelse)
    assert ask(oxstore, f"<{plan2015}initiative/1.3.2> ig:crossReference <{bench}4>")
    # 1.4.4 names two: høj livskvalitet (8) and tilfredse med samarbejdet (9)
    assert ask(oxstore, f"<{plan2015}initiative/1.4.4> ig:supports <{bench}8>, <{bench}9>")
    assert not ask(oxstore, f"<{plan2015}initiative/1.1.1> ig:crossReference <{bench}4>")


def test_see_also_theme_resolves_to_the_theme(oxstore):
    doc = ID + "sof-indsatsplan-status-2019/"
    # Familiehuset: "Fremgår også under Netværk" (theme 4) and "… under Det gode liv" (theme 1)
    assert ask(
        oxstore, f"<{doc}initiative/familiehuset> ig:crossReference <{doc}goal/4>, <{doc}goal/1>"
    )
    assert ask(
        oxstore,
        f"<{doc}goal/4> a ig:Theme ; <http://www.w3.org/2000/01/rdf-schema#label> 'Netværk'@da",
    )
    assert ask(oxstore, f"<{doc}reference/familiehuset-1> ig:resolvesTo <{doc}goal/4>")


def test_budget_codes_resolve_to_the_budget_item(documents, oxstore):
    ha01 = ID + "sof-indsatsplan-2023-2026/budget/ha01"
    assert [n.value for n in Resolver(documents).budget_items("HA01 (2024)")] == [ha01]
    both = {n.value for n in Resolver(documents).budget_items("HA01")}
    assert both == {ha01, ID + "sof-indsatsplan-2023-2026/budget/ha01-overfoerselsagen-2020-2021"}
    assert ask(
        oxstore, f"<{VIDEREUDVIKLING_2023}> ig:fundedBy <{ha01}> . <{ha01}> ig:budgetYear 2024"
    )
    # "Tæt på familien" is funded by Ø401 "Tæt på familien (Omstilling af området …)"
    assert ask(
        oxstore,
        f"<{ID}sud-pejlemaerker-2014-2017/initiative/taet-paa-familien> ig:fundedBy "
        f"<{ID}sud-pejlemaerker-2014-2017/budget/oe401>",
    )


def test_programme_tracks_are_resources_initiatives_support(oxstore):
    bolig = ID + "programme/socialforvaltningens-boligplan/"
    plan2015 = ID + "tvaergaaende-indsatsplan-2015/initiative/"
    assert ask(oxstore, f"<{plan2015}1.1.1> ig:supports <{bolig}spor-6>, <{bolig}spor-9>")
    assert ask(oxstore, f"<{plan2015}1.1.2> ig:supports <{bolig}spor-4>")
    assert ask(
        oxstore,
        f"<{bolig}spor-6> a ig:ProgrammeTrack ; <http://www.w3.org/2000/01/rdf-schema#label> "
        "'Spor 6: flere og bedre selvstændige boliger'@da ; "
        f"<http://purl.org/dc/terms/isPartOf> <{ID}programme/socialforvaltningens-boligplan>",
    )
    omstilling = ID + "programme/borgercenter-handicaps-omstillingsplan/"
    tracks = oxstore.query(
        f"PREFIX ig: <{IG}> SELECT ?t WHERE {{ <{ID}programme/borgercenter-handicaps-omstillingsplan> ig:hasTrack ?t }}",
        use_default_graph_as_union=True,
    )
    assert {s["t"].value for s in tracks} == {
        omstilling + "goddag-hvem-er-du",
        omstilling + "livet-er-ikke-snorlige",
        omstilling + "de-rette-tilbud",
    }
    doc = ID + "sof-indsatsplan-2023-2026/"
    assert ask(
        oxstore,
        f"<{doc}initiative/6.1-hverdagsaktivisterne> ig:supports <{omstilling}livet-er-ikke-snorlige>",
    )
    assert ask(
        oxstore,
        f"<{doc}budget/ha01-overfoerselsagen-2020-2021> ig:supports <{omstilling}livet-er-ikke-snorlige>",
    )
    assert ask(
        oxstore,
        f"<{doc}initiative/6.2-etablering-af-nye-botilbudspladser> ig:supports <{omstilling}de-rette-tilbud>",
    )


def test_one_organisation_named_differently_is_one_iri(oxstore):
    org = ID + "org/"
    # "Beskæftigelsesforvaltningen" (2015, 1.4.1) and BIF's own plan
    assert ask(
        oxstore,
        f"<{ID}tvaergaaende-indsatsplan-2015/initiative/1.4.1> ig:responsibleDepartment <{org}bif>",
    )
    assert ask(
        oxstore,
        f"?i ig:describedIn <{ID}plan/bif-indsatsplan-2018-2022> ; ig:responsibleDepartment <{org}bif>",
    )
    # "BCH" (2019) and "Borgercenter Handicap" (2023)
    assert ask(
        oxstore, f"<{FAMILIEHUSET_2019}> ig:responsibleDepartment <{org}borgercenter-handicap>"
    )
    assert ask(
        oxstore,
        f"<{ID}sof-indsatsplan-2023-2026/initiative/1.1-paaroerendevejleder-for-paaroerende-til-boern-unge-eller> "
        f"ig:responsibleDepartment <{org}borgercenter-handicap>",
    )


# -- decisions -------------------------------------------------------------------


def test_decisions_round_trip_and_last_line_wins(tmp_path):
    path = tmp_path / "decisions.tsv"
    link_decisions.record(FAMILIEHUS_2015, FAMILIEHUSET_2019, "reject", "test", path)
    link_decisions.record(FAMILIEHUSET_2019, FAMILIEHUS_2015, "accept", "changed my mind", path)
    found = link_decisions.load(path)
    assert list(found) == [link_decisions.pair(FAMILIEHUS_2015, FAMILIEHUSET_2019)]
    assert found[link_decisions.pair(FAMILIEHUS_2015, FAMILIEHUSET_2019)].decision == "accept"
    assert path.read_text().splitlines()[0] == "source\ttarget\tdecision\tdate\tnote"
    with pytest.raises(link_decisions.LinkDecisionError):
        link_decisions.record(FAMILIEHUS_2015, FAMILIEHUSET_2019, "maybe", path=path)
    with pytest.raises(link_decisions.LinkDecisionError):
        link_decisions.record("2.1.5", FAMILIEHUSET_2019, "accept", path=path)


def test_a_rebuild_honours_the_decisions(tmp_path, built_store):
    decisions = tmp_path / "decisions.tsv"
    runner = CliRunner()
    for verb, a, b in (
        ("reject", FAMILIEHUS_2015, FAMILIEHUSET_2019),
        ("accept", HJERNESKADE_2015.removeprefix(ID), VERAHUS_2019),
    ):
        result = runner.invoke(
            main,
            ["--store", str(built_store.path), "links", "--decisions", str(decisions), verb, a, b],
        )
        assert result.exit_code == 0, result.output
    assert len(link_decisions.load(decisions)) == 2
    store = GraphStore(tmp_path / "store")
    summary = build(store, decisions=decisions)
    ox = store.open()
    assert not ask(ox, f"<{FAMILIEHUS_2015}> ig:correspondsTo <{FAMILIEHUSET_2019}>")
    assert ask(
        ox,
        f"?l ig:linkSource <{FAMILIEHUS_2015}> ; ig:linkTarget <{FAMILIEHUSET_2019}> ; ig:linkStatus ig:Rejected",
    )
    assert ask(ox, f"<{HJERNESKADE_2015}> ig:correspondsTo <{VERAHUS_2019}>")
    assert ask(
        ox,
        f"?l ig:linkSource <{HJERNESKADE_2015}> ; ig:linkTarget <{VERAHUS_2019}> ; "
        "ig:linkMethod 'manual' ; ig:linkStatus ig:Accepted",
    )
    assert summary.links == 24  # 24 scored accepted, one rejected, one added by hand


def test_links_command_lists_candidates_with_evidence(built_store):
    result = CliRunner().invoke(
        main, ["--store", str(built_store.path), "links", "list", "-f", "json"]
    )
    assert result.exit_code == 0, result.output
    assert "attraktiv-arbejdsplads" in result.output and "evidence" in result.output


# -- saved queries -----------------------------------------------------------------


def test_lineage_of_the_2023_initiative(oxstore):
    found = rows(oxstore, "initiative-lineage", initiative=VIDEREUDVIKLING_2023)
    by_plan = {row["plan"]: row for row in found}
    assert [row["year"] for row in found] == [2014, 2019, 2023]
    assert by_plan["sud-pejlemaerker-2014-2017.txt"]["relation"] == "predecessor"
    assert "Ø401" in by_plan["sud-pejlemaerker-2014-2017.txt"]["budgets"]
    assert by_plan["sof-indsatsplan-status-2019.txt"]["statuses"] == "2019: ongoing"
    assert by_plan["sof-indsatsplan-2023-2026.txt"]["relation"] == "start"
    assert "HA01" in by_plan["sof-indsatsplan-2023-2026.txt"]["budgets"]
    assert "(2024)" in by_plan["sof-indsatsplan-2023-2026.txt"]["budgets"]


def test_lineage_of_familiehus_goes_forward(oxstore):
    found = rows(oxstore, "initiative-lineage", initiative=FAMILIEHUS_2015)
    assert [(r["relation"], r["label"]) for r in found] == [
        ("start", "Etablering af Familiehus"),
        ("successor", "Familiehuset"),
    ]


def test_benchmark_support_lists_initiatives_of_other_plans(oxstore):
    found = rows(oxstore, "benchmark-support", plan=ID + "plan/sud-pejlemaerker-2014-2017")
    housing = {
        r["supporterNotation"] for r in found if r["notation"] == "1" and r["kind"] == "initiative"
    }
    assert {"1.1.1", "1.1.2", "1.1.3", "1.1.4"} <= housing
    budgets = {
        r["supporterNotation"] for r in found if r["notation"] == "9" and r["kind"] == "budget item"
    }
    assert budgets == {"Ø103", "SI04", "Ø401"}


def test_links_awaiting_review_are_the_candidates(oxstore, links):
    found = rows(oxstore, "links-awaiting-review")
    candidates = {frozenset((lk.source, lk.target)) for lk in links if lk.status == "candidate"}
    assert {frozenset((r["source"], r["target"])) for r in found} == candidates
    assert all(r["evidence"] for r in found)
    assert [r["score"] for r in found] == sorted((r["score"] for r in found), reverse=True)


def test_lineage_binds_its_initiative_inside_the_grouping_query():
    """The lists are made for the lineage's initiatives only, not for every initiative of
    the archive (at ×1000 that took a second): the parameter must be bound inside the
    subquery that groups, since a subquery cannot see a binding made outside it.
    (The time itself is measured by the benchmarks, not here.)"""
    query = find("initiative-lineage")
    text = with_values(query.text, query.bindings({"initiative": VIDEREUDVIKLING_2023}))
    bound = text.index("AS ?_initiative)")
    inner = text.index("GROUP_CONCAT")
    grouped = text.index("GROUP BY")
    assert inner < bound < grouped, text
