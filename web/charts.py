"""Indicator progress as server-side SVG geometry: baseline → status → target on one line.

Each indicator gets its own scale (a percentage and a count of places do not
share an axis). The template draws the bar from these numbers; the table beside
it carries the same figures for readers who do not see the picture.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..graph.sparql import Value

WIDTH = 100.0  # the bar is drawn in percent of the chart's width


@dataclass(frozen=True)
class Bar:
    """Positions (0-100) of the three values on the indicator's own scale; None when absent."""

    label: str
    notation: str
    unit: str
    baseline: float | None
    status: float | None
    target: float | None
    baseline_x: float | None
    status_x: float | None
    target_x: float | None
    to_go: float | None
    share: float | None
    description: str


def _number(value: Value) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def danish(value: float | None) -> str:
    """A number as a Danish reader writes it: decimal comma, no needless decimals."""
    if value is None:
        return "–"
    text = f"{value:,.2f}".rstrip("0").rstrip(".")
    return text.replace(",", "\u00a0").replace(".", ",")


def _to_go(status: float | None, target: float | None, direction: str) -> float | None:
    """How far the status still is from the target in the direction asked; 0 once reached."""
    if status is None or target is None:
        return None
    if direction == "up":
        return round(max(0.0, target - status), 2)
    if direction == "down":
        return round(max(0.0, status - target), 2)
    return round(abs(target - status), 2)


def bars(rows: list[dict[str, Value]]) -> list[Bar]:
    """One bar per progress row that has at least two of baseline, status and target."""
    found = []
    for row in rows:
        baseline, status, target = (_number(row.get(k)) for k in ("baseline", "status", "target"))
        values = [v for v in (baseline, status, target) if v is not None]
        if len(values) < 2:
            continue
        low, high = min(values), max(values)
        span = (high - low) or 1.0

        def x(value: float | None, low: float = low, span: float = span) -> float | None:
            return None if value is None else round(5 + 90 * (value - low) / span, 2)

        to_go = _to_go(status, target, str(row.get("direction") or ""))
        unit = str(row.get("unit") or "")
        share = _number(row.get("shareOfWayPercent"))
        found.append(
            Bar(
                label=str(row.get("indicator") or ""),
                notation=str(row.get("notation") or ""),
                unit=unit,
                baseline=baseline,
                status=status,
                target=target,
                baseline_x=x(baseline),
                status_x=x(status),
                target_x=x(target),
                to_go=to_go,
                share=share,
                description=(
                    f"Udgangspunkt {danish(baseline)}, status {danish(status)}, "
                    f"mål {danish(target)} {unit}".strip()
                ),
            )
        )
    return found
