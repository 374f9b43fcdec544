"""docs/robustness.md stays true: every test it names exists, every fault test is named."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "robustness.md"
COVERED_FILES = (
    "tests/test_bad_input.py",
    "tests/test_faults.py",
    "tests/test_hardening_decisions.py",
    "tests/test_hardening_queries.py",
    "tests/test_hardening_store.py",
    "tests/test_output_files.py",
)


def defined_tests(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        n.name for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test_")
    }


def named_in_doc() -> set[tuple[str, str]]:
    return set(re.findall(r"`(tests/[\w/]+\.py)::(test_\w+)`", DOC.read_text(encoding="utf-8")))


def test_every_named_test_exists() -> None:
    named = named_in_doc()
    assert len(named) >= 20
    for file, name in named:
        assert name in defined_tests(ROOT / file), f"{file}::{name} is named in docs/robustness.md"


def test_every_fault_test_is_in_the_table() -> None:
    named = named_in_doc()
    for file in COVERED_FILES:
        for name in defined_tests(ROOT / file):
            assert (file, name) in named, f"{file}::{name} is missing from docs/robustness.md"
