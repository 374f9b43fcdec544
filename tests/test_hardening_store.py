"""The store directory and the sources a build is given: refused in words, never changed.

Permission cases run the command as ``nobody`` (root may write anywhere) in a
folder made with ``mkdtemp`` and opened to everyone; full disks are a small
tmpfs mounted inside a user and mount namespace (``unshare``).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import SOURCES
from indsatsgraf.cli import main
from indsatsgraf.graph.pipeline import build
from indsatsgraf.graph.store import COMPLETE, GraphStore

CLI = [sys.executable, "-m", "indsatsgraf.cli"]
NOBODY = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups"]
PLAN_2015 = SOURCES / "tvaergaaende-indsatsplan-2015.txt"
BIF = SOURCES / "bif-indsatsplan-2018-2022.txt"


def run(store: Path, *args: str) -> object:
    return CliRunner().invoke(main, ["--store", str(store), *args])


def refused(result: object, *words: str) -> None:
    """Exit 1 with a message holding ``words``, and no traceback."""
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    for word in words:
        assert word in result.output, result.output


def generations(store: Path) -> list[str]:
    return sorted(p.name for p in (store / "generations").iterdir())


@pytest.fixture
def open_folder() -> Iterator[Path]:
    """A folder every user may enter (pytest's tmp_path is 0700, closed to ``nobody``)."""
    folder = Path(tempfile.mkdtemp(prefix="indsatsgraf-hardening-"))
    folder.chmod(0o755)
    yield folder
    for path in [folder, *folder.rglob("*")]:
        if path.is_dir() and not path.is_symlink():
            path.chmod(0o755)
    shutil.rmtree(folder)


def test_a_folder_holding_a_users_file_named_current_is_refused(tmp_path: Path):
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "current").write_text("my notes\n")
    refused(run(folder, "build", "-q", str(PLAN_2015)), "current is a file", "nothing was changed")
    assert (folder / "current").read_text() == "my notes\n"
    assert not (folder / "current").is_symlink()
    assert sorted(p.name for p in folder.iterdir()) == ["current"]


def test_a_non_empty_folder_without_the_store_layout_is_refused(tmp_path: Path):
    (tmp_path / "report.docx").write_bytes(b"PK")
    refused(run(tmp_path, "build", "-q"), "is not an indsatsgraf store", "report.docx")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.docx"]


