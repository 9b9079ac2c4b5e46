"""Source -> typed model, with every mistake reported at once and placed in the file.

Takes a ``Source`` (plain data with positions) and a pydantic model class; gives a model instance
or raises ``ValidationError`` listing each problem as ``file:line:column: field.path: message``.
Unknown keys get a did-you-mean suggestion drawn from the fields allowed at that place.
"""

from __future__ import annotations

import difflib
import types
import typing
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel

from handout_builder.errors import Problem, ValidationError
from handout_builder.source.reader import PathKey, Source

M = TypeVar("M", bound=BaseModel)

_FRIENDLY = {
    "missing": "field required",
    "string_type": "expected text",
    "list_type": "expected a list (one '- item' per line)",
    "model_type": "expected a mapping of fields (key: value)",
    "model_attributes_type": "expected a mapping of fields (key: value)",
    "date_from_datetime_parsing": "expected a date as YYYY-MM-DD",
    "date_parsing": "expected a date as YYYY-MM-DD",
    "date_type": "expected a date as YYYY-MM-DD",
    "bool_parsing": "expected true or false",
    "int_parsing": "expected a whole number",
}


def validate(source: Source, model: type[M]) -> M:
    """Validate ``source.data`` against ``model``; raise ``ValidationError`` with all problems."""
    try:
        return model.model_validate(source.data)
    except pydantic.ValidationError as exc:
        problems = [_problem(source, model, err) for err in exc.errors(include_url=False)]
        raise ValidationError(_dedupe(problems)) from None


def _problem(source: Source, model: type[BaseModel], err: Any) -> Problem:
    path = _data_path(source.data, err["loc"])
    kind = err["type"]
    if kind == "extra_forbidden":
        allowed = _fields_at(model, path[:-1])
        key = str(path[-1])
        message = f"unknown field '{key}'"
        close = difflib.get_close_matches(key, allowed, n=1, cutoff=0.6)
        if close:
            message += f"; did you mean '{close[0]}'?"
        elif allowed:
            message += f"; expected one of: {', '.join(sorted(allowed))}"
        return source.problem(path, message, key=True)
    if kind == "missing":
        return source.problem(path, "field required")
    message = _FRIENDLY.get(kind) or err["msg"]
    if kind in ("string_too_short",) and err.get("ctx", {}).get("min_length") == 1:
        message = "must not be empty"
    if kind == "string_too_long":
        message = f"too long: at most {err['ctx']['max_length']} characters"
    if kind == "too_short" and err.get("ctx", {}).get("min_length") == 1:
        message = "must not be empty: give at least one item"
    if kind == "string_pattern_mismatch":
        message = _pattern_message(path, err)
    if kind == "literal_error":
        message = f"expected one of: {err['ctx']['expected']}"
    if kind in ("greater_than_equal", "less_than_equal"):
        word = "at least" if kind == "greater_than_equal" else "at most"
        bound = err["ctx"]["ge" if kind == "greater_than_equal" else "le"]
        message = f"must be {word} {bound:g}"
    if kind == "value_error":
        message = err["msg"].removeprefix("Value error, ")
    return source.problem(path, message)


def _pattern_message(path: PathKey, err: Any) -> str:
    field = path[-1] if path else ""
    hints = {
        "id": "use lower-case letters, digits and '-' (e.g. 'back-pain-basics'), 3 to 64 long",
        "language": "use a language tag such as 'en', 'es' or 'en-GB'",
        "url": "expected a web address starting with https://",
        "online_url": "expected a web address starting with https://",
        "version": "use letters, digits, '.' and '-' (e.g. '1.2')",
        "fingerprint": "expected 'sha256:' and 64 hex digits, as 'handout approve' writes it "
        "(approve the handout again rather than editing it)",
    }
    if err["ctx"]["pattern"].startswith("^#[0-9A-Fa-f]{6}"):
        return "expected a colour as #RRGGBB, e.g. '#1F4E79' (quote it: # starts a comment)"
    return hints.get(str(field), f"does not match the pattern {err['ctx']['pattern']}")


def _data_path(data: Any, loc: tuple[Any, ...]) -> PathKey:
    """Map a pydantic error location onto the path in the raw data.

    Model validators and the string-to-paragraph shortcut add steps that are not in the data;
    those are skipped so that the path (and so the line and column) is where the user wrote it.
    """
    out: list[str | int] = []
    node = data
    for i, step in enumerate(loc):
        is_last = i == len(loc) - 1
        if isinstance(node, dict) and isinstance(step, str):
            out.append(step)
            node = node.get(step)
        elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
            out.append(step)
            node = node[step]
        elif is_last and isinstance(step, str) and node is None:
            out.append(step)
    return tuple(out)


def _fields_at(model: type[BaseModel], path: PathKey) -> list[str]:
    """Names (aliases) of the fields allowed in the mapping found at ``path``."""
    current: Any = model
    for step in path:
        current = _unwrap(current)
        if isinstance(step, int):
            current = _item_type(current)
        elif isinstance(current, type) and issubclass(current, BaseModel):
            fields = {(f.alias or n): f for n, f in current.model_fields.items()}
            if step not in fields:
                return []
            current = fields[step].annotation
        else:
            return []
    current = _unwrap(current)
    if isinstance(current, type) and issubclass(current, BaseModel):
        return [(f.alias or n) for n, f in current.model_fields.items()]
    return []


def _unwrap(tp: Any) -> Any:
    """Strip ``Annotated`` and ``X | None`` down to the one meaningful type."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            if len(args) != 1:
                return tp
            tp = args[0]
        else:
            return tp


def _item_type(tp: Any) -> Any:
    return typing.get_args(tp)[0] if typing.get_origin(tp) is list else tp


def _dedupe(problems: list[Problem]) -> list[Problem]:
    return list(dict.fromkeys(problems))
