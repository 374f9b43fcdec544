"""Hostile query text, parameters, files and results (docs/robustness.md lists them).

Cases that used to crash the interpreter run the CLI in a subprocess: the
assertion is a plain exit 1 (not a signal), the message, and no traceback.
SERVICE cases start their own loopback HTTP server and count what reached it.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from indsatsgraf.cli import main
from indsatsgraf.graph.deadline import MAX_QUERY_MEMORY_BYTES, call_with_deadline
from indsatsgraf.graph.query_guard import guard
from indsatsgraf.graph.sparql import run_embedded
from indsatsgraf.queries.catalog import QueryError, ad_hoc

CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
ANSWER = b'{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"from-the-server"}}]}}'


class Loopback:
    """An HTTP server on 127.0.0.1 that answers every request with one SPARQL row."""

    def __init__(self) -> None:
        self.requests: list[str] = []
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                owner.requests.append(self.path)
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                self.send_response(200)
                self.send_header("Content-Type", "application/sparql-results+json")
                self.send_header("Content-Length", str(len(ANSWER)))
                self.end_headers()
                self.wfile.write(ANSWER)

            do_GET = do_POST

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def loopback() -> Iterator[Loopback]:
    server = Loopback()
    yield server
    server.stop()


def cli(store: Path, *args: str | bytes, timeout: float = 120) -> subprocess.CompletedProcess:
    """The real command in its own process, so a segfault shows as a signal, not a dead test run."""
    command = [sys.executable, "-m", "indsatsgraf.cli", "--store", str(store), *args]
    return subprocess.run(
        command, capture_output=True, text=True, timeout=timeout, errors="replace"
    )


def assert_refused(done: subprocess.CompletedProcess | object, message: str) -> None:
    """Exit 1 (a negative code would be a signal), the message, and no traceback."""
    if isinstance(done, subprocess.CompletedProcess):
        code, output = done.returncode, done.stderr + done.stdout
    else:  # a CliRunner result
        code, output = done.exit_code, done.output  # type: ignore[attr-defined]
    assert code == 1, (code, output)
    assert message in output, output
    assert "Traceback" not in output, output


def invoke(store: Path, *args: str, env: dict[str, str] | None = None) -> object:
    return CliRunner().invoke(main, ["--store", str(store), *args], env=env)


# --- SERVICE: outbound requests from query text ---------------------------------


def test_service_in_an_inline_query_is_refused_and_sends_nothing(
    built_store, loopback: Loopback
) -> None:
    text = f"SELECT ?x WHERE {{ SERVICE <{loopback.url}/internal-admin> {{ ?x ?p ?o }} }}"
    result = invoke(built_store.path, "query", "-e", text)
    assert_refused(result, f"SERVICE <{loopback.url}/internal-admin> is refused")
    assert "from-the-server" not in result.output
    assert loopback.requests == []


def test_service_in_a_saved_query_file_is_refused(
    built_store, loopback: Loopback, tmp_path: Path
) -> None:
    shared = tmp_path / "shared.rq"
    shared.write_text(
        f"#+ summary: looks harmless\nSELECT ?x WHERE {{\n  SERVICE <{loopback.url}/x> {{ ?x ?p ?o }}\n}}\n",
        encoding="utf-8",
    )
    result = invoke(built_store.path, "query", str(shared))
    assert_refused(result, f"{shared}:3:3: SERVICE <{loopback.url}/x> is refused")
    assert loopback.requests == []


DISGUISES = {
    "lower case": "SELECT ?x WHERE {{ service <{u}/a> {{ ?x ?p ?o }} }}",
    "SILENT": "SELECT ?x WHERE {{ SERVICE SILENT <{u}/a> {{ ?x ?p ?o }} }}",
    "glued to a brace": "SELECT ?x WHERE {{ ?s ?p ?o }}SERVICE<{u}/a>{{ ?x ?p ?o }} }}",
    "glued to a string": 'SELECT ?x WHERE {{ BIND("x" AS ?y)SERVICE<{u}/a>{{ ?x ?p ?o }} }}',
    "glued to true": "SELECT ?x WHERE {{ ?s ?p trueSERVICE <{u}/a> {{ ?x ?p ?o }} }}",
    "read out of a prefix": "PREFIX x: <{u}/> SELECT ?x WHERE {{ serviceX:a {{ ?x ?p ?o }} }}",
    "comment between": "SELECT ?x WHERE {{ SERVICE # here\n <{u}/a> {{ ?x ?p ?o }} }}",
    "escaped IRI": "SELECT ?x WHERE {{ SERVICE <http\\u003A//{h}/a> {{ ?x ?p ?o }} }}",
    "prefixed name": "PREFIX e: <{u}/> SELECT ?x WHERE {{ SERVICE e:a {{ ?x ?p ?o }} }}",
    "relative IRI": "BASE <{u}/> SELECT ?x WHERE {{ SERVICE <a> {{ ?x ?p ?o }} }}",
    "in a subquery": "SELECT ?x WHERE {{ {{ SELECT ?x WHERE {{ SERVICE <{u}/a> {{ ?x ?p ?o }} }} }} }}",
    "ASK": "ASK {{ SERVICE <{u}/a> {{ ?x ?p ?o }} }}",
}


@pytest.mark.parametrize("disguise", sorted(DISGUISES))
def test_service_in_disguise_is_refused_and_sends_nothing(
    built_store, loopback: Loopback, disguise: str
) -> None:
    host = loopback.url.removeprefix("http://")
    text = DISGUISES[disguise].format(u=loopback.url, h=host)
    result = invoke(built_store.path, "query", "-e", text)
    assert_refused(result, "refused")
    assert "SERVICE" in result.output or "service" in result.output
    assert loopback.requests == []


def test_the_word_service_in_comments_strings_and_iris_is_no_call(built_store) -> None:
    text = (
        "# SERVICE <http://127.0.0.1:9/x> { }\n"
        'SELECT ?x WHERE { BIND("SERVICE <http://127.0.0.1:9/x> {}" AS ?x) '
        "FILTER(?x != <http://example.org/SERVICE>) }"
    )
    result = invoke(built_store.path, "query", "-e", text, "--format", "json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{"x": "SERVICE <http://127.0.0.1:9/x> {}"}]


@pytest.mark.parametrize(
    "target", ["<file:///etc/passwd>", "?u", "<ftp://127.0.0.1/x>", "<gopher://127.0.0.1:70/x>"]
)
def test_service_to_a_file_a_variable_or_another_scheme_is_refused(
    built_store, target: str
) -> None:
    text = f"SELECT ?x WHERE {{ BIND(<http://x> AS ?u) SERVICE {target} {{ ?x ?p ?o }} }}"
    result = cli(built_store.path, "query", "-e", text)
    assert_refused(result, f"SERVICE {target} is refused")


def test_an_allowed_service_endpoint_is_called(built_store, loopback: Loopback) -> None:
    endpoint = f"{loopback.url}/sparql"
    text = f"SELECT ?x WHERE {{ SERVICE <{endpoint}> {{ ?x ?p ?o }} }}"
    by_option = invoke(built_store.path, "query", "-e", text, "--allow-service", endpoint)
    assert by_option.exit_code == 0, by_option.output
    assert "from-the-server" in by_option.output
    assert loopback.requests and set(loopback.requests) == {"/sparql"}
    other = f"SELECT ?x WHERE {{ SERVICE <{loopback.url}/other> {{ ?x ?p ?o }} }}"
    called = len(loopback.requests)
    refused = invoke(built_store.path, "query", "-e", other, "--allow-service", endpoint)
    assert_refused(refused, f"SERVICE <{loopback.url}/other> is refused")
    assert len(loopback.requests) == called
    by_env = invoke(
        built_store.path, "query", "-e", text, env={"INDSATSGRAF_ALLOW_SERVICE": endpoint}
    )
    assert by_env.exit_code == 0, by_env.output
    assert "from-the-server" in by_env.output


def test_only_http_urls_can_be_allowed(built_store) -> None:
    result = invoke(
        built_store.path, "query", "status-overview", "--allow-service", "file:///etc/passwd"
    )
    assert_refused(result, "only absolute http(s) URLs can be allowed")


def test_service_is_refused_before_a_remote_endpoint_sees_the_query(
    built_store, loopback: Loopback
) -> None:
    text = "SELECT ?x WHERE { SERVICE <http://169.254.169.254/latest/meta-data> { ?x ?p ?o } }"
    result = invoke(built_store.path, "query", "--endpoint", f"{loopback.url}/query", "-e", text)
    assert_refused(result, "SERVICE <http://169.254.169.254/latest/meta-data> is refused")
    assert loopback.requests == []


def test_library_callers_are_refused_service_too(loopback: Loopback) -> None:
    query = ad_hoc(f"SELECT ?x WHERE {{ SERVICE <{loopback.url}/lib> {{ ?x ?p ?o }} }}")
    with pytest.raises(QueryError, match="is refused"):
        run_embedded(ox.Store(), query, {})
    assert loopback.requests == []


#: What ends the triple ``?s ?p`` before the call; most glue the keyword on.
GLUE = [
    " ?o ",
    " ?o {}",
    " true",
    " 1",
    ' "s"',
    " ?o .",
    " ?o BIND(1 AS ?z)",
    " ?o\n# c\n",
    " ?o '#'",
]
KEYWORD = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "serviceSILENT", "SERVICE\tsilent"]
GAP = ["", " ", "# c\n", "\n", "\r"]
TARGET = ["<{u}/h>", "E:h", "?u", "<h>", "<\\u0068ttp://{h}/h>", ":h"]
BODY = ["{ ?x ?p ?o }", "{}", "{ ?x ?p ?o . }"]
#: Where the call stands: in the pattern, or hidden (or seemingly hidden) in a
#: comment or a string, whose ends the guard must find where Oxigraph does.
HIDE = [
    "@",
    " ?o # ?s ?p@\n",
    " ?o # x\r?s ?p@\n",
    ' ?o BIND("@" AS ?c)',
    " ?o BIND('@' AS ?c)",
    ' ?o BIND("""x"@""" AS ?c)',
    " ?o BIND('''@''' AS ?c)",
    ' ?o BIND("\\"@" AS ?c)',
    ' ?o BIND("x\\\\" AS ?c) ?s ?p@',
]
WRAP = ["{}", "{ { SELECT * WHERE { {} } } }", "{ OPTIONAL { {} } }"]


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(
    st.sampled_from(GLUE),
    st.sampled_from(KEYWORD),
    st.sampled_from(GAP),
    st.sampled_from(TARGET),
    st.sampled_from(BODY),
    st.sampled_from(HIDE),
    st.sampled_from(WRAP),
)
def test_whatever_the_guard_lets_through_calls_no_server(
    loopback_for_module: Loopback,
    glue: str,
    keyword: str,
    gap: str,
    target: str,
    body: str,
    hide: str,
    wrap: str,
) -> None:
    """Run Oxigraph itself, unguarded, on every text the guard accepts: no request may leave."""
    url = loopback_for_module.url
    call = glue + keyword + gap + target + " " + body
    call = call.replace("{u}", url).replace("{h}", url.removeprefix("http://"))
    pattern = "{ BIND(<http://x> AS ?u) ?s ?p" + hide.replace("@", call) + " }"
    text = f"PREFIX E: <{url}/> PREFIX : <{url}/> BASE <{url}/> SELECT * WHERE " + wrap.replace(
        "{}", pattern, 1
    )
    try:
        guard(text, "<test>")
    except QueryError:
        return
    before = len(loopback_for_module.requests)
    call_with_deadline(_run_raw, text, timeout=20)
    assert len(loopback_for_module.requests) == before, text


