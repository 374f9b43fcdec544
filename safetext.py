"""Text with no control characters, for every place text leaves the library.

Documents are untrusted: a line holding ``ESC]0;…BEL`` retitles a terminal and
``ESC[31m`` recolours it, and a C0 character makes an XML file unreadable.
Tab and newline are kept (they carry layout); every other C0 and C1 character
and DEL is removed.
"""

from __future__ import annotations

import re

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def without_controls(text: str) -> str:
    """``text`` without C0/C1 control characters other than tab and newline."""
    return CONTROL.sub("", text)


ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escaped(name: str) -> str:
    """``name`` (a file name) on one line: line breaks and tabs written as escapes.

    A file name may hold any character but ``/``; printed as it is, a line break
    in it would split a summary line or a Markdown table row in two. Other
    control characters are written as ``\\xNN``.
    """
    return "".join(
        ESCAPES.get(c) or (f"\\x{ord(c):02x}" if CONTROL.fullmatch(c) else c) for c in name
    )
