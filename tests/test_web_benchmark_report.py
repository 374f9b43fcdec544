"""BENCHMARKS.md's web section is made from the load run's results, never written by hand."""

from __future__ import annotations

from test_benchmark_report import _report


def _timing(p50: float, p95: float) -> dict:
    return {"n": 100, "p50_ms": p50, "p95_ms": p95, "max_ms": p95 + 1}


def _web(search_scale: int = 100, ratio: float = 1.5) -> dict:
    kinds = {"front": (20, 90), "thing": (40, 210), "document": (30, 120)}
    return {
        "scale": 1,
        "date": "2026-12-06 17:00 UTC",
        "load_average": [3.5, 3.0, 2.0],
        "pages": {
            "clients": 20,
            "requests": 900,
            "first_request_ms": {"front": 31.0, "thing": 48.0, "document": 61.0},
            "distinct_urls": {"front": 1, "thing": 255, "document": 5},
            "no_cache": {
                "requests_per_second": 120.0,
                "pages": {kind: _timing(*times) for kind, times in kinds.items()},
            },
            "cache": {
                "requests_per_second": 400.0,
                "pages": {kind: _timing(5, 12) for kind in kinds},
            },
        },
        "search": {
            "scale": search_scale,
            "searches": 28,
            "repeat": 3,
            **_timing(18, 42),
        },
        "sparql": {
            "scale": 1,
            "queries": ["ontology-terms"],
            "clients": 8,
            "requests": 600,
            "app": {"requests_per_second": 100.0 / ratio, **_timing(20, 40)},
            "oxigraph": {"requests_per_second": 100.0, **_timing(10, 20)},
            "ratio": ratio,
        },
    }


def _targets(web: dict) -> dict[str, dict]:
    return {t["name"]: t for t in _report().web_targets(web)}


def test_targets_name_the_pages_over_their_p95_and_judge_sparql_by_the_ratio():
    judged = _targets(_web())
    assert judged["web"]["met"] is False
    assert "thing, p95 210 ms" in judged["web"]["measured"]
    assert judged["web"]["gap"] == "1 of 3 kinds over"
    assert judged["web-sparql"]["met"] is True and "1.50×" in judged["web-sparql"]["measured"]
    assert _targets(_web(ratio=2.6))["web-sparql"]["met"] is False


def test_search_below_the_archive_scale_is_never_called_met():
    assert _targets(_web(search_scale=100))["web-search"]["met"] is None
    assert _targets(_web(search_scale=1000))["web-search"]["met"] is True


def test_the_section_is_written_from_a_web_load_output_merged_into_the_results():
    report = _report()
    results = {"scales": {}, "config": {}}
    report.add_partial(results, {"web": _web()})
    assert "partial_runs" not in results, "a web run alone is no scale measured in part"
    text = "\n".join(report._web(results["web"], 29.0))
    assert "| thing | 255 | 48 ms | 40 ms | 210 ms | 5 ms | 12 ms |" in text
    assert "| indsatsgraf /sparql | 67 | 20.0 ms | 40.0 ms |" in text
    assert "took 29 minutes here" in text
    assert "median 18 ms, p95 42 ms" in text