def _run_raw(text: str) -> None:
    """Oxigraph on ``text`` with no guard at all, every error swallowed.

    The store holds one triple for each object the glue can end with, so the
    pattern before the call has a row and Oxigraph does evaluate the SERVICE.
    """
    store = ox.Store()
    s, p = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")
    for o in (ox.Literal(True), ox.Literal(1), ox.Literal("s")):
        store.add(ox.Quad(s, p, o))
    try:
        answer = store.query(text)
        if not isinstance(answer, ox.QueryBoolean):
            list(answer)
    except Exception:
        pass


@pytest.fixture(scope="module")
def loopback_for_module() -> Iterator[Loopback]:
    server = Loopback()
    yield server
    server.stop()


# --- query text that crashed the parser ---------------------------------------------

NESTED = {
    "5,000 nested parentheses in a FILTER": "SELECT * WHERE { ?s ?p ?o FILTER("
    + "(" * 5000
    + "?o"
    + ")" * 5000
    + ") }",
    "20,000 nested braces": "SELECT * WHERE " + "{" * 20000 + "}" * 20000,
    "20,000 negations": "SELECT * WHERE { ?s ?p ?o FILTER(" + "!" * 20000 + "?o) }",
    "5,000 nested blank nodes": "SELECT * WHERE { ?s ?p "
    + "[ ?p " * 5000
    + "?o"
    + " ]" * 5000
    + " }",
}