def test_an_empty_folder_and_a_store_made_before_the_marker_are_accepted(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    assert run(empty, "build", "-q", str(PLAN_2015)).exit_code == 0
    assert (empty / "indsatsgraf-store").exists()
    # An older store: no marker, no complete file in its generation.
    (empty / "indsatsgraf-store").unlink()
    (empty / "current").resolve().joinpath(COMPLETE).unlink()
    result = run(empty, "build", "-q", str(BIF))
    assert result.exit_code == 0, result.output
    assert "from 2 documents" in result.output


def test_current_that_is_a_folder_is_refused(tmp_path: Path):
    (tmp_path / "generations").mkdir()
    (tmp_path / "current").mkdir()
    refused(run(tmp_path, "build", "-q"), "current is a folder", "nothing was changed")
    assert generations(tmp_path) == []


@pytest.mark.parametrize("kind", ["file", "dev-null"])
def test_a_store_path_that_is_a_file_or_a_device_is_refused(tmp_path: Path, kind: str):
    path = Path("/dev/null") if kind == "dev-null" else tmp_path / "store"
    if kind == "file":
        path.write_text("keep me\n")
    words = "is a file" if kind == "file" else "is not a folder"
    refused(run(path, "build", "-q", str(PLAN_2015)), words)
    refused(run(path, "stats"), words)  # a reader builds a missing graph first
    if kind == "file":
        assert path.read_text() == "keep me\n"


@pytest.mark.parametrize("where", ["read-only-folder", "unwritable-home"])
def test_a_store_the_user_cannot_write_is_a_message(open_folder: Path, where: str):
    locked = open_folder / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    env = {k: v for k, v in os.environ.items() if k not in ("INDSATSGRAF_STORE", "XDG_DATA_HOME")}
    env["HOME"] = str(locked)
    store = ["--store", str(locked / "store")] if where == "read-only-folder" else []
    done = subprocess.run(
        NOBODY + [*CLI, *store, "build", "-q", str(PLAN_2015)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert "cannot write the store at" in done.stderr
    assert "permission denied" in done.stderr
    assert "Traceback" not in done.stderr
    assert list(locked.iterdir()) == []


def test_a_full_disk_during_a_build_keeps_the_previous_graph(open_folder: Path):
    script = textwrap.dedent(
        """
        mount -t tmpfs -o size=2560k tmpfs "$1" || exit 9
        store="$1/store"; shift
        "$@" --store "$store" build -q --fresh "$PLAN" || exit 8
        "$@" --store "$store" build -q "$SOURCES"; echo "rc=$?"
        "$@" --store "$store" documents -f csv
        ls "$store/generations"
        """
    )
    done = subprocess.run(
        ["unshare", "--user", "--map-root-user", "--mount", "sh", "-c", script, "sh"]
        + [str(open_folder), *CLI],
        capture_output=True,
        text=True,
        env={**os.environ, "PLAN": str(PLAN_2015), "SOURCES": str(SOURCES)},
        timeout=180,
    )
    assert "rc=1" in done.stdout, done.stdout + done.stderr
    assert "no space left on the device" in done.stderr
    assert "Traceback" not in done.stderr
    listed = done.stdout.split("rc=1", 1)[1]
    assert "tvaergaaende-indsatsplan-2015.txt" in listed
    assert "bif-indsatsplan-2018-2022.txt" not in listed
    assert listed.split()[-1] == "000001"  # the unfinished generation is gone


def test_a_leftover_generation_is_removed_and_never_outlives_the_previous_graph(tmp_path: Path):
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    build(store, [BIF])
    assert generations(store.path) == ["000001", "000002"]
    leftover = store.path / "generations" / "000003"  # what a killed build leaves
    (leftover / "sources").mkdir(parents=True)
    (leftover / "half-written.sst").write_bytes(b"\0" * 4096)
    build(store, [PLAN_2015])
    # The previous complete graph (000002) is kept for its readers; the leftover is gone.
    assert generations(store.path) == ["000002", "000003"]
    assert (store.path / "generations" / "000003" / COMPLETE).exists()
    assert not (store.path / "generations" / "000003" / "half-written.sst").exists()
    assert store.current.resolve().name == "000003"


SLOW_LOAD = """
import sys, time
import pyoxigraph
from indsatsgraf.graph import store


class SlowStore:
    '''An Oxigraph store whose bulk load says when it starts and takes a while.'''

    def __init__(self, path):
        self.real = pyoxigraph.Store(path)

    def bulk_load(self, data, format, **options):
        print("loading", flush=True)
        time.sleep(1.5)
        self.real.bulk_load(data, format, **options)

    def __getattr__(self, name):
        return getattr(self.real, name)

    def __len__(self):
        return len(self.real)


store.ox = type("ox", (), {"Store": SlowStore, "RdfFormat": pyoxigraph.RdfFormat})
from indsatsgraf.cli import main

main(sys.argv[1:])
"""


def test_sigterm_while_the_writer_thread_loads_removes_the_generation(tmp_path: Path):
    store = GraphStore(tmp_path / "store")
    build(store, [PLAN_2015])
    process = subprocess.Popen(
        [sys.executable, "-c", SLOW_LOAD, "--store", str(store.path), "build", "-q", str(BIF)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout.readline().strip() == "loading"
        process.send_signal(signal.SIGTERM)
        _, err = process.communicate(timeout=60)
    finally:
        process.kill()
    assert process.returncode == 128 + signal.SIGTERM, err
    assert "Traceback" not in err
    assert generations(store.path) == ["000001"]
    assert store.current.resolve().name == "000001"


def test_sources_that_are_no_files_are_named_for_what_they_are(tmp_path: Path, built_store):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    loop = tmp_path / "loop"
    loop.symlink_to(loop)
    dangling = tmp_path / "dangling"
    dangling.symlink_to(tmp_path / "gone.txt")
    store = tmp_path / "store"
    result = CliRunner().invoke(
        main,
        ["--store", str(store), "build", "-q", str(fifo), str(loop), "/dev/zero", str(dangling)],
    )
    refused(result, "named pipe (FIFO)", "symbolic link that leads in a loop", "a device")
    assert "gone.txt, which does not exist" in result.output
    assert "no such file" not in result.output
    assert not store.exists()  # refused before the store was made


def test_a_folder_build_says_what_it_skipped(tmp_path: Path):
    folder = tmp_path / "plans"
    folder.mkdir()
    shutil.copy(PLAN_2015, folder)
    (folder / "old").mkdir()
    (folder / "broken.txt").symlink_to(tmp_path / "nowhere.txt")
    os.mkfifo(folder / "pipe")  # never opened: the build must not block on it
    result = run(tmp_path / "store", "build", "-q", str(folder))
    assert result.exit_code == 0, result.output
    assert f"skipped {folder / 'old'}: a subfolder" in result.output
    assert f"skipped {folder / 'broken.txt'}: a symbolic link to" in result.output
    assert f"skipped {folder / 'pipe'}: a named pipe" in result.output
    assert "from 1 documents" in result.output


def test_a_newline_in_a_file_name_is_escaped_in_every_output(tmp_path: Path):
    odd = tmp_path / "plan\nline two|x.txt"
    shutil.copy(PLAN_2015, odd)
    store = tmp_path / "store"
    result = run(store, "build", str(odd))
    assert result.exit_code == 0, result.output
    assert "plan\\nline two|x.txt: tvaergaaende-2015" in result.output
    assert not any(line.startswith("line two") for line in result.output.splitlines())
    table = run(store, "stats", "--markdown").output.splitlines()
    assert "| plan\\nline two\\|x.txt | " in table[2]
    rows = [table[0], *table[2:]]  # every row but the |---|---| line
    assert all(
        line.startswith("| ") and line.count(" | ") == table[0].count(" | ") for line in rows
    )
