"""Gerrit's change query grammar (``Query.g``): its lexer, its parser and its error texts.

Gerrit parses a query with an ANTLR 3 grammar, and a client that puts a value into a query
the grammar does not read the way it meant gets a 400. The fake reads queries with the same
rules, so a bot that quotes badly fails here as it would on a real server:

* whitespace is ``' '``, ``\\t``, ``\\r`` and ``\\n``;
* a word (``SINGLE_WORD``) is a run of characters none of which is a control character, a
  space or one of ``! " $ % ' ( ) : ; ? [ ] { }``, and it does not start with ``-``; a
  reserved character outside quotes is a lexer error
  (``line 1:N no viable alternative at character 'C'``);
* the only quoting is ``"…"`` and ``{…}`` (``EXACT_PHRASE``); inside them ``\\t``, ``\\n``
  and ``\\r`` are escapes and a backslash takes any other character literally. Single
  quotes quote nothing: ``'`` is a reserved character;
* ``AND``/``and``, ``OR``/``or`` and ``NOT``/``not`` are operators, ``-`` negates;
* an operator name (``FIELD_NAME``) is lower-case letters and ``_`` (groups joined by
  ``-``); ``Status:open`` is therefore not the operator ``status`` but a default-field
  search for the text ``Status:open``;
* a value may contain colons (``ref:refs/heads/x:y``), as ``fieldValue`` concatenates them;
* the start rule has no ``EOF``: what follows an unmatched ``)`` is never read.

Parser errors carry ANTLR's texts (``no viable alternative at input '…'``, ``missing ')'
at '…'``, ``extraneous input '…' expecting ')'``) with the ``line L:C`` header of the token.
Two limits Gerrit has in other places are kept here, so that a hostile query is answered
with a 400 rather than a dropped connection: more than ``MAX_TERMS`` leaf terms
(``index.maxTerms``: ``too many terms in query``) and parentheses nested deeper than
``MAX_DEPTH`` (Gerrit's recursive-descent parser has no limit of its own).
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import NamedTuple

MAX_TERMS = 1024  # Gerrit's default index.maxTerms
MAX_DEPTH = 100

# Characters Query.g's NON_WORD fragment reserves (besides control characters and space).
RESERVED = frozenset("!\"$%'():;?[]{}")
_WS = frozenset(" \t\r\n")
_FIELD_NAME = re.compile(r"[a-z_]+(?:-[a-z_]+)*")
_KEYWORDS = {"AND": "AND", "and": "AND", "OR": "OR", "or": "OR", "NOT": "NOT", "not": "NOT"}


class QueryError(Exception):
    """A query that cannot be parsed or uses an unknown operator (HTTP 400)."""


@dataclass(frozen=True)
class Term:
    op: str  # "" for a default-field term
    value: str


@dataclass(frozen=True)
class Not:
    child: Node


@dataclass(frozen=True)
class And:
    children: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    children: tuple[Node, ...]


Node = Term | Not | And | Or


class Token(NamedTuple):
    kind: str  # AND OR NOT COLON LPAREN RPAREN MINUS FIELD_NAME SINGLE_WORD EXACT_PHRASE EOF
    text: str
    line: int
    col: int  # ANTLR's charPositionInLine: UTF-16 code units from the start of the line

    def display(self) -> str:
        """ANTLR's ``getTokenErrorDisplay``."""
        if self.kind == "EOF":
            return "'<EOF>'"
        text = self.text.replace("\n", "\\n").replace("\r", "\\r").replace("\t", "\\t")
        return f"'{text}'"


