"""Compare the linking step's building blocks: stemmers and character-similarity libraries.

For each generated scale, runs :func:`indsatsgraf.graph.linking.correspondences`
once per variant and prints precision, recall (judged by the generator's
construction, as in benchmarks/tasks.py) and time, so the choice made in
graph/similarity.py can be checked again::

    python benchmarks/linking.py WORK_DIR --scales 1,10,100 --seed 1

Variants swap one function at a time: ``stem`` (the hand-cut Danish endings
against Snowball's Danish stemmer from PyStemmer) and ``_ratio`` (rapidfuzz's
Indel ratio against difflib's SequenceMatcher). PyStemmer is needed only here.

``--before DIR`` adds the linking step of an earlier commit and of this tree,
each run in a fresh child process on the same records, so a change is
measured against the code it replaces in one run (DIR holds that commit's
tree as a package)::

    mkdir -p /tmp/before/indsatsgraf && git archive c29f5e6 | tar -x -C /tmp/before/indsatsgraf
    python benchmarks/linking.py WORK_DIR --before /tmp/before
"""

from __future__ import annotations

import argparse
import difflib
import functools
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from run import corpus  # noqa: E402
from tasks import _against_the_generator  # noqa: E402


def _difflib_ratio(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a, b, autojunk=False).ratio()


def _snowball() -> Callable[[str], str]:
    import Stemmer

    danish = Stemmer.Stemmer("danish")
    return danish.stemWord


def variants(only_kept: bool = False) -> dict[str, dict[str, Callable]]:
    from indsatsgraf.graph import similarity

    hand_cut, rapid = similarity.stem.__wrapped__, similarity._ratio.__wrapped__
    kept = {"hand-cut stems + rapidfuzz (kept)": {"stem": hand_cut, "_ratio": rapid}}
    if only_kept:
        return kept
    return {
        **kept,
        "hand-cut stems + difflib (before)": {"stem": hand_cut, "_ratio": _difflib_ratio},
        "Snowball stems + rapidfuzz": {"stem": _snowball(), "_ratio": rapid},
    }


def measure(records: list, functions: dict[str, Callable]) -> dict:
    """One run of the linking step with ``functions`` put into graph/similarity.py."""
    from indsatsgraf.graph import linking, similarity
    from indsatsgraf.graph.organisations import Registry

    for name, function in functions.items():
        setattr(similarity, name, functools.lru_cache(maxsize=1 << 18)(function))
    similarity.token_similarity.cache_clear()
    similarity._tokens.cache_clear()  # tokens of the previous variant's stems
    similarity._STEMS.clear()
    start = time.perf_counter()
    links = linking.correspondences(records, Registry.load(), {})
    seconds = time.perf_counter() - start
    accepted = [(link.source, link.target) for link in links if link.status == "accepted"]
    return {"seconds": seconds, **_against_the_generator(records, accepted)}


def measure_apart(records: list, package: Path | None) -> dict:
    """``measure`` with the default functions, in a fresh child process that imports the
    package from ``package`` (None: this tree), so that two versions are measured alike:
    two versions of one package cannot share a process, and a process holding the
    imported corpus pays more for garbage collection than a fresh one."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if package is not None:
        env["PYTHONPATH"] = str(package)
    with tempfile.NamedTemporaryFile(suffix=".pickle") as stored:
        stored.write(pickle.dumps(records))
        stored.flush()
        child = subprocess.run(
            [sys.executable, __file__, "--child", stored.name],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
    return json.loads(child.stdout)


def child(stored: Path) -> None:
    """The child of measure_apart: one run of the importable package's own linking step."""
    from indsatsgraf.graph import linking
    from indsatsgraf.graph.organisations import Registry

    records = pickle.loads(stored.read_bytes())
    start = time.perf_counter()
    links = linking.correspondences(records, Registry.load(), {})
    seconds = time.perf_counter() - start
    accepted = [(link.source, link.target) for link in links if link.status == "accepted"]
    print(json.dumps({"seconds": seconds, **_against_the_generator(records, accepted)}))


def main() -> None:
    if sys.argv[1:2] == ["--child"]:
        child(Path(sys.argv[2]))
        return
    from indsatsgraf.graph.pipeline import import_all

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("work", type=Path)
    parser.add_argument("--scales", default="1,10,100")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--before", type=Path, help="an earlier commit's tree, as a package")
    parser.add_argument("--only-kept", action="store_true", help="skip the other variants")
    args = parser.parse_args()
    print("| scale | variant | precision | recall | time |")
    print("| ---: | --- | ---: | ---: | ---: |")
    compared = variants(args.only_kept)  # before any run swaps the functions
    for scale in (int(s) for s in args.scales.split(",")):
        documents, _, _ = corpus(args.work, scale, args.seed)
        records = [(i.source, i.result) for i in import_all(sorted(documents.glob("*.txt")))]
        runs = [
            (name, functools.partial(measure, records, functions))
            for name, functions in compared.items()
        ]
        if args.before:
            runs[:0] = [
                (f"before ({args.before})", functools.partial(measure_apart, records, args.before)),
                ("this tree", functools.partial(measure_apart, records, None)),
            ]
        for name, run in runs:
            found = run()
            print(
                f"| ×{scale} | {name} | {found['precision']:.2f} | {found['recall']:.2f} "
                f"| {found['seconds']:.1f} s |",
                flush=True,
            )


if __name__ == "__main__":
    main()
