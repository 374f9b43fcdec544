"""Indicator progress as a chart: baseline → status → target, and the distance still to go.

The chart is hand-written SVG rather than a Vega-Lite spec: every indicator has its own
unit and scale (a count of homes beside a share of citizens), which is one small track
per row here but a faceted chart with independent scales in Vega-Lite; and plain SVG
needs no script, so the same file is the printable figure, the page's picture and the
source of the PNG (``vl_convert.svg_to_png``, which draws æøå offline). Text in the SVG
is XML-escaped; the page also carries the numbers as a table for screen readers.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

__all__ = ["Progress", "danish", "progress", "progress_page", "progress_rows", "progress_svg"]

WIDTH = 1100
ROW = 46
LABEL_WIDTH = 430
TRACK = (LABEL_WIDTH + 40, WIDTH - 70)
COLORS = {"baseline": "#5d6d7e", "status": "#1f6fb2", "target": "#b03a2e", "gap": "#b03a2e"}


@dataclass(frozen=True)
class Progress:
    """One indicator's numbers, as the saved query indicator-progress gives them."""

    plan: str
    notation: str
    name: str
    unit: str
    baseline: float | None
    baseline_year: str
    status: float | None
    status_year: str
    target: float | None
    target_year: str
    direction: str = ""
    #: How far the status has come from the baseline towards the target, in percent.
    share: float | None = None

    @property
    def to_go(self) -> float | None:
        """How far the status (else the baseline) still is from the target; 0 when the
        target is reached or passed in the direction it asks for (None: unknown)."""
        now = self.status if self.status is not None else self.baseline
        if now is None or self.target is None:
            return None
        way = self.direction or (
            "up"
            if self.baseline is not None and self.target > self.baseline
            else "down"
            if self.baseline is not None and self.target < self.baseline
            else ""
        )
        gap = self.target - now
        if (way == "up" and gap <= 0) or (way == "down" and gap >= 0):
            return 0.0
        return gap if way in ("up", "down") else None


def progress(store: ox.Store, plan: str | None = None) -> list[Progress]:
    """The indicators with at least two of baseline, status and target, one row each."""
    from ..graph.names import Names
    from ..graph.sparql import run_embedded
    from ..queries.catalog import find

    query = find("indicator-progress")
    bindings = query.bindings({"plan": plan} if plan else {}, Names.of_store(store))
    return progress_rows(run_embedded(store, query, bindings).rows)


def progress_rows(rows: Iterable[Mapping[str, object]]) -> list[Progress]:
    """The rows of the saved query indicator-progress as :class:`Progress`, one per
    indicator of a plan, keeping those with at least two of baseline, status and target.

    The web application runs the query itself (with its deadline and parameter checks)
    and hands the rows here, so the page and ``viz`` draw the same answer.
    """
    found, seen = [], set()
    for row in rows:
        values = [_number(row.get(k)) for k in ("baseline", "status", "target")]
        key = (row.get("plan"), row.get("notation") or row.get("goal"), row.get("indicator"))
        if sum(v is not None for v in values) < 2 or key in seen:
            continue
        seen.add(key)
        found.append(
            Progress(
                plan=str(row.get("plan") or ""),
                notation=str(row.get("notation") or row.get("goal") or ""),
                name=" ".join(str(row.get("indicator") or "").split()),
                unit=str(row.get("unit") or ""),
                baseline=values[0],
                baseline_year=_text(row.get("baselineYear")),
                status=values[1],
                status_year=_text(row.get("statusYear")),
                target=values[2],
                target_year=_text(row.get("targetYear")),
                direction=_text(row.get("direction")),
                share=_number(row.get("shareOfWayPercent")),
            )
        )
    return found


def _number(value: object) -> float | None:
    try:
        return float(value) if value is not None and str(value).strip() else None
    except (TypeError, ValueError):
        return None


def _text(value: object) -> str:
    return "" if value is None else str(value)


