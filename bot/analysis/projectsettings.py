"""A project's own settings for the rules: text in, settings out.

A project tunes the rules for itself where its other tools already look:
``[tool.security-bot]`` in ``pyproject.toml``, or ``[security-bot]`` in ``setup.cfg`` or
``tox.ini`` (where OpenStack projects keep their ``[flake8]`` section). The keys are the
options of ``security-bot analyze``:

============================  =====================================================
``select``                    rule ids or codes (or code prefixes: ``GSB1``) to run; all when empty
``ignore``                    rule ids, codes or code prefixes not to run
``severity``                  ``low`` (everything), ``medium`` or ``high``: the lowest reported
``exclude``                   gitignore-style globs of files not analysed
``test-paths``                globs of test code, added to the default test globs
``per-file-ignores``          glob -> rule ids or codes not run on the files it matches
============================  =====================================================

The first of ``pyproject.toml``, ``setup.cfg``, ``tox.ini`` that has the section is read,
and only that one (as flake8 and Ruff read one configuration). Nothing here touches the
file system or git: the callers (``security-bot analyze``, the flake8 plugin, the bot on
the change's target branch) read the files and pass their bytes in. Anything wrong is a
:class:`SettingsError` with one line naming the file and the key; a caller uses the
defaults then, which run every rule.
"""

from __future__ import annotations

import configparser
import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from bot.analysis.codes import CODES, PREFIX
from bot.analysis.model import Severity

__all__ = [
    "DEFAULT_SETTINGS",
    "INI_SECTION",
    "MAX_SETTINGS_BYTES",
    "SETTINGS_FILES",
    "TOML_TABLE",
    "LoadedSettings",
    "ProjectSettings",
    "SettingsError",
    "load_settings",
    "parse_settings",
    "validate_selectors",
]

#: where settings are looked for, in this order (each at the project's root)
SETTINGS_FILES = ("pyproject.toml", "setup.cfg", "tox.ini")
TOML_TABLE = "security-bot"  # [tool.security-bot]
INI_SECTION = "security-bot"  # [security-bot]
#: a settings file larger than this is refused (it is read from branches of any project)
MAX_SETTINGS_BYTES = 512 * 1024

_KEYS = ("select", "ignore", "severity", "exclude", "test-paths", "per-file-ignores")
_LIST_SPLIT = re.compile(r"[,\s]+")
_CODE_PREFIX = re.compile(rf"^{PREFIX}\d{{0,3}}$")


class SettingsError(ValueError):
    """Settings that cannot be used; ``str()`` is the one line shown to the user."""


