"""The endpoint comparison section of BENCHMARKS.md, rendered from a results JSON."""

from __future__ import annotations

from conftest import benchmark_module


def _report():  # noqa: ANN202
    return benchmark_module("report")


def _run(warm: float, rows: int) -> dict:
    return {"cold": warm * 2, "warm": warm, "rows": rows}


def _endpoints() -> dict:
    return {
        "scale": 10,
        "seed": 1,
        "repeat": 3,
        "limit": 120.0,
        "commit": "abc1234",
        "date": "2026-12-06 17:00 UTC",
        "documents": 50,
        "triples": 123_456,
        "build_seconds": 12.5,
        "compact": True,
        "oxigraph_dataset": "union-default-graph",
        "virtuoso_config": {
            "NumberOfBuffers": 170_000,
            "MaxDirtyBuffers": 127_500,
            "ResultSetMaxRows": 1_000_000,
            "MaxQueryExecutionTime": 120,
            "MaxQueryCostEstimationTime": 0,
        },
        "push_seconds": 30.0,
        "pushed_triples": 123_456,
        "memory": {
            "started": {"rss_bytes": 300 << 20, "peak_bytes": 300 << 20},
            "pushed": {"rss_bytes": 600 << 20, "peak_bytes": 700 << 20},
            "queried": {"rss_bytes": 900 << 20, "peak_bytes": 1000 << 20},
        },
        "restarts": ["status-overview"],
        "queries": {
            "ontology-terms": {
                "embedded": _run(0.010, 124),
                "oxigraph": _run(0.030, 124),
                "virtuoso": _run(0.005, 124),
            },
            "status-overview": {
                "embedded": _run(0.400, 3125),
                "oxigraph": _run(0.100, 3125),
                "virtuoso": {"error": "QueryError: no answer within 120 s (timeout)", "times": []},
            },
        },
    }


def test_the_ratios_are_warm_times_over_the_embedded_stores() -> None:
    lines = _report()._endpoints(_endpoints())
    rows = {line.split("|")[1].strip(): line for line in lines if line.startswith("| `")}
    cells = [c.strip() for c in rows["`ontology-terms`"].split("|")[1:-1]]
    assert cells[2:] == ["20.0 / 10.0", "60.0 / 30.0", "10.0 / 5.0", "3.00", "0.50"]
    cells = [c.strip() for c in rows["`status-overview`"].split("|")[1:-1]]
    assert cells[4:] == ["error [1]", "0.25", "—"]
    assert "- [1] virtuoso: QueryError: no answer within 120 s (timeout)" in lines


def test_the_settings_and_restarts_of_the_run_are_stated() -> None:
    text = "\n".join(_report()._endpoints(_endpoints()))
    assert "MaxQueryCostEstimationTime 0 (off" in text
    assert "MaxDirtyBuffers 127,500" in text
    assert "MaxQueryExecutionTime 120 s" in text
    assert "`oxigraph serve-read-only --union-default-graph`" in text
    assert "after `status-overview` and was restarted" in text
    assert "| build into the embedded store (with links, compacted) | 12.5 s |" in text