def danish(value: float, unit: str = "") -> str:
    """1.000 and 95,9 as planners write them; percent with its sign."""
    text = f"{value:,.1f}".rstrip("0").rstrip(".") if value % 1 else f"{value:,.0f}"
    text = text.replace(",", "_").replace(".", ",").replace("_", ".")
    return f"{text} %" if unit == "percent" else text


def progress_svg(rows: list[Progress], title: str) -> str:
    """One row per indicator on its own scale: ○ baseline, ● status, ◆ target, and a
    dashed red line with "mangler …" for the distance still to go."""
    plans = sorted({r.plan for r in rows})
    height = 90 + ROW * len(rows) + 34 * len(plans) + 40
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}"'
        f' viewBox="0 0 {WIDTH} {height}" role="img" aria-labelledby="chart-title"'
        ' font-family="DejaVu Sans, sans-serif" font-size="13">',
        f'<title id="chart-title">{_esc(title)}</title>',
        f'<rect width="{WIDTH}" height="{height}" fill="#ffffff"/>',
        f'<text x="20" y="32" font-size="19" font-weight="bold">{_esc(title)}</text>',
        _legend(),
    ]
    y = 90.0
    for plan in plans:
        out.append(
            f'<text x="20" y="{y + 12}" font-weight="bold" fill="#1f3b73">{_esc(plan)}</text>'
        )
        y += 34
        for row in (r for r in rows if r.plan == plan):
            out.append(_row(row, y))
            y += ROW
    out.append("</svg>")
    return "\n".join(out)


def _legend() -> str:
    x = 20
    parts = []
    for mark, text in (("baseline", "Udgangspunkt"), ("status", "Status"), ("target", "Mål")):
        parts.append(_mark(mark, x + 6, 58) + f'<text x="{x + 18}" y="63">{text}</text>')
        x += 130
    parts.append(
        f'<line x1="{x}" y1="58" x2="{x + 30}" y2="58" stroke="{COLORS["gap"]}"'
        f' stroke-width="2" stroke-dasharray="5 3"/><text x="{x + 38}" y="63">Mangler</text>'
    )
    return "".join(parts)


def _mark(kind: str, x: float, y: float) -> str:
    color = COLORS[kind]
    if kind == "baseline":
        return f'<circle cx="{x:.1f}" cy="{y}" r="6" fill="#ffffff" stroke="{color}" stroke-width="2.5"/>'
    if kind == "status":
        return f'<circle cx="{x:.1f}" cy="{y}" r="7" fill="{color}"/>'
    return f'<polygon points="{x:.1f},{y - 8} {x + 8:.1f},{y} {x:.1f},{y + 8} {x - 8:.1f},{y}" fill="{color}"/>'


