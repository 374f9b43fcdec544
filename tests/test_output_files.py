"""Every file the tool writes is complete or untouched, and a bad target gets words.

Full disks are real: a 64 KiB tmpfs mounted inside a user and mount namespace
(``unshare``), so the test needs no privileges of its own. Permission cases run
the command as the unprivileged user ``nobody``, because root may write
anywhere.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from indsatsgraf.cli import main
from indsatsgraf.files import OutputError, atomic_output, write_atomically
from indsatsgraf.viz.analytics import flatten

CLI = [sys.executable, "-m", "indsatsgraf.cli"]
OLD = b"the user's old file\n"


def run(store: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--store", str(store), *args])


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture(scope="module")
def shared_store() -> Iterator[Path]:
    """A bundled graph in a folder every user may read (for the runs as ``nobody``)."""
    from indsatsgraf.graph.pipeline import build
    from indsatsgraf.graph.store import GraphStore

    folder = Path(tempfile.mkdtemp(prefix="indsatsgraf-shared-"))
    build(GraphStore(folder / "store"))
    for path in [folder, *folder.rglob("*")]:
        path.chmod(0o755 if path.is_dir() else 0o644)
    yield folder / "store"
    shutil.rmtree(folder, ignore_errors=True)


@pytest.mark.parametrize(
    "command",
    [
        ["export", "--format", "nt", "-o", "{out}"],
        ["viz", "-o", "{out}"],
        ["analyze", "export", "--format", "graphml", "-o", "{out}"],
    ],
    ids=["export", "viz", "analyze-export"],
)
def test_a_full_disk_leaves_the_old_file_and_says_so(shared_store: Path, command: list[str]):
    script = (
        'mount -t tmpfs -o size=64k tmpfs "$1" && printf "the user\'s old file\\n" > "$1/old"'
        ' && shift && "$@"; echo "rc=$?"; cat "$DISK/old"; ls -a "$DISK"'
    )
    disk = Path(tempfile.mkdtemp(prefix="indsatsgraf-disk-"))
    args = [a.replace("{out}", str(disk / "old")) for a in command]
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh", str(disk)]
        + [*CLI, "--store", str(shared_store), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "DISK": str(disk)},
        timeout=120,
    )
    assert "rc=1" in done.stdout, done.stdout + done.stderr
    assert "no space left on the device" in done.stderr
    assert "Traceback" not in done.stderr
    assert "the user's old file" in done.stdout
    assert ".tmp" not in done.stdout  # no temporary file left on the full disk


def test_dev_full_is_a_message_not_a_traceback(built_store):
    result = run(built_store.path, "export", "--format", "nt", "-o", "/dev/full")
    assert result.exit_code == 1
    assert "no space left on the device" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("command", [["export", "-o"], ["viz", "-o"]], ids=["export", "viz"])
def test_bad_targets_are_refused_before_any_work(built_store, tmp_path: Path, command):
    cases = {
        tmp_path: "is a folder",
        tmp_path / "missing" / "out.x": "does not exist",
    }
    readonly = tmp_path / "readonly.x"
    readonly.write_bytes(OLD)
    readonly.chmod(0o444)
    cases[readonly] = "read-only"
    for target, words in cases.items():
        result = run(built_store.path, *command, str(target))
        assert result.exit_code == 1, (target, result.output)
        assert words in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
    assert readonly.read_bytes() == OLD


def test_a_read_only_folder_is_reported_for_an_unprivileged_user(shared_store: Path):
    folder = Path(tempfile.mkdtemp(prefix="indsatsgraf-ro-"))
    folder.chmod(0o555)
    try:
        done = subprocess.run(
            ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
            + [*CLI, "--store", str(shared_store), "export", "-o", str(folder / "out.trig")],
            capture_output=True,
            text=True,
            env={**os.environ, "HOME": str(folder)},
            timeout=120,
        )
    finally:
        folder.chmod(0o755)
        shutil.rmtree(folder)
    assert done.returncode == 1, done.stderr
    assert "permission denied" in done.stderr
    assert "Traceback" not in done.stderr


def test_sigterm_at_any_moment_leaves_the_old_page_or_the_complete_new_one(
    shared_store: Path, tmp_path: Path
):
    page = tmp_path / "graf.html"
    seen = set()
    for delay in (0.2, 0.5, 0.8, 1.1, 1.4, 1.8):
        page.write_bytes(OLD)
        process = subprocess.Popen(
            [*CLI, "--store", str(shared_store), "viz", "-o", str(page)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        time.sleep(delay)
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
        content = page.read_bytes()
        assert content == OLD or content.rstrip().endswith(b"</html>"), delay
        assert leftovers(tmp_path) == []
        assert b"Traceback" not in err
        seen.add(content == OLD)
    assert True in seen  # at least one run was stopped before it could finish


def test_a_failure_inside_the_block_keeps_the_old_file(tmp_path: Path):
    target = tmp_path / "out.nt"
    target.write_bytes(OLD)
    with pytest.raises(RuntimeError), atomic_output(target) as handle:
        handle.write(b"half a tri")
        raise RuntimeError("the writer failed")
    assert target.read_bytes() == OLD
    assert leftovers(tmp_path) == []


def test_the_new_file_keeps_the_old_permissions(tmp_path: Path):
    target = tmp_path / "shared.html"
    target.write_bytes(OLD)
    target.chmod(0o640)
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640


def test_a_special_file_is_written_directly(tmp_path: Path):
    with pytest.raises(OutputError, match="no space left"):
        write_atomically(Path("/dev/full"), b"x" * 10)
    write_atomically(Path("/dev/null"), b"x")  # a device is not replaced by a regular file
    assert Path("/dev/null").is_char_device()


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_views_with_control_characters_export_as_well_formed_xml(tmp_path: Path, fmt: str):
    graph = nx.Graph(title="Netværk\x07")
    graph.add_node(
        "https://w3id.org/indsatsgraf/id/x",
        label="Bo\x1b]0;titel\x07tilbud\x1b[31m",
        kind="Initiative",
        details={"Citat": "linje\x00 med\x0c tegn", "Plan": "plan\x85"},
    )
    graph.add_node("https://w3id.org/indsatsgraf/id/y", label="Familiehus", kind="Initiative")
    graph.add_edge(
        "https://w3id.org/indsatsgraf/id/x", "https://w3id.org/indsatsgraf/id/y", label="ig\x01"
    )
    path = tmp_path / f"view.{fmt}"
    writer = nx.write_graphml if fmt == "graphml" else nx.write_gexf
    with atomic_output(path) as handle:
        writer(flatten(graph), handle)
    ET.parse(path)  # well-formed
    back = nx.read_graphml(path) if fmt == "graphml" else nx.read_gexf(path)
    labels = {data.get("label") for _, data in back.nodes(data=True)}
    assert "Bo]0;titeltilbud[31m" in labels