@pytest.mark.parametrize("case", sorted(NESTED))
def test_deeply_nested_query_text_is_refused_not_a_segfault(built_store, case: str) -> None:
    result = cli(built_store.path, "query", "-e", NESTED[case])
    assert_refused(result, "nests deeper than 64 levels")


def test_long_operator_chains_are_refused_not_a_segfault(built_store) -> None:
    text = "SELECT * WHERE { BIND(" + "+".join(["1"] * 20000) + " AS ?x) }"
    result = cli(built_store.path, "query", "-e", text)
    assert_refused(result, "more than 5,000 tokens")


AT_THE_LIMITS = {
    # { and BIND( are two of the 64 levels
    "64 levels of nesting": "SELECT ?x WHERE { BIND(" + "(" * 62 + "1" + ")" * 62 + " AS ?x) }",
    "a chain of 2,400 additions": "SELECT ?x WHERE { BIND(" + "+".join(["1"] * 2400) + " AS ?x) }",
    "62 negations": "SELECT ?x WHERE { BIND(" + "!" * 62 + "true AS ?x) }",
}


@pytest.mark.parametrize("case", sorted(AT_THE_LIMITS))
def test_queries_just_within_the_limits_run(built_store, case: str) -> None:
    done = cli(built_store.path, "query", "-e", AT_THE_LIMITS[case], "--format", "json")
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [
        {
            "x": {
                "64 levels of nesting": 1,
                "a chain of 2,400 additions": 2400,
                "62 negations": True,
            }[case]
        }
    ]


