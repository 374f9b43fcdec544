"""Text as SVG draws it: how wide a label is, and the box it takes, before any browser.

The SVG pictures place their labels in Python and must know where each one ends, so
they never overlap. Widths are estimated from the advance widths of DejaVu Sans (the
sans-serif of Debian's browsers and of vl-convert), rounded up, so an estimate errs on
the wide side and a layout that fits here fits on screen.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["Box", "Text", "fit", "overlap", "text_width"]

Box = tuple[float, float, float, float]  # left, top, right, bottom

#: Advance widths of DejaVu Sans in ems (the browsers' and vl-convert's sans-serif on
#: Debian), rounded up; other characters count as the widest lower-case letters.
_NARROW = dict.fromkeys("iljI.,:;'|!", 0.32) | dict.fromkeys(" ()[]-/f", 0.4)
_WIDE = dict.fromkeys("mwMWæÆœ", 1.0)
_MEDIUM = dict.fromkeys("rtJ", 0.45) | dict.fromkeys("sczkvxy", 0.6)


def _ems(char: str) -> float:
    if char in _NARROW:
        return _NARROW[char]
    if char in _WIDE:
        return _WIDE[char]
    if char in _MEDIUM:
        return _MEDIUM[char]
    return 0.78 if char.isupper() else 0.66


def _pixels(ems: float, font: float, bold: bool) -> float:
    return ems * font * (1.08 if bold else 1.0)


def text_width(text: str, font: float, bold: bool = False) -> float:
    """The width ``text`` takes at ``font`` pixels, estimated on the wide side."""
    ems = 0.0
    for char in text:
        ems += _ems(char)
    return _pixels(ems, font, bold)


def fit(text: str, room: float, font: float, bold: bool = False) -> str:
    """``text`` shortened with an ellipsis until it fits ``room`` pixels.

    One pass over the text: measuring every shorter prefix anew made a long label
    cost its length squared, most of an initiative page's timeline.
    """
    if text_width(text, font, bold) <= room:
        return text
    ellipsis, ems, end = _ems("…"), 0.0, 0
    for char in text:
        ems += _ems(char)
        if _pixels(ems + ellipsis, font, bold) > room:
            break
        end += 1
    kept = text[:end]
    return kept.rstrip(" ,.-–") + "…" if kept else ""


@dataclass(frozen=True)
class Text:
    """One piece of text: where it is drawn and the box it takes (for the overlap check)."""

    x: float
    y: float
    text: str
    anchor: str
    font: float
    bold: bool = False

    @property
    def box(self) -> Box:
        width = text_width(self.text, self.font, self.bold)
        left = {"start": self.x, "middle": self.x - width / 2, "end": self.x - width}[self.anchor]
        return (left, self.y - 0.95 * self.font, left + width, self.y + 0.25 * self.font)


def overlap(a: Box, b: Box) -> bool:
    """Whether two boxes share any area (touching edges do not count)."""
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
