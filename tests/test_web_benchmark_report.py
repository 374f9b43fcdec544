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


def _large(scale: int = 1000) -> dict:
    """A ×1000 page run: the front page fast, the query page refused twice, network slow alone."""
    return {
        "scale": scale,
        "clients": 20,
        "requests": 24,
        "first_request_ms": {"front": 300.0, "query": 10_050.0, "network": 4_000.0},
        "distinct_urls": {"front": 1, "query": 7, "network": 2},
        "no_cache": {
            "requests_per_second": 2.5,
            "pages": {
                "front": _timing(200, 800),
                "query": _timing(900, 10_100),
                "network": _timing(3000, 5200),
            },
            "failed": {"query": 2},
            "statuses": {"query": {"503": 2}},
        },
    }


def test_target_4_names_each_page_over_a_second_at_x1000_with_its_measured_cause():
    judged = _targets({**_web(), "pages_large": _large()})["web-large"]
    assert judged["target"].startswith("4. web pages p95 under 1 s at ×1000")
    assert judged["met"] is False and judged["gap"] == "2 of 3 kinds over"
    assert "saved query (form and table) p95 10.1 s (2 of 100 answered 503" in judged["measured"]
    assert "network view p95 5.2 s (its own work: 4.0 s alone)" in judged["measured"]
    assert "front page p95" not in judged["measured"].split("slowest")[1].split(";", 1)[1]
    assert _targets(_web())["web-large"]["met"] is None  # not run: neither met nor missed
    assert _targets({**_web(), "pages_large": _large(100)})["web-large"]["met"] is None


def test_before_and_after_are_shown_from_one_run_with_their_ratios():
    web = _web()
    old = {**web["pages"], "tree": "/tmp/old-tree", "server": "asyncio + h11"}
    old["no_cache"] = {
        **web["pages"]["no_cache"],
        "pages": {k: _timing(100, 600) for k in web["pages"]["no_cache"]["pages"]},
        "requests_per_second": 60.0,
    }
    text = "\n".join(_report()._web({**web, "pages_baseline": old}))
    assert "| thing | 600 ms | 210 ms | 2.9× | 12 ms | 12 ms | 1.0× |" in text
    assert "Throughput computed 60 → 120 requests/s (2.0×)" in text
    assert "the tree `old-tree` (asyncio + h11" in text