def test_crafted_text_is_refused_before_an_endpoint_query_is_sent(
    built_store, loopback: Loopback
) -> None:
    result = cli(
        built_store.path,
        "query",
        "--endpoint",
        f"{loopback.url}/q",
        "-e",
        NESTED["20,000 nested braces"],
    )
    assert_refused(result, "nests deeper than 64 levels")
    assert loopback.requests == []


def test_oversized_query_text_is_refused(built_store, tmp_path: Path) -> None:
    big = tmp_path / "big.rq"
    big.write_text("SELECT * WHERE { ?s ?p ?o }\n" + "# padding\n" * 20_000, encoding="utf-8")
    result = invoke(built_store.path, "query", str(big))
    assert_refused(result, f"{big}: the query is 200,028 bytes long, over the limit of 100,000")


def test_query_text_that_is_not_utf8_is_refused(built_store) -> None:
    command = [sys.executable, "-m", "indsatsgraf.cli", "--store", str(built_store.path)]
    done = subprocess.run(
        [*command, "query", "-e", b'SELECT ?x WHERE { BIND("\xff" AS ?x) }'],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )
    assert_refused(done, "the query text is not valid UTF-8")


# --- time limits ----------------------------------------------------------------------


def test_an_embedded_query_stops_at_its_timeout(built_store) -> None:
    started = time.monotonic()
    result = cli(built_store.path, "query", "-e", CARTESIAN, "--timeout", "2")
    assert_refused(result, "the query ran longer than 2 s and was stopped")
    assert time.monotonic() - started < 30


def test_planning_a_huge_join_stops_at_the_timeout(built_store, loopback: Loopback) -> None:
    text = "SELECT * WHERE { " + " . ".join(f"?s{i} ?p ?o" for i in range(300)) + " }"
    started = time.monotonic()
    result = cli(
        built_store.path, "query", "--endpoint", f"{loopback.url}/q", "-e", text, "--timeout", "2"
    )
    assert_refused(result, "the query ran longer than 2 s")
    assert time.monotonic() - started < 30
    assert loopback.requests == []


