"""The README's commands for a SPARQL server, run as written against a test's own server.

The README shows one console block per product under "Use a SPARQL server
instead". Its commands are read from there, not copied into the tests, so a
README that drifts from what works fails. Only what a reader must change is
changed: the host and port (the test's server listens on a free port) and a
password written as "…". The URL's path stays as written, so a wrong path
(…/store for Virtuoso, issue 12) still fails.
"""

from __future__ import annotations

import json
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path

from click.testing import CliRunner, Result

README = Path(__file__).resolve().parent.parent / "README.md"
SECTION = ("Use a SPARQL server instead", "Credentials come from")
URL = re.compile(r"https?://127\.0\.0\.1:\d+")


@dataclass
class Step:
    """One ``$`` line of a console block and the output lines shown under it."""

    command: str
    shown: list[str] = field(default_factory=list)


def console_blocks() -> list[list[Step]]:
    """The console blocks of the README's section on SPARQL servers, in order."""
    text = README.read_text(encoding="utf-8")
    start, end = (text.index(marker) for marker in SECTION)
    blocks = []
    for body in re.findall(r"```console\n(.*?)```", text[start:end], re.S):
        steps: list[Step] = []
        for line in body.splitlines():
            if line.startswith("$ "):
                steps.append(Step(line[2:].strip()))
            elif steps and line.strip():
                steps[-1].shown.append(line.strip())
        blocks.append(steps)
    return blocks


def block_for(server_command: str) -> list[Step]:
    """The block whose commands address the product started by ``server_command``."""
    for steps in console_blocks():
        if any(server_command in step.command for step in steps):
            return steps
    raise AssertionError(f"the README has no console block mentioning {server_command!r}")


def run_as_written(
    steps: list[Step], endpoint: str, store: Path, password: str = ""
) -> list[tuple[list[str], Result]]:
    """Run each ``indsatsgraf`` command of ``steps`` at ``endpoint``'s host and port.

    ``export`` lines set the environment (a password shown as … becomes
    ``password``); a line starting a server is skipped, the test has started
    one. Every command must succeed and print each output line the README
    shows (… stands for lines left out). Returns the arguments and results.
    """
    from indsatsgraf.cli import main

    origin = URL.match(endpoint).group(0)  # type: ignore[union-attr]
    env: dict[str, str] = {}
    ran = []
    for step in steps:
        words = shlex.split(step.command.rstrip("&").strip())
        if words[0] == "export":
            for word in words[1:]:
                name, _, value = word.partition("=")
                env[name] = password if value == "…" else value
            continue
        if words[0] != "indsatsgraf":
            continue  # starting the server: the test did that
        args = [URL.sub(origin, word) for word in words[1:]]
        result = CliRunner().invoke(main, ["--store", str(store), *args], env=env)
        assert result.exit_code == 0, f"{step.command}\n{result.output}"
        for line in step.shown:
            if line != "…":
                assert line in result.output.splitlines(), f"{step.command}: no {line!r}"
        ran.append((args, result))
    assert ran, "the README block runs no indsatsgraf command"
    return ran


def same_as_embedded(args: list[str], store: Path) -> None:
    """A ``query … --endpoint URL`` command answers as the embedded store does."""
    from answers import normalised
    from indsatsgraf.cli import main
    from indsatsgraf.graph.sparql import QueryResult
    from indsatsgraf.queries.catalog import saved_queries

    at = args.index("--endpoint")
    local_args = args[:at] + args[at + 2 :]
    query = saved_queries()[args[1]]
    answers = []
    for command in (args, local_args):
        result = CliRunner().invoke(main, ["--store", str(store), *command, "-f", "json"])
        assert result.exit_code == 0, result.output
        rows = json.loads(result.output)
        answers.append(QueryResult("SELECT", list(rows[0]) if rows else [], rows))
    assert answers[1].rows, f"{' '.join(args)}: the example answers nothing embedded"
    assert normalised(answers[0], query) == normalised(answers[1], query)
