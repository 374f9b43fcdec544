"""Checks on query text made before any SPARQL parser sees it.

Oxigraph's parser and planner recurse once per nesting level and per operator
in a chain, and they run on the caller's stack: 5,000 nested parentheses or
20,000 ``!`` end the process with a segmentation fault, not an error. The same
parser follows ``SERVICE <IRI>`` by sending HTTP requests from the machine
that runs the query, so a shared ``.rq`` file could make it call any server
it can reach. Both are decided here, on tokens, by one linear scan that
knows where strings, IRIs, variables and comments begin and end: a keyword
hidden in a comment or a string is not a keyword, and a keyword glued to the
token before it (``}SERVICE``, ``"x"SERVICE``, ``trueSERVICE``) still is.

Where the scan cannot be sure, it refuses: any word or prefix containing
``SERVICE`` counts as one, because Oxigraph's parser also reads keywords that
are glued to other words (``serviceX:a`` is ``SERVICE X:a`` to it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..errors import QueryError


class QueryRefused(QueryError):
    """A query the tool will not run at all: a SERVICE call, or text past the bounds.

    Kept apart from syntax errors so that an endpoint can answer 403 (forbidden)
    rather than 400 (malformed).
    """


#: Query text longer than this many bytes (UTF-8) is refused.
MAX_QUERY_BYTES = 100_000
#: Deepest allowed nesting of ( [ { plus runs of prefix operators (! - + ^).
MAX_NESTING = 64
#: Most tokens in one query: bounds the length of operator chains (a || b || …,
#: UNION, property paths), which the parser also handles by recursion.
MAX_TOKENS = 5_000

_PN_BASE = (
    "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff\u200c-\u200d"
    "\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd\U00010000-\U000effff"
)
_PN_CHARS = _PN_BASE + "_0-9\u00b7\u0300-\u036f\u203f-\u2040"
_UCHAR = r"\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8}"

TOKEN = re.compile(
    rf"""
    (?P<space>[ \t\r\n]+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<iri><(?:[^<>"{{}}|^`\\\x00-\x20]|{_UCHAR})*>)
  | (?P<string>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\"|'''(?:[^'\\]|\\.|'(?!''))*'''
        |"(?:[^"\\\r\n]|\\.)*"|'(?:[^'\\\r\n]|\\.)*')
  | (?P<variable>[?$][{_PN_CHARS}]*)
  | (?P<langtag>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>[0-9]+(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?|\.[0-9]+(?:[eE][+-]?[0-9]+)?)
  | (?P<pname>[{_PN_BASE}][{_PN_CHARS}.-]*:[{_PN_CHARS}:%\\-]*|:[{_PN_CHARS}:%\\-]*)
  | (?P<word>[{_PN_CHARS}]+)
  | (?P<open>[(\[{{])
  | (?P<close>[)\]}}])
  | (?P<prefix_operator>[!^+-])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True)
class Token:
    kind: str
    text: str
    offset: int


def tokens(text: str) -> Iterator[Token]:
    """The query's tokens without whitespace and comments.

    Names are cut shorter than SPARQL would cut them wherever the two could
    differ (a prefixed name's local part stops at ``.``), so a keyword is
    never swallowed by a name the parser would have ended earlier.
    """
    for match in TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("space", "comment"):
            yield Token(kind, match.group(), match.start())


def guard(text: str, source: str, allowed_services: Iterable[str] = ()) -> None:
    """Refuse text that is too large, too deeply nested or calls a SERVICE not allowed.

    ``source`` names the query in messages (its file, or ``<inline>``).
    """
    try:
        size = len(text.encode("utf-8"))
    except UnicodeEncodeError as error:
        raise QueryRefused(
            f"{source}: the query text is not valid UTF-8 (byte {error.object[error.start]!r} "
            f"at character {error.start})"
        ) from None
    if size > MAX_QUERY_BYTES:
        raise QueryRefused(
            f"{source}: the query is {size:,} bytes long, over the limit of {MAX_QUERY_BYTES:,}"
        )
    found = list(itertools.islice(tokens(text), MAX_TOKENS + 1))
    _check_nesting(found, text, source)
    allowed = set(allowed_services)
    for index, token in enumerate(found):
        if _names_service(token):
            _check_service(found, index, text, source, allowed)


def _check_nesting(found: list[Token], text: str, source: str) -> None:
    """Refuse the first token past MAX_NESTING levels, or past MAX_TOKENS tokens."""
    depth = prefix_run = 0
    for index, token in enumerate(found):
        if index == MAX_TOKENS:
            raise QueryRefused(
                f"{source}: the query has more than {MAX_TOKENS:,} tokens; split it or shorten it"
            )
        if token.kind == "open":
            depth += 1
        elif token.kind == "close":
            depth = max(0, depth - 1)
        prefix_run = prefix_run + 1 if token.kind == "prefix_operator" else 0
        if depth + prefix_run > MAX_NESTING:
            line, column = position(text, token.offset)
            raise QueryRefused(
                f"{source}:{line}:{column}: the query nests deeper than {MAX_NESTING} levels "
                "of brackets and operators"
            )


def _names_service(token: Token) -> bool:
    """Whether the parser could read SERVICE in this token (its prefix, for a prefixed name)."""
    if token.kind == "word":
        return "SERVICE" in token.text.upper()
    if token.kind == "pname":
        return "SERVICE" in token.text.split(":", 1)[0].upper()
    return False


def _check_service(
    found: list[Token], index: int, text: str, source: str, allowed: set[str]
) -> None:
    """Let ``SERVICE [SILENT] <IRI>`` through only for an allowed IRI; refuse every other form."""
    line, column = position(text, found[index].offset)
    where = f"{source}:{line}:{column}"
    rest = found[index + 1 :]
    word = found[index].text.upper()
    if word == "SERVICE" and rest and rest[0].kind == "word" and rest[0].text.upper() == "SILENT":
        rest = rest[1:]
    elif word == "SERVICESILENT":
        pass
    elif word != "SERVICE":
        raise QueryRefused(f"{where}: {found[index].text!r} reads as a SERVICE call; refused")
    if not rest or rest[0].kind != "iri":
        target = rest[0].text if rest else "nothing"
        raise QueryRefused(
            f"{where}: SERVICE {target} is refused: a federated query may only call an "
            f"endpoint written as a full <IRI> that is allowed",
            remedy="allow-service",
        )
    endpoint = unescape_iri(rest[0].text[1:-1])
    if endpoint not in allowed:
        raise QueryRefused(
            f"{where}: SERVICE <{endpoint}> is refused: queries do not call other servers "
            f"unless the endpoint is allowed",
            remedy="allow-service",
        )


def unescape_iri(body: str) -> str:
    r"""The IRI as the parser reads it: ``\uXXXX`` and ``\UXXXXXXXX`` decoded."""
    return re.sub(_UCHAR, lambda m: chr(int(m.group()[2:], 16)), body)


def position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of ``offset``."""
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


def allowed_endpoints(urls: Iterable[str]) -> tuple[str, ...]:
    """The allow-list, each entry checked to be an absolute http(s) URL."""
    checked = []
    for url in urls:
        if not re.fullmatch(r"https?://[^\s<>\"{}|\\^`]+", url):
            raise QueryRefused(
                f"{url!r} cannot be allowed as a SERVICE endpoint: only absolute http(s) URLs can be allowed"
            )
        checked.append(url)
    return tuple(checked)