def test_a_query_does_not_outlive_a_killed_command(built_store) -> None:
    command = [sys.executable, "-m", "indsatsgraf.cli", "--store", str(built_store.path)]
    process = subprocess.Popen(
        [*command, "query", "-e", CARTESIAN, "--timeout", "3"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    children = Path(f"/proc/{process.pid}/task/{process.pid}/children")

    def workers() -> set[int]:
        return {int(p) for p in children.read_text().split()}

    running: set[int] = set()
    for _ in range(60):  # the syntax check's child ends at once; the query's child stays
        earlier = workers()
        time.sleep(0.5)
        running = earlier & workers()
        if running:
            break
    assert running, "the query never started a worker process"
    process.kill()
    process.wait()
    pid = running.pop()
    worker = Path(f"/proc/{pid}")

    def gone() -> bool:
        try:
            return "State:\tZ" in (worker / "status").read_text()
        except FileNotFoundError:
            return True

    for _ in range(200):  # its deadline was 3 s after it started
        if gone():
            break
        time.sleep(0.05)
    ended = gone()
    if not ended:
        os.kill(pid, signal.SIGKILL)  # do not leave it computing after a failed test
    assert ended, "the query worker kept running after its command was killed"


@pytest.mark.parametrize("value", ["0", "-1", "nan", "inf", "1e9"])
def test_unusable_timeouts_are_refused(built_store, value: str) -> None:
    result = invoke(built_store.path, "query", "status-overview", "--timeout", value)
    assert_refused(result, "timeout")


@pytest.mark.parametrize(
    ("number", "message"),
    [
        (signal.SIGSEGV, "stopped unexpectedly \\(signal 11\\)"),
        (signal.SIGABRT, "needed more than 4 GiB of memory and was stopped \\(signal 6\\)"),
    ],
)
def test_a_query_worker_that_dies_is_reported(number: int, message: str) -> None:
    def crash() -> None:
        os.kill(os.getpid(), number)

    with pytest.raises(QueryError, match=message):
        call_with_deadline(crash, timeout=30)


def test_a_query_worker_is_held_to_its_memory_limit() -> None:
    def hog() -> int:
        return len(bytearray(MAX_QUERY_MEMORY_BYTES + 2**30))

    with pytest.raises(QueryError, match="needed more than 4 GiB of memory"):
        call_with_deadline(hog, timeout=60)


# --- results on a terminal ----------------------------------------------------------

HOSTILE = (
    'SELECT ?x WHERE { BIND("a\\u001b]0;pwned\\u0007\\u001b[31mred\\u009b\\u202eevil\\rb" AS ?x) }'
)
RAW_CONTROLS = ("\x1b", "\x07", "\x9b", "\u202e", "\r")


@pytest.mark.parametrize("fmt", ["table", "md", "csv", "tsv", "json"])
def test_control_characters_never_reach_the_output(built_store, fmt: str) -> None:
    result = invoke(built_store.path, "query", "-e", HOSTILE, "--format", fmt)
    assert result.exit_code == 0, result.output
    assert not any(c in result.output for c in RAW_CONTROLS), repr(result.output)
    assert "\\u001b[31mred" in result.output
    if fmt == "json":
        assert json.loads(result.output)[0]["x"].startswith("a\x1b]0;pwned\x07")


def test_rich_markup_in_a_value_is_printed_as_it_is(built_store) -> None:
    text = 'SELECT ?x WHERE { BIND("[/bold] [red]x[/red]" AS ?x) }'
    result = invoke(built_store.path, "query", "-e", text)
    assert result.exit_code == 0, result.output
    assert "[/bold] [red]x[/red]" in result.output


def test_construct_output_escapes_control_characters(built_store) -> None:
    text = 'CONSTRUCT { <http://e/s> <http://e/p> ?x } WHERE { BIND("a\\u001bb\\u009bc" AS ?x) }'
    result = invoke(built_store.path, "query", "-e", text)
    assert result.exit_code == 0, result.output
    assert "\x1b" not in result.output and "\x9b" not in result.output
    parsed = list(ox.parse(result.output, format=ox.RdfFormat.TURTLE))
    assert parsed[0].object.value == "a\x1bb\x9bc"


XSD = "http://www.w3.org/2001/XMLSchema#"
NUMBERS = {
    "5,001-digit integer": (
        f'STRDT(CONCAT("1", "{"0" * 5000}"), <{XSD}integer>)',
        "1" + "0" * 5000,
    ),
    "infinite double": (f'"INF"^^<{XSD}double>', "INF"),
    "ill-typed integer": (f'"abc"^^<{XSD}integer>', "abc"),
    "decimal with a huge exponent": (f'"1e999999"^^<{XSD}decimal>', "1e999999"),
}


@pytest.mark.parametrize("case", sorted(NUMBERS))
def test_huge_or_ill_typed_numbers_in_results_stay_text(built_store, case: str) -> None:
    expression, shown = NUMBERS[case]
    text = f"SELECT ?x WHERE {{ BIND({expression} AS ?x) }}"
    done = cli(built_store.path, "query", "-e", text, "--format", "json", timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == [{"x": shown}]


# --- parameters, query files, show ------------------------------------------------------


def test_a_parameter_of_5000_digits_is_refused(built_store) -> None:
    digits = "9" * 5000
    result = cli(built_store.path, "query", "provenance-lookup", "-p", f"first={digits}")
    assert_refused(result, "parameter first: the value is 5,000 characters long (at most 1,000)")
    result = invoke(built_store.path, "query", "provenance-lookup", "-p", "first=" + "9" * 40)
    assert_refused(result, "parameter first: a number of 40 digits is too long (at most 18)")


def test_a_parameter_that_is_not_utf8_is_refused(built_store) -> None:
    command = [sys.executable, "-m", "indsatsgraf.cli", "--store", str(built_store.path)]
    done = subprocess.run(
        [*command, "query", "initiatives-by-keyword", "-p", b"keyword=h\xe6ndelse"],
        capture_output=True,
        text=True,
        errors="replace",
        timeout=120,
    )
    assert_refused(done, "parameter keyword: the value is not valid UTF-8 text (at character 2)")


def make_special(kind: str, tmp_path: Path) -> Path:
    path = tmp_path / f"{kind}.rq"
    if kind == "directory":
        path.mkdir()
    elif kind == "fifo":
        os.mkfifo(path)
    elif kind == "symlink-loop":
        path.symlink_to(path.name)
    elif kind == "dev-zero":
        path.symlink_to("/dev/zero")
    return path


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("directory", "is a directory, not a query file"),
        ("fifo", "is a named pipe (FIFO), not a regular file"),
        ("symlink-loop", "a loop of symbolic links"),
        ("dev-zero", "is a character device, not a regular file"),
    ],
)
def test_a_query_path_that_is_not_a_regular_file_is_named_for_what_it_is(
    built_store, tmp_path: Path, kind: str, message: str
) -> None:
    path = make_special(kind, tmp_path)
    result = cli(built_store.path, "query", str(path), timeout=60)
    assert_refused(result, f"{path}: {message}")
    assert "no such" not in result.stderr


def test_show_with_an_empty_argument_asks_for_a_thing(built_store) -> None:
    result = invoke(built_store.path, "show", "")
    assert_refused(result, "give a name: a number, code, label or IRI")


@pytest.mark.parametrize(
    "thing", [b"h\xe6ndelse", b"a\x1b[31mb", b"x" * 5000], ids=["latin-1", "escape", "5000"]
)
def test_show_refuses_text_that_is_no_name(built_store, thing: bytes) -> None:
    command = [sys.executable, "-m", "indsatsgraf.cli", "--store", str(built_store.path)]
    done = subprocess.run(
        [*command, "show", thing], capture_output=True, text=True, errors="replace", timeout=120
    )
    assert_refused(done, "not a code, number, IRI or label")
    assert "\x1b" not in done.stderr


def test_an_unknown_function_is_a_message_not_a_traceback(built_store) -> None:
    text = "SELECT * WHERE { ?s ?p ?o FILTER(<http://example.org/f>(?o)) }"
    result = invoke(built_store.path, "query", "-e", text)
    assert_refused(
        result, "the query cannot run: The custom function <http://example.org/f> is not supported"
    )
