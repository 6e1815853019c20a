"""``load_config``: ``sources.yml`` → its schema → the ``Config`` the pipeline and the Airflow tasks use.

A mistake in the file is a ``ConfigError`` of one line that names the file, the entry and the key, e.g.
``sources.yml: sources[3] (cbc-drop): unknown key 'contcat' (did you mean 'contact'?)``: a clerk editing
the file must find the line to fix without reading a pydantic report. Entries are counted from 0.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError

from ingest.parsing import Limits
from ingest.sources.items import Source
from ingest.sources.schema import (
    SOURCE_KINDS,
    FolderSource,
    HttpSource,
    LimitsEntry,
    SourcesFile,
    UnitEntry,
)
from ingest.sources.text import display_url
from pressdx.settings import ConfigError

SECRET_KEYS = {"token_env"}  # a value that may be a pasted token is never echoed
_MODELS: dict[str, type[BaseModel]] = {"folder": FolderSource, "http": HttpSource}
_KINDS_OF = {
    "string_type": "text", "string_too_short": "non-empty text", "int_type": "a whole number",
    "int_parsing": "a whole number", "int_from_float": "a whole number", "float_type": "a number",
    "float_parsing": "a number", "list_type": "a list", "tuple_type": "a list", "dict_type": "a mapping (key: value)",
    "model_type": "a mapping (key: value)", "model_attributes_type": "a mapping (key: value)",
}


@dataclass(frozen=True)
class Config:
    file: Path
    sources: tuple[Source, ...]
    units: dict[str, str] = field(default_factory=dict)  # registered ministries/provinces/bodies -> kind
    unit_names: dict[str, tuple[str, str]] = field(default_factory=dict)
    limits: Limits = Limits()


def load_config(file: str | Path) -> Config:
    """Read and check ``file``; folder paths are resolved against the file's folder."""
    file = Path(file)
    try:
        doc = yaml.safe_load(file.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {file}") from None
    except IsADirectoryError:
        raise ConfigError(f"sources file is a folder: {file}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{file}: not UTF-8 text") from None
    except yaml.YAMLError as e:
        raise ConfigError(f"{file}: not valid YAML ({str(e).splitlines()[0]})") from None
    if not isinstance(doc, dict) or "sources" not in doc:
        raise ConfigError(f"{file}: expected a mapping with a 'sources:' list")
    try:
        parsed = SourcesFile.model_validate(doc)
    except ValidationError as e:
        raise ConfigError(f"{file}: {explain(e, doc)}") from None
    return _config(file, parsed)


def _config(file: Path, parsed: SourcesFile) -> Config:
    base = file.resolve().parent
    sources: list[Source] = []
    seen: dict[str, int] = {}
    for n, s in enumerate(parsed.sources):
        unit = s.unit_code.upper()
        if isinstance(s, FolderSource):
            src = Source(s.name or f"{unit}:{s.path}", unit, "folder", path=(base / s.path).resolve(),
                         contact=s.contact)
        else:
            # the default name is stored (raw.submissions, audit, cursors): never the query string or user
            # info of the url, which may hold a key (``?api_key=…``); the url itself is kept for requests only
            src = Source(s.name or f"{unit}:{display_url(s.url)}", unit, "http", url=s.url, token_env=s.token_env,
                         contact=s.contact)
        if src.name in seen:
            raise ConfigError(f"{file}: sources[{n}] ({src.name}): two sources are named {src.name!r} "
                              f"(sources[{seen[src.name]}] too): give one a different name")
        seen[src.name] = n
        sources.append(src)
    units, unit_names = {}, {}
    for u in parsed.units or []:
        code = u.unit_code.upper()
        units[code] = u.unit_kind
        unit_names[code] = (u.name_vi or code, u.name_en or code)
    limits = Limits(**(parsed.limits or LimitsEntry()).model_dump())
    return Config(file, tuple(sources), units, unit_names, limits)


# -- one line per mistake -------------------------------------------------------------------------------------
def explain(error: ValidationError, doc: dict) -> str:
    """The first problem of ``error`` in words, with the entry and key it concerns (and how many more)."""
    problems = error.errors(include_url=False)
    text = _one(problems[0], doc)
    return text + (f" (+{len(problems) - 1} more problem(s))" if len(problems) > 1 else "")


def _one(err: dict, doc: dict) -> str:
    loc = list(err["loc"])
    where, model, raw = "", SourcesFile, doc
    if loc and loc[0] in ("sources", "units") and len(loc) > 1 and isinstance(loc[1], int):
        section, n = loc[:2]
        loc = loc[2:]
        raw = (doc.get(section) or [])[n]
        where = f"{section}[{n}]" + _label(raw, ("unit_code",) if section == "units" else ("name", "unit_code"))
        if section == "units":
            model = UnitEntry
        elif loc and loc[0] in _MODELS:  # the discriminated union adds the kind to the location
            model = _MODELS[loc.pop(0)]
        else:
            model = None
    elif loc and loc[0] == "limits" and len(loc) > 1:
        where, model, loc = "limits", LimitsEntry, loc[1:]
    prefix = f"{where}: " if where else ""
    key = ".".join(str(p) for p in loc)
    kind, ctx = err["type"], err.get("ctx") or {}
    if kind == "extra_forbidden":
        return prefix + _unknown(key, model, where)
    if kind == "missing":
        return prefix + f"missing key '{key}'" + _needs(model)
    if kind == "union_tag_not_found":
        return prefix + f"missing key 'kind' ({' or '.join(SOURCE_KINDS)})"
    if kind == "union_tag_invalid":
        return prefix + f"kind must be {' or '.join(SOURCE_KINDS)}, not {_show(ctx.get('tag'))}"
    name = f"'{key}'" if key else "this entry" if where else "the file"
    shown = "" if key.split(".")[0] in SECRET_KEYS else f", not {_show(err.get('input'))}"
    if kind == "literal_error":
        return prefix + f"{name} must be one of {ctx.get('expected', '').replace(chr(39), '')}{shown}"
    if kind == "string_pattern_mismatch" and key == "token_env":
        return prefix + ("'token_env' must be the name of an environment variable (letters, digits, _) "
                         "that holds the token, never the token itself")
    if kind == "greater_than":
        return prefix + f"{name} must be greater than {ctx.get('gt')}{shown}"
    if kind in _KINDS_OF:
        return prefix + f"{name} must be {_KINDS_OF[kind]}{shown}"
    msg = err["msg"].removeprefix("Value error, ")
    return prefix + f"{name}: {msg[:1].lower()}{msg[1:]}{shown}"


def _label(raw, keys: tuple[str, ...]) -> str:
    """`` (name)`` of a raw entry: the first of ``keys`` it has as text; nothing when it has none."""
    if isinstance(raw, dict):
        for k in keys:
            if isinstance(raw.get(k), str) and raw[k].strip():
                return f" ({_show(raw[k].strip())[1:-1]})"
    return ""


def _unknown(key: str, model: type[BaseModel] | None, where: str) -> str:
    known = list(model.model_fields) if model else []
    text = f"unknown key '{key}'"
    kinds = {m: k for k, m in _MODELS.items()}
    if model in kinds:
        other = next(k for k, m in _MODELS.items() if m is not model)
        if key in _MODELS[other].model_fields:
            return text + f" for a {kinds[model]} source ('{key}' belongs to {other} sources)"
    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    if close:
        return text + f" (did you mean '{close[0]}'?)"
    return text + (f" (known keys: {', '.join(known)})" if known else "")


def _needs(model: type[BaseModel] | None) -> str:
    if model is None:
        return ""
    required = [k for k, f in model.model_fields.items() if f.is_required()]
    what = {FolderSource: "a folder source", HttpSource: "an http source", UnitEntry: "a unit",
            SourcesFile: "the file"}.get(model, "it")
    return f" ({what} needs {', '.join(required)})"


def _show(value) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:59] + "…"