@dataclass(frozen=True)
class ProjectSettings:
    """What a project asked for. The defaults run every rule on every file."""

    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    severity: Severity = Severity.LOW
    exclude: tuple[str, ...] = ()
    test_paths: tuple[str, ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: where they were read (``setup.cfg [security-bot]``); "" for the defaults
    source: str = field(default="", compare=False)

    @property
    def is_default(self) -> bool:
        return self == DEFAULT_SETTINGS

    def items(self) -> list[tuple[str, str]]:
        """The keys that differ from the defaults, as ``(key, value text)`` for a summary."""
        out: list[tuple[str, str]] = []
        for key, value in (
            ("select", ", ".join(self.select)),
            ("ignore", ", ".join(self.ignore)),
            ("severity", "" if self.severity == Severity.LOW else self.severity.value),
            ("exclude", ", ".join(self.exclude)),
            ("test-paths", ", ".join(self.test_paths)),
            (
                "per-file-ignores",
                "; ".join(f"{glob}: {', '.join(ids)}" for glob, ids in self.per_file_ignores),
            ),
        ):
            if value:
                out.append((key, value))
        return out

    def merged(
        self,
        *,
        select: Iterable[str] | None = None,
        ignore: Iterable[str] = (),
        severity: Severity | str | None = None,
        exclude: Iterable[str] = (),
    ) -> ProjectSettings:
        """These settings with command-line options on top: ``select`` and ``severity``
        replace the project's, ``ignore`` and ``exclude`` add to them (as in Ruff)."""
        return replace(
            self,
            select=tuple(select) if select is not None else self.select,
            ignore=self.ignore + tuple(ignore),
            severity=Severity(severity) if severity is not None else self.severity,
            exclude=self.exclude + tuple(exclude),
        )


DEFAULT_SETTINGS = ProjectSettings()


@dataclass(frozen=True)
class LoadedSettings:
    """The outcome of reading a project's settings files: what applies, and what went wrong."""

    settings: ProjectSettings = DEFAULT_SETTINGS
    #: one line when the settings were invalid (``settings`` are then the defaults)
    error: str = ""
    #: other files that also had a section and were not read
    also_found: tuple[str, ...] = ()

    @property
    def source(self) -> str:
        return self.settings.source


# ------------------------------------------------------------------------- selectors


def validate_selectors(items: Iterable[str], where: str) -> tuple[str, ...]:
    """Rule ids and codes (or code prefixes) as written, normalised; SettingsError for an
    item that names no rule."""
    out: list[str] = []
    for raw in items:
        item = raw.strip()
        if not item:
            continue
        if item.lower() in CODES:
            out.append(item.lower())
            continue
        upper = item.upper()
        if _CODE_PREFIX.match(upper) and any(c.startswith(upper) for c in CODES.values()):
            out.append(upper)
            continue
        raise SettingsError(f"{where}: {item!r} is no rule id, code or code prefix")
    return tuple(out)


# --------------------------------------------------------------------------- parsing


def _split(value: str) -> list[str]:
    return [v for v in _LIST_SPLIT.split(value) if v]


def _strings(value: Any, where: str) -> list[str]:
    if isinstance(value, str):
        return _split(value)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return [v.strip() for v in value if v.strip()]
    raise SettingsError(f"{where}: expected a list of strings, got {value!r}")


def _per_file_from_ini(value: str, where: str) -> list[tuple[str, list[str]]]:
    """flake8's form: one ``glob[, glob]: code[, code]`` per line."""
    out: list[tuple[str, list[str]]] = []
    for line in value.splitlines():
        line = line.strip()
        if not line:
            continue
        globs, sep, codes = line.rpartition(":")
        if not sep or not globs.strip() or not codes.strip():
            raise SettingsError(f"{where}: expected 'glob: codes' on each line, got {line!r}")
        out.extend((glob, _split(codes)) for glob in _split(globs))
    return out


def _per_file_from_toml(value: Any, where: str) -> list[tuple[str, list[str]]]:
    """Ruff's form: a table ``glob = [codes]``."""
    if not isinstance(value, Mapping):
        raise SettingsError(f"{where}: expected a table of glob = [codes], got {value!r}")
    return [(str(glob), _strings(codes, f"{where} {glob!r}")) for glob, codes in value.items()]


def _build(raw: Mapping[str, Any], source: str, *, ini: bool) -> ProjectSettings:
    values: dict[str, Any] = {}
    for key, value in raw.items():
        norm = key.strip().lower().replace("_", "-")
        if norm not in _KEYS:
            known = ", ".join(_KEYS)
            raise SettingsError(f"{source}: unknown key {key!r} (known: {known})")
        values[norm] = value
    where = source
    severity = Severity.LOW
    if "severity" in values:
        text = values["severity"]
        if not isinstance(text, str) or text.strip().lower() not in {s.value for s in Severity}:
            raise SettingsError(f"{where}: severity must be low, medium or high, got {text!r}")
        severity = Severity(text.strip().lower())
    per_file_raw = values.get("per-file-ignores")
    per_file: list[tuple[str, list[str]]] = []
    if per_file_raw is not None:
        per_file = (
            _per_file_from_ini(per_file_raw, f"{where}: per-file-ignores")
            if ini and isinstance(per_file_raw, str)
            else _per_file_from_toml(per_file_raw, f"{where}: per-file-ignores")
        )
    return ProjectSettings(
        select=validate_selectors(
            _strings(values.get("select", []), f"{where}: select"), f"{where}: select"
        ),
        ignore=validate_selectors(
            _strings(values.get("ignore", []), f"{where}: ignore"), f"{where}: ignore"
        ),
        severity=severity,
        exclude=tuple(_strings(values.get("exclude", []), f"{where}: exclude")),
        test_paths=tuple(_strings(values.get("test-paths", []), f"{where}: test-paths")),
        per_file_ignores=tuple(
            (glob, validate_selectors(ids, f"{where}: per-file-ignores {glob!r}"))
            for glob, ids in per_file
        ),
        source=source,
    )


def _decode(name: str, data: str | bytes) -> str:
    if isinstance(data, bytes):
        if len(data) > MAX_SETTINGS_BYTES:
            raise SettingsError(f"{name}: {len(data)} bytes, over the {MAX_SETTINGS_BYTES} limit")
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            raise SettingsError(f"{name}: not UTF-8 ({exc.reason} at byte {exc.start})") from None
    if len(data) > MAX_SETTINGS_BYTES:
        raise SettingsError(f"{name}: over the {MAX_SETTINGS_BYTES}-byte limit")
    return data


def parse_settings(name: str, data: str | bytes) -> ProjectSettings | None:
    """The settings in one file (``pyproject.toml``, ``setup.cfg`` or ``tox.ini``, by its
    base name); None when the file has no section for us. SettingsError when it has one
    that is wrong, or when the file itself cannot be read as TOML / INI."""
    base = name.rsplit("/", 1)[-1]
    text = _decode(name, data)
    if base == "pyproject.toml":
        if TOML_TABLE not in text:
            return None  # cheap: most pyproject files have no such table
        try:
            doc = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise SettingsError(f"{name}: not valid TOML: {exc}") from None
        table = doc.get("tool", {})
        table = table.get(TOML_TABLE) if isinstance(table, Mapping) else None
        if table is None:
            return None
        if not isinstance(table, Mapping):
            raise SettingsError(f"{name}: [tool.{TOML_TABLE}] must be a table")
        return _build(table, f"{name} [tool.{TOML_TABLE}]", ini=False)
    if f"[{INI_SECTION}]" not in text:
        return None
    parser = configparser.RawConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys as written
    try:
        parser.read_string(text, source=name)
    except configparser.Error as exc:
        first = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
        raise SettingsError(f"{name}: not a valid INI file: {first}") from None
    if not parser.has_section(INI_SECTION):
        return None
    return _build(dict(parser.items(INI_SECTION)), f"{name} [{INI_SECTION}]", ini=True)


def load_settings(files: Mapping[str, str | bytes | None]) -> LoadedSettings:
    """The settings of a project from its settings files (base name -> content; a missing
    file is absent or None): the first file of :data:`SETTINGS_FILES` with a section.

    Never raises: invalid settings give the defaults and the error line.
    """
    chosen: ProjectSettings | None = None
    also: list[str] = []
    for name in SETTINGS_FILES:
        data = files.get(name)
        if data is None:
            continue
        try:
            found = parse_settings(name, data)
        except SettingsError as exc:
            if chosen is None:
                return LoadedSettings(error=str(exc))
            also.append(name)
            continue
        if found is None:
            continue
        if chosen is None:
            chosen = found
        else:
            also.append(name)
    return LoadedSettings(settings=chosen or DEFAULT_SETTINGS, also_found=tuple(also))