def _char_display(c: str | None) -> str:
    """ANTLR's ``getCharErrorDisplay``."""
    if c is None:
        return "'<EOF>'"
    return "'" + {"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(c, c) + "'"


def _non_word(c: str) -> bool:
    return c <= " " or c in RESERVED


_WS_RUN = re.compile(r"[ \t\r\n]+")
_WORD_RUN = re.compile(r"[^\x00- !\"$%'():;?\[\]{}]+")
_PHRASE_RUN = {'"': re.compile(r'[^"\\]+'), "}": re.compile(r"[^{}\\]+")}


def _units(text: str) -> int:
    """UTF-16 code units, which ANTLR's column counts."""
    return len(text) if text.isascii() else len(text.encode("utf-16-le")) // 2


class _Lexer:
    """Query.g's lexer, run lazily as ANTLR 3.5's token stream runs it."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0
        self.line = 1
        self.col = 0

    def _move(self, end: int) -> str:
        """Consume up to ``end``, keeping ANTLR's line and column; returns the text."""
        piece = self.text[self.pos : end]
        self.pos = end
        newlines = piece.count("\n")
        if newlines:
            self.line += newlines
            self.col = _units(piece[piece.rindex("\n") + 1 :])
        else:
            self.col += _units(piece)
        return piece

    def _peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def _error(self, message: str) -> QueryError:
        return QueryError(f"line {self.line}:{self.col} {message}")

    def tokens(self) -> Iterator[Token]:
        text = self.text
        while True:
            ws = _WS_RUN.match(text, self.pos)
            if ws:
                self._move(ws.end())
            line, col = self.line, self.col
            c = self._peek()
            if c is None:
                yield Token("EOF", "<EOF>", line, col)
                return
            simple = {"(": "LPAREN", ")": "RPAREN", ":": "COLON", "-": "MINUS"}.get(c)
            if simple is not None:
                self._move(self.pos + 1)
                yield Token(simple, c, line, col)
            elif c in ('"', "{"):
                yield Token("EXACT_PHRASE", self._phrase(), line, col)
            elif _non_word(c):
                raise self._error(f"no viable alternative at character {_char_display(c)}")
            else:
                m = _WORD_RUN.match(text, self.pos)
                assert m is not None
                word = self._move(m.end())
                if word in _KEYWORDS:
                    kind = _KEYWORDS[word]
                elif _FIELD_NAME.fullmatch(word):
                    kind = "FIELD_NAME"
                else:
                    kind = "SINGLE_WORD"
                yield Token(kind, word, line, col)

    def _phrase(self) -> str:
        """``"…"`` or ``{…}``: the text with Gerrit's escapes applied."""
        close = '"' if self._move(self.pos + 1) == '"' else "}"
        stops = {'"'} if close == '"' else {"{", "}"}
        run = _PHRASE_RUN[close]
        out: list[str] = []
        while True:
            m = run.match(self.text, self.pos)
            if m:
                out.append(self._move(m.end()))
            c = self._peek()
            if c is None or c in stops:
                if c != close:
                    raise self._error(
                        f"mismatched character {_char_display(c)} expecting {_char_display(close)}"
                    )
                self._move(self.pos + 1)
                return "".join(out)
            self._move(self.pos + 1)  # a backslash
            e = self._peek()
            if e is None:
                raise self._error("mismatched character '<EOF>' expecting set null")
            self._move(self.pos + 1)
            out.append({"t": "\t", "n": "\n", "r": "\r"}.get(e, e))


_STARTS_NOT = frozenset({"MINUS", "NOT", "LPAREN", "FIELD_NAME", "SINGLE_WORD", "EXACT_PHRASE"})


class _Parser:
    """Query.g's parser rules, building trees of Term, Not, And and Or."""

    def __init__(self, text: str) -> None:
        self._source = _Lexer(text).tokens()
        self._buffer: deque[Token] = deque()
        self.terms = 0
        self.depth = 0

    def la(self, k: int = 1) -> Token:
        buffer = self._buffer
        while len(buffer) < k:
            if buffer and buffer[-1].kind == "EOF":
                return buffer[-1]
            buffer.append(next(self._source))
        return buffer[k - 1]

    def take(self) -> Token:
        tok = self.la()
        if tok.kind != "EOF":
            self._buffer.popleft()
        return tok

    @staticmethod
    def error(tok: Token, message: str) -> QueryError:
        return QueryError(f"line {tok.line}:{tok.col} {message}")

    def no_viable(self) -> QueryError:
        tok = self.la()
        return self.error(tok, f"no viable alternative at input {tok.display()}")

    def condition_or(self) -> Node:
        items = [self.condition_and()]
        while self.la().kind == "OR":
            self.take()
            items.append(self.condition_and())
        return items[0] if len(items) == 1 else Or(tuple(items))

    def condition_and(self) -> Node:
        items = [self.condition_not()]
        while True:
            kind = self.la().kind
            if kind == "AND":
                self.take()
            elif kind not in _STARTS_NOT:
                break
            items.append(self.condition_not())
        return items[0] if len(items) == 1 else And(tuple(items))

    def condition_not(self) -> Node:
        if self.la().kind in ("MINUS", "NOT"):
            self.take()
            return Not(self.condition_base())
        return self.condition_base()

    def condition_base(self) -> Node:
        tok = self.la()
        if tok.kind == "LPAREN":
            self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise self.error(
                    tok, f"query is nested too deeply (more than {MAX_DEPTH} parentheses)"
                )
            node = self.condition_or()
            self.depth -= 1
            if self.la().kind != "RPAREN":
                bad = self.la()
                if self.la(2).kind == "RPAREN":
                    raise self.error(bad, f"extraneous input {bad.display()} expecting ')'")
                raise self.error(bad, f"missing ')' at {bad.display()}")
            self.take()
            return node
        if tok.kind == "FIELD_NAME" and self.la(2).kind == "COLON":
            self.take()
            self.take()
            return self._term(tok.text, self.field_value())
        if tok.kind in ("FIELD_NAME", "SINGLE_WORD", "EXACT_PHRASE"):
            return self._term("", self.field_value())
        raise self.no_viable()

    def field_value(self) -> str:
        parts: list[str] = []
        while True:
            tok = self.la()
            if tok.kind in ("FIELD_NAME", "SINGLE_WORD") and self.la(2).kind == "COLON":
                self.take()
                self.take()
                parts += [tok.text, ":"]
                continue
            if tok.kind in ("FIELD_NAME", "SINGLE_WORD", "EXACT_PHRASE"):
                self.take()
                parts.append(tok.text)
                return "".join(parts)
            raise self.no_viable()

    def _term(self, op: str, value: str) -> Term:
        self.terms += 1
        if self.terms > MAX_TERMS:
            raise QueryError("too many terms in query")
        return Term(op, value)


def parse_syntax(text: str) -> Node:
    """The tree Gerrit's parser builds for ``text`` (operators not yet checked)."""
    if not text:
        raise QueryError("query is empty")
    return _Parser(text).condition_or()


def is_single_word(value: str) -> bool:
    """Whether ``value`` stands as a query value unquoted (``QueryParser.isSingleWord``)."""
    return bool(value) and value[0] != "-" and not any(_non_word(c) for c in value)


__all__ = [
    "MAX_DEPTH",
    "MAX_TERMS",
    "RESERVED",
    "And",
    "Node",
    "Not",
    "Or",
    "QueryError",
    "Term",
    "is_single_word",
    "parse_syntax",
]
