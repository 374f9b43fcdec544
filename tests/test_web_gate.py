"""The line page views wait in (web/gate.py): a few at a time, in the order they came.

Twenty page views in twenty threads shared the interpreter lock, so each waited
in proportion to its own work and the heavy pages (things, searches) had a p95
twice the others' at ×1 (benchmarks/web_load.py); these tests check the line.
"""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from conftest import SOURCES
from indsatsgraf.graph.pipeline import build
from indsatsgraf.graph.store import GraphStore
from indsatsgraf.web import pages
from indsatsgraf.web.app import Settings, create_app
from indsatsgraf.web.gate import Gate, step_aside
from indsatsgraf.web.library import Library
from starlette.testclient import TestClient


class Crowd:
    """Counts the threads inside its block at once, and the most there ever were."""

    def __init__(self, stay: float) -> None:
        self.stay, self.inside, self.peak = stay, 0, 0
        self._lock = threading.Lock()

    def visit(self) -> None:
        with self._lock:
            self.inside += 1
            self.peak = max(self.peak, self.inside)
        time.sleep(self.stay)
        with self._lock:
            self.inside -= 1


def _wait_until(condition, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.005)


def test_threads_enter_in_the_order_they_came():
    gate = Gate(1)
    order: list[int] = []
    threads = []

    def enter(n: int) -> None:
        with gate.place():
            order.append(n)

    with gate.place():
        for n in range(6):
            thread = threading.Thread(target=enter, args=(n,))
            thread.start()
            threads.append(thread)
            _wait_until(lambda n=n: len(gate._waiting) == n + 1)
    for thread in threads:
        thread.join(5)
    assert order == [0, 1, 2, 3, 4, 5]


def test_a_gate_lets_its_width_in_at_once_and_no_more():
    gate = Gate(2)
    crowd = Crowd(stay=0.01)

    def work(_: int) -> None:
        with gate.place():
            crowd.visit()

    with ThreadPoolExecutor(8) as pool:
        list(pool.map(work, range(24)))
    assert crowd.peak == 2


def test_a_gate_needs_a_place():
    with pytest.raises(ValueError, match="at least one place"):
        Gate(0)


def test_a_thread_stepping_aside_lets_the_next_in_and_comes_back_first():
    gate = Gate(1)
    order: list[str] = []
    aside, resume = threading.Event(), threading.Event()

    def waiting_view() -> None:
        with gate.place():
            with step_aside():
                aside.set()
                resume.wait(5)
            order.append("back")

    def later_view(name: str) -> None:
        with gate.place():
            order.append(name)
            if name == "second":
                resume.set()
                _wait_until(lambda: len(gate._waiting) == 2)  # "back", then "third"

    first = threading.Thread(target=waiting_view)
    first.start()
    assert aside.wait(5)
    second = threading.Thread(target=later_view, args=("second",))
    with gate.place():  # hold the place so that "third" queues behind "second"
        second.start()
        _wait_until(lambda: len(gate._waiting) == 1)
        third = threading.Thread(target=later_view, args=("third",))
        third.start()
        _wait_until(lambda: len(gate._waiting) == 2)
    for thread in (first, second, third):
        thread.join(5)
    assert order == ["second", "back", "third"]


def test_stepping_aside_outside_a_gate_does_nothing():
    with step_aside():
        pass


@pytest.fixture
def one_document(tmp_path: Path) -> GraphStore:
    store = GraphStore(tmp_path / "store")
    build(store, [SOURCES / "tvaergaaende-indsatsplan-2015.txt"], fresh=True)
    return store


def test_concurrent_page_views_run_as_many_at_once_as_the_gate_allows(one_document, monkeypatch):
    """Before the gate every request's view ran at once, each in its thread."""
    crowd = Crowd(stay=0.05)
    front = pages.front

    def counted(request):
        crowd.visit()
        # The front page's answers over the whole graph are waited for aside (not counted).
        return front(request)

    monkeypatch.setattr(pages, "front", counted)
    client = TestClient(create_app(Settings(one_document.path, cache=False, page_threads=2)))
    with ThreadPoolExecutor(8) as pool:
        statuses = list(pool.map(lambda _: client.get("/").status_code, range(8)))
    assert statuses == [200] * 8
    assert crowd.peak == 2


def test_a_view_waiting_for_a_slow_answer_gives_its_place_up(one_document):
    """A page waiting for an answer computed in the background must not hold the line."""
    library = Library(one_document.path, time_limit=30)
    gate = Gate(1)
    release = threading.Event()
    answers: list[str] = []

    def slow() -> str:
        release.wait(10)
        return "slow answer"

    def waiting_view() -> None:
        with gate.place():
            answers.append(library.remember(("slow",), slow, limited=True))

    waiting = threading.Thread(target=waiting_view)
    waiting.start()
    _wait_until(lambda: ("slow",) in {key for _, key in library._flights})
    entered = threading.Event()

    def other_view() -> None:
        with gate.place():
            entered.set()

    other = threading.Thread(target=other_view)
    other.start()
    try:
        assert entered.wait(5), "the waiting view held the gate's only place"
    finally:
        release.set()
        waiting.join(10)
        other.join(10)
    assert answers == ["slow answer"]


def test_a_view_computing_an_answer_itself_keeps_its_place(one_document):
    """An answer computed in the view's own thread is no wait: giving the place up after it
    sent the view to the back of a full line once for every answer a page asked."""
    library = Library(one_document.path)
    gate = Gate(1)
    entered = threading.Event()

    def later_view() -> None:
        with gate.place():
            entered.set()

    with gate.place():
        later = threading.Thread(target=later_view)
        later.start()
        _wait_until(lambda: len(gate._waiting) == 1)
        assert library.remember(("own",), lambda: 42) == 42
        assert not entered.is_set() and len(gate._waiting) == 1
    later.join(5)
    assert entered.is_set()
