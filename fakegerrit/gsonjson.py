"""Request bodies read as Gerrit reads them: Gson's lenient ``JsonReader`` and its binding.

Gerrit's ``RestApiServlet`` reads every JSON body with ``JsonReader.setLenient(true)`` and
binds it to the view's input class with Gson. That accepts much more than JSON, and clients
rely on it: pygerrit2's ``review()`` posts ``str(dict)``, a Python repr with single quotes.
What the lenient reader takes (and :func:`read_lenient` with it):

* ``'single'`` and ``"double"`` quoted strings and names, and unquoted names and values
  (``{message: hello}``); an unquoted literal that is a JSON number is a number, ``true``,
  ``false`` and ``null`` match in any mix of lower and upper case per letter;
* ``=`` or ``=>`` for ``:``, ``;`` for ``,``, comments (``//``, ``#``, ``/* */``), a
  leading ``)]}'`` guard, empty array elements (``[1,,2]`` holds a null), and anything
  after the first value (Gson reads one value and stops);
* not: a trailing comma in an object (``Expected name``), an unknown escape.

Binding (:func:`bind`) coerces as Gson's type adapters do: a number or boolean read into a
``String`` field becomes its text, a string into an ``int`` or ``Boolean`` field is parsed,
an enum name Gson does not know becomes null, a duplicate map key is an error, and fields
the class does not have are ignored. Every failure is a :class:`JsonSyntaxError`, which
Gerrit answers with ``400 Invalid application/json in request``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

NESTING_LIMIT = 255  # Gson's JsonReader default (2.11+): deeper input is malformed


class JsonSyntaxError(ValueError):
    """Gson's ``MalformedJsonException`` / ``JsonSyntaxException``."""


class _Missing:
    """The first token of an empty document: Gerrit's ``Expected JSON object``."""


EMPTY = _Missing()

_LITERAL_END = frozenset("/\\;#={}[]:, \t\f\r\n")
_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?")
_ESCAPES = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", "'": "'", '"': '"'}
_ESCAPES.update({"\\": "\\", "/": "/", "\n": "\n"})


class JsonInt(int):
    """A number as read: Gson binds a number into a String field as its text, unchanged."""

    text: str

    def __new__(cls, text: str) -> JsonInt:
        self = super().__new__(cls, text)
        self.text = text
        return self


class JsonFloat(float):
    """A number with a fraction or an exponent, keeping its text (see :class:`JsonInt`)."""

    text: str

    def __new__(cls, text: str) -> JsonFloat:
        self = super().__new__(cls, text)
        self.text = text
        return self


class JsonObject(dict[str, Any]):
    """A JSON object as read; ``duplicate`` names a member given twice (Gson's maps reject
    that, its objects let the last one win)."""

    duplicate: str | None = None


@dataclass
class _Frame:
    container: JsonObject | list[Any]
    key: str | None = None  # the name whose value is being read (objects)


