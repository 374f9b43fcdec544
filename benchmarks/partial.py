"""The parts of a scale that fit when a whole pass over it does not (one ×1000 pass: 78 min).

Measures, each in a fresh process like benchmarks/run.py: the build (compacted,
without links) or an earlier measurement of it, the answers it stores, the
questions a planner asks (one plan, one department, a first page, the stored answers) and
the saved queries that answer in few rows. A one-plan or one-department question is asked
once cold, then five times warm (benchmarks/tasks.py ``narrowed``); the report gives both. The result joins a full run's
report as a scale measured in part::

    python benchmarks/partial.py --scale 1000 --output x1000.json [--built BUILD.json STORE]
    python benchmarks/report.py benchmarks/results/results.json BENCHMARKS.md x1000.json
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from run import HERE, builds, corpus, corpus_summary, say, summarise, task

#: Whole answers streamed as CSV: the two longest lists (184,516 and 56,122 rows at ×1000).
STREAMED = ("initiative-financing", "multi-department-initiatives")

#: Saved queries that answered in at most 1,000 rows at ×1000 in the last full run.
FEW_ROWS = (
    "budget-items-per-department",
    "department-collaboration-matrix",
    "initiative-lineage",
    "links-awaiting-review",
    "ontology-terms",
    "provenance-lookup",
)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--work", type=Path, default=HERE / "work")
    parser.add_argument("--output", type=Path, required=True)
    parser.add_argument(
        "--built",
        nargs=2,
        metavar=("BUILD_JSON", "STORE"),
        help="reuse a store built by `tasks.py build … nolink compact` and its printed JSON",
    )
    args = parser.parse_args(argv)
    documents, manifest, generated = corpus(args.work, args.scale, args.seed)
    if args.built:
        store = Path(args.built[1])
        run = json.loads(Path(args.built[0]).read_text(encoding="utf-8"))
        built = {
            "repeat": 1,
            "links": False,
            "compact": True,
            "documents": run["documents"],
            "triples": run["triples"],
            "seconds": run["seconds"],
            "runs": [run["seconds"]],
            "phases": run["phases"],
            "peak_bytes": None,
        }
        say(f"×{args.scale}: storing the answers (the build's last step, timed on its own)")
        stored, _, _ = task("store_answers", str(store))
        built["phases"]["storing"] = stored["seconds"]
        built["seconds"] += stored["seconds"]
    else:
        store = args.work / "stores" / f"x{args.scale}"
        say(f"×{args.scale}: building")
        built = builds(documents, store, 1, link=False, compact=True)
    built["documents_per_second"] = built["documents"] / built["seconds"]
    built["triples_per_second"] = built["triples"] / built["seconds"]
    say(f"×{args.scale}: questions about one plan, one department, first pages")
    narrowed, _, _ = task("narrowed", str(store), "1", str(documents), "pages")
    say(f"×{args.scale}: the saved queries that answer in few rows")
    embedded, _, peak = task("embedded", str(store), "1", str(documents), ",".join(FEW_ROWS))
    say(f"×{args.scale}: whole answers streamed as CSV: {', '.join(STREAMED)}")
    streamed = {}
    for name in STREAMED:
        written, _, stream_peak = task("streamed", str(store), str(documents), name)
        streamed[name] = {**written, "peak_bytes": stream_peak}
    result = {
        "description": (
            f"at ×{args.scale} the build (compacted, without links"
            + (", measured beforehand and reused" if args.built else "")
            + "), the answers it stores, the questions narrowed to one plan or one department, "
            "the first page of every saved query as the web application reads it, "
            f"only the saved queries that answered in few rows ({', '.join(FEW_ROWS)}), "
            f"and the whole answers of {', '.join(STREAMED)} streamed as CSV; "
            "not the other saved queries' whole answers, the oxigraph server or rdflib."
        ),
        "scales": {
            str(args.scale): {
                "corpus": corpus_summary(manifest, documents, generated),
                "build": built,
                "embedded": {
                    "open_seconds": embedded["open_seconds"],
                    "queries": summarise(embedded["queries"]),
                    "floor": {},
                    "peak_bytes": peak,
                    "streamed": streamed,
                },
                "narrowed": narrowed,
                "server": {"skipped": "measured in part"},
                "rdflib": {"skipped": "measured in part"},
            }
        },
    }
    args.output.write_text(json.dumps(result, indent=1, ensure_ascii=False) + "\n")
    say(f"wrote {args.output}")


if __name__ == "__main__":
    main()
