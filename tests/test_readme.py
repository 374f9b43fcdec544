"""The README's generated parts match what the tool produces now."""

from __future__ import annotations

import re
from pathlib import Path

from indsatsgraf.graph.export import extraction_table, stats

README = Path(__file__).resolve().parent.parent / "README.md"


def region(name: str) -> str:
    text = README.read_text(encoding="utf-8")
    match = re.search(rf"<!-- {name}:start -->\n(.*?)\n<!-- {name}:end -->", text, re.S)
    assert match, f"README.md has no {name} region"
    return match.group(1)


def test_extraction_table_is_current(oxstore) -> None:
    assert region("extraction-table") == extraction_table(stats(oxstore))


def test_quick_start_is_two_commands() -> None:
    text = README.read_text(encoding="utf-8")
    quick = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```sh\n(.*?)```", quick, re.S)
    assert len(blocks) == 2
    assert all(len(b.strip().splitlines()) == 1 for b in blocks)
    assert "indsatsgraf build" in blocks[0] and "multi-department-initiatives" in blocks[0]
    assert blocks[1].strip() == "./test.sh"
    assert "./test.sh" in (README.parent / ".ci" / "run").read_text(encoding="utf-8")