class _Reader:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def error(self, message: str) -> JsonSyntaxError:
        return JsonSyntaxError(f"{message} at character {self.pos}")

    def skip_ws(self) -> str | None:
        """The next significant character (not consumed), or None at the end."""
        text = self.text
        while self.pos < len(text):
            c = text[self.pos]
            if c in " \t\r\n":
                self.pos += 1
            elif c == "#" or text.startswith("//", self.pos):
                end = text.find("\n", self.pos)
                self.pos = len(text) if end < 0 else end + 1
            elif text.startswith("/*", self.pos):
                end = text.find("*/", self.pos + 2)
                if end < 0:
                    raise self.error("Unterminated comment")
                self.pos = end + 2
            else:
                return c
        return None

    def string(self, quote: str) -> str:
        self.pos += 1
        out: list[str] = []
        text = self.text
        while True:
            end = self.pos
            while end < len(text) and text[end] not in (quote, "\\"):
                end += 1
            out.append(text[self.pos : end])
            if end >= len(text):
                self.pos = end
                raise self.error("Unterminated string")
            self.pos = end + 1
            if text[end] == quote:
                return _utf16("".join(out))
            if self.pos >= len(text):
                raise self.error("Unterminated escape sequence")
            e = text[self.pos]
            self.pos += 1
            if e == "u":
                digits = text[self.pos : self.pos + 4]
                if len(digits) < 4 or not all(d in "0123456789abcdefABCDEF" for d in digits):
                    raise self.error("Malformed Unicode escape")
                out.append(chr(int(digits, 16)))
                self.pos += 4
            elif e in _ESCAPES:
                out.append(_ESCAPES[e])
            else:
                raise self.error("Invalid escape sequence")

    def literal(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in _LITERAL_END:
            self.pos += 1
        return self.text[start : self.pos]

    def name(self) -> str:
        c = self.skip_ws()
        if c in ('"', "'"):
            return self.string(c)
        word = self.literal()
        if not word:
            raise self.error("Expected name")
        return word

    def scalar(self, c: str) -> Any:
        if c in ('"', "'"):
            return self.string(c)
        word = self.literal()
        if not word:
            raise self.error("Expected value")
        for keyword, value in (("true", True), ("false", False), ("null", None)):
            if len(word) == len(keyword) and all(
                ch in (k, k.upper()) for ch, k in zip(word, keyword, strict=True)
            ):
                return value
        if _NUMBER.fullmatch(word):
            if re.fullmatch(r"-?[0-9]+", word):
                return JsonInt(word)
            return JsonFloat(word)
        return word  # an unquoted string


def read_lenient(text: str) -> Any:
    """The first value of ``text`` as Gson's lenient reader reads it, or :data:`EMPTY`.

    Iterative, so a deep value costs no recursion; objects are :class:`JsonObject`.
    """
    r = _Reader(text)
    if text.startswith(")]}'\n"):  # consumeNonExecutePrefix
        r.pos = 5
    if r.skip_ws() is None:
        return EMPTY
    return _Builder(r).run()


class _Builder:
    """The value tree, built with an explicit stack of open objects and arrays."""

    def __init__(self, reader: _Reader) -> None:
        self.r = reader
        self.stack: list[_Frame] = []
        self.root: list[Any] = []

    def put(self, value: Any) -> None:
        if not self.stack:
            self.root.append(value)
            return
        top = self.stack[-1]
        if isinstance(top.container, list):
            top.container.append(value)
            return
        assert top.key is not None
        if top.key in top.container and top.container.duplicate is None:
            top.container.duplicate = top.key
        top.container[top.key] = value

    def run(self) -> Any:
        expect_value = True
        while True:
            if expect_value:
                expect_value = self.value()
            elif not self.stack:
                return self.root[0]
            else:
                expect_value = self.after_value()

    def value(self) -> bool:
        """Read one value or open a container; whether a value is expected next."""
        r = self.r
        c = r.skip_ws()
        if c is None:
            raise r.error("End of input")
        if c not in "{[":
            self.put(r.scalar(c))
            return False
        if len(self.stack) >= NESTING_LIMIT:
            raise r.error(f"Nesting limit {NESTING_LIMIT} reached")
        r.pos += 1
        container: JsonObject | list[Any] = JsonObject() if c == "{" else []
        self.put(container)
        self.stack.append(_Frame(container))
        d = r.skip_ws()
        if d == ("}" if c == "{" else "]"):
            r.pos += 1
            self.stack.pop()
            return False
        if c == "{":
            self.stack[-1].key = _read_name(r)
            return True
        if d in (",", ";"):
            self.put(None)  # lenient: an empty element is a null
            return False
        return True

    def after_value(self) -> bool:
        """The separator or close after a value; whether a value is expected next."""
        r = self.r
        top = self.stack[-1]
        c = r.skip_ws()
        close = "]" if isinstance(top.container, list) else "}"
        if c == close:
            r.pos += 1
            self.stack.pop()
            return False
        if c not in (",", ";"):
            raise r.error("Unterminated array" if close == "]" else "Unterminated object")
        r.pos += 1
        if close == "}":
            top.key = _read_name(r)
            return True
        if r.skip_ws() in (",", ";", "]"):
            self.put(None)
            return False
        return True


def _read_name(r: _Reader) -> str:
    """A member name and its separator (``:``, ``=`` or ``=>``)."""
    c = r.skip_ws()
    if c == "}" or c is None:
        raise r.error("Expected name")
    name = r.name()
    sep = r.skip_ws()
    if sep == ":":
        r.pos += 1
    elif sep == "=":
        r.pos += 1
        if r.text.startswith(">", r.pos):
            r.pos += 1
    else:
        raise r.error("Expected ':'")
    return name


# --------------------------------------------------------------------------- binding

Type = Any  # a schema: "str", "int", "short", "bool", "any", Enum, Map, List or a dict


@dataclass(frozen=True)
class Enum:
    names: frozenset[str]


@dataclass(frozen=True)
class Map:
    value: Type


@dataclass(frozen=True)
class List:
    item: Type


def _type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "BOOLEAN"
    if isinstance(value, int | float):
        return "NUMBER"
    if isinstance(value, str):
        return "STRING"
    if isinstance(value, dict):
        return "BEGIN_OBJECT"
    if isinstance(value, list):
        return "BEGIN_ARRAY"
    return "NULL"


def _number_text(value: int | float) -> str:
    text = getattr(value, "text", None)
    if text is not None:
        return str(text)
    if isinstance(value, int):
        return str(value)
    return repr(value) if math.isfinite(value) else str(value)


def _to_int(value: Any, bits: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise JsonSyntaxError(f"Expected an int but was {_type_name(value)}")
    number: float | int
    if isinstance(value, str):
        try:
            number = int(value) if re.fullmatch(r"[+-]?[0-9]+", value) else float(value)
        except ValueError:
            raise JsonSyntaxError(f"Expected an int but was {value}") from None
    else:
        number = value
    if isinstance(number, float):
        if not number.is_integer():
            raise JsonSyntaxError(f"Expected an int but was {value}")
        number = int(number)
    low, high = -(2 ** (bits - 1)), 2 ** (bits - 1) - 1
    if not low <= number <= high:
        raise JsonSyntaxError(f"Lossy conversion from {number} to a {bits}-bit int")
    return number


def _scalar(kind: str, value: Any) -> Any:
    if kind == "str":
        if isinstance(value, bool):
            return "true" if value else "false"
        if isinstance(value, int | float):
            return _number_text(value)
        if isinstance(value, str):
            return value
        raise JsonSyntaxError(f"Expected a string but was {_type_name(value)}")
    if kind == "bool":
        if isinstance(value, bool):
            return value
        if isinstance(value, str):
            return value.lower() == "true"  # Boolean.parseBoolean
        raise JsonSyntaxError(f"Expected a boolean but was {_type_name(value)}")
    if kind == "int":
        return _to_int(value, 32)
    if kind == "short":
        return _to_int(value, 16)
    return value  # "any": Gerrit reads it, the fake does not


_Binder = Callable[[Any, Any], Any]


def bind(value: Any, schema: Type) -> Any:
    """``value`` (from :func:`read_lenient`) coerced to ``schema`` as Gson would.

    Null stays None; fields of a dict schema that are absent or null are left out; names the
    schema does not have are kept as they came (the fake never reads them, as Gerrit
    ignores them).
    """
    if value is None:
        return None
    if isinstance(schema, str):
        return _scalar(schema, value)
    if isinstance(schema, Enum):
        text = _scalar("str", value)
        return text if text in schema.names else None
    if isinstance(schema, List):
        if not isinstance(value, list):
            raise JsonSyntaxError(f"Expected BEGIN_ARRAY but was {_type_name(value)}")
        return [bind(v, schema.item) for v in value]
    if isinstance(schema, Map):
        return _bind_map(value, schema)
    if not isinstance(value, dict):
        raise JsonSyntaxError(f"Expected BEGIN_OBJECT but was {_type_name(value)}")
    return _bind_object(value, schema)


def _bind_map(value: Any, schema: Map) -> dict[str, Any]:
    pairs: list[tuple[Any, Any]]
    if isinstance(value, list):  # Gson also reads a map as [[key, value], ...]
        pairs = []
        for entry in value:
            if not isinstance(entry, list) or len(entry) != 2:
                raise JsonSyntaxError("Expected a [key, value] pair")
            pairs.append((entry[0], entry[1]))
    elif isinstance(value, dict):
        duplicate = getattr(value, "duplicate", None)
        if duplicate is not None:
            raise JsonSyntaxError(f"duplicate key: {duplicate}")
        pairs = list(value.items())
    else:
        raise JsonSyntaxError(f"Expected BEGIN_OBJECT but was {_type_name(value)}")
    out: dict[str, Any] = {}
    for k, v in pairs:
        key = _scalar("str", k)
        if key in out:
            raise JsonSyntaxError(f"duplicate key: {key}")
        out[key] = bind(v, schema.value)
    return out


def _bind_object(value: dict[str, Any], schema: Mapping[str, Type]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, raw in value.items():
        if name not in schema:
            out[name] = raw
            continue
        bound = bind(raw, schema[name])
        if bound is not None:
            out[name] = bound
    return out


__all__ = [
    "EMPTY",
    "Enum",
    "JsonObject",
    "JsonSyntaxError",
    "List",
    "Map",
    "bind",
    "read_lenient",
]


def _utf16(text: str) -> str:
    """A Java string is UTF-16: ``\\ud83d\\ude00`` escapes one character, a surrogate pair.
    Join each pair ``\\u`` escapes made into the one character it is; a lone surrogate
    stays as it is, as in Java."""
    if not any("\ud800" <= ch <= "\udfff" for ch in text):
        return text
    return text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "surrogatepass")