def _row(row: Progress, y: float) -> str:
    values = [v for v in (row.baseline, row.status, row.target) if v is not None]
    low, high = min(values), max(values)
    pad = (high - low) * 0.08 or max(abs(high) * 0.1, 1.0)
    low, high = low - pad, high + pad

    def x(value: float) -> float:
        return TRACK[0] + (TRACK[1] - TRACK[0]) * (value - low) / (high - low)

    name = row.name if len(row.name) <= 58 else row.name[:57].rstrip() + "…"
    label = f"{row.notation} {name}".strip()
    mid = y + 16
    parts = [
        f"<g><title>{_esc(_sentence(row))}</title>",
        f'<text x="20" y="{mid + 4}">{_esc(label)}</text>',
        f'<line x1="{TRACK[0]}" y1="{mid}" x2="{TRACK[1]}" y2="{mid}" stroke="#d5dbe1" stroke-width="2"/>',
    ]
    if row.baseline is not None and row.status is not None:
        parts.append(
            f'<line x1="{x(row.baseline):.1f}" y1="{mid}" x2="{x(row.status):.1f}" y2="{mid}"'
            f' stroke="{COLORS["status"]}" stroke-width="4"/>'
        )
    now = row.status if row.status is not None else row.baseline
    if row.to_go == 0 and row.target is not None:
        parts.append(
            f'<text x="{x(row.target):.1f}" y="{mid - 11}" text-anchor="middle"'
            f' fill="#1e7b34" font-weight="bold">nået</text>'
        )
    elif now is not None and row.target is not None and row.to_go:
        parts.append(
            f'<line x1="{x(now):.1f}" y1="{mid}" x2="{x(row.target):.1f}" y2="{mid}"'
            f' stroke="{COLORS["gap"]}" stroke-width="2" stroke-dasharray="5 3"/>'
            f'<text x="{(x(now) + x(row.target)) / 2:.1f}" y="{mid - 9}" text-anchor="middle"'
            f' fill="{COLORS["gap"]}">mangler {_esc(danish(abs(row.to_go), row.unit))}</text>'
        )
    written: list[float] = []
    for kind, value, year in (
        ("baseline", row.baseline, row.baseline_year),
        ("status", row.status, row.status_year),
        ("target", row.target, row.target_year),
    ):
        if value is not None:
            parts.append(_mark(kind, x(value), mid))
            if any(abs(x(value) - at) < 90 for at in written):
                continue  # the same place: the first value's text says it
            written.append(x(value))
            text = danish(value, row.unit) + (f" ({year})" if year else "")
            parts.append(
                f'<text x="{x(value):.1f}" y="{mid + 22}" text-anchor="middle" font-size="11.5"'
                f' fill="#333333">{_esc(text)}</text>'
            )
    parts.append("</g>")
    return "".join(parts)


def _sentence(row: Progress) -> str:
    parts = []
    for word, value, year in (
        ("udgangspunkt", row.baseline, row.baseline_year),
        ("status", row.status, row.status_year),
        ("mål", row.target, row.target_year),
    ):
        if value is not None:
            parts.append(f"{word} {danish(value, row.unit)}" + (f" ({year})" if year else ""))
    if row.to_go == 0:
        parts.append("målet er nået")
    elif row.to_go:
        parts.append(f"mangler {danish(abs(row.to_go), row.unit)}")
    return f"{row.notation} {row.name}: " + ", ".join(parts)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)


def progress_page(rows: list[Progress], title: str) -> str:
    """The chart with the same numbers as a table, offline and without script."""
    cells = []
    for r in rows:
        values = [
            "" if v is None else danish(v, r.unit) + (f" ({y})" if y else "")
            for v, y in (
                (r.baseline, r.baseline_year),
                (r.status, r.status_year),
                (r.target, r.target_year),
            )
        ]
        to_go = "" if r.to_go is None else danish(abs(r.to_go), r.unit)
        cells.append(
            "<tr>"
            + "".join(f"<td>{_esc(v)}</td>" for v in (r.plan, r.notation, r.name, *values, to_go))
            + "</tr>"
        )
    return f"""<!DOCTYPE html>
<html lang="da">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,"><title>{_esc(title)}</title>
<style>body {{ font-family: system-ui, sans-serif; margin: 1em; }} svg {{ max-width: 100%; height: auto; }}
table {{ border-collapse: collapse; font-size: 0.9em; }} th, td {{ border-bottom: 1px solid #e1e5ea;
padding: 0.2em 0.5em; text-align: left; }} caption {{ text-align: left; font-weight: 600; }}</style>
</head>
<body>
<main>
<h1>{_esc(title)}</h1>
<figure>{progress_svg(rows, title)}</figure>
<details id="table"><summary>Tabel med figurens indhold</summary>
<table id="progress-table"><caption>Indikatorer</caption><thead><tr>
<th scope="col">Plan</th><th scope="col">Nummer</th><th scope="col">Indikator</th>
<th scope="col">Udgangspunkt</th><th scope="col">Status</th><th scope="col">Mål</th>
<th scope="col">Mangler</th></tr></thead><tbody>
{"".join(cells)}
</tbody></table>
</details>
</main>
<script>window.indsatsgrafReady = true;</script>
</body>
</html>
"""
