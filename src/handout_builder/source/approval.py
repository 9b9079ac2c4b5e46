"""Approval: the fingerprint of what a patient reads, whether an approval still holds, and the
in-place edit that records one.

Takes a valid ``Handout`` (and its ``Source``, to place a message); gives:

- ``fingerprint(handout)``: SHA-256 of the content in canonical form: the validated data without
  ``status`` and ``approval``, defaults left out, keys sorted, text with its white space folded
  and in Unicode NFC. Comments, key order, quoting and line wrapping do not change it; any change
  to what a patient reads (or to the version, dates and other fields) does.
- ``standing(handout, source)``: the ``Standing`` a handout has: ``approved`` only while its
  approval's fingerprint matches its content; ``draft`` otherwise (schema 1 files, drafts, and
  approved handouts changed since), with the positioned ``changed since it was approved``
  problem for the last; ``retired``.
- ``approved_text(text, ...)``: the YAML text with ``status: approved`` and the ``approval``
  block written in, every other character left as it was.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

from handout_builder.errors import Problem
from handout_builder.model import Approval, Handout
from handout_builder.source.reader import Source

NOT_CONTENT = frozenset({"status", "approval"})


def fingerprint(handout: Handout) -> str:
    """``sha256:`` and the hex SHA-256 of the handout's content in canonical form."""
    data = handout.model_dump(
        mode="json", by_alias=True, exclude=set(NOT_CONTENT), exclude_defaults=True
    )
    canonical = json.dumps(
        _normalised(data), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return "sha256:" + hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _normalised(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", " ".join(value.split()))
    if isinstance(value, dict):
        return {k: _normalised(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_normalised(v) for v in value]
    return value


@dataclass(frozen=True)
class Standing:
    """Where a handout stands: ``draft``, ``approved`` or ``retired``; the approval that holds
    (for an approved one); and, for one changed since it was approved, the problem that says so."""

    status: str
    approval: Approval | None = None
    changed: Problem | None = None

    @property
    def draft(self) -> bool:
        return self.status == "draft"

    @property
    def retired(self) -> bool:
        return self.status == "retired"


def standing(handout: Handout, source: Source) -> Standing:
    """The ``Standing`` of a valid handout (see the module docstring)."""
    if handout.status == "retired":
        return Standing("retired")
    approval = handout.approval
    if handout.status != "approved" or approval is None:
        return Standing("draft")
    if approval.fingerprint == fingerprint(handout):
        return Standing("approved", approval)
    return Standing("draft", changed=changed_problem(approval, source))


def changed_problem(approval: Approval, source: Source) -> Problem:
    return source.problem(
        ("status",),
        f"changed since it was approved on {approval.date.isoformat()} by {approval.by} "
        "— approve it again",
    )


class ApprovalEditError(ValueError):
    """The file is laid out in a way the in-place edit cannot safely change (say so, and how)."""


def approved_text(text: str, approval: Approval) -> str:
    """``text`` (a schema 2 handout's YAML) with ``status: approved`` and ``approval`` set to
    ``approval``: the status value replaced where it stands, the approval block written on the
    lines after the status line (or over the old block). Comments, quoting, order and every
    other line stay exactly as they were."""
    newline = "\r\n" if "\r\n" in text else "\n"
    root = yaml.compose(text, Loader=yaml.SafeLoader)
    if not isinstance(root, MappingNode) or root.flow_style:
        raise ApprovalEditError("the top level is not a block mapping (key: value per line)")
    status_key, status_value = _entry(root, "status")
    if status_key is None or not isinstance(status_value, ScalarNode):
        raise ApprovalEditError("no 'status:' line to change; add 'status: draft' first")
    if status_value.start_mark.line != status_key.start_mark.line:
        raise ApprovalEditError("write 'status:' and its value on one line")
    indent = " " * status_key.start_mark.column
    block = _approval_block(approval, indent, newline)
    edits: list[tuple[int, int, str]] = [
        (status_value.start_mark.index, status_value.end_mark.index, "approved")
    ]
    old_key, old_value = _entry(root, "approval")
    if old_key is not None and old_value is not None:
        end = _end_of_content(old_value)
        edits.append((old_key.start_mark.index, end, block.strip(" ").rstrip("\r\n")))
    else:
        line_end = _line_end(text, status_value.end_mark.index)
        edits.append((line_end, line_end, newline + block.rstrip("\r\n")))
    for start, end, replacement in sorted(edits, reverse=True):
        text = text[:start] + replacement + text[end:]
    return text


def _entry(mapping: MappingNode, name: str) -> tuple[Node | None, Node | None]:
    for key, value in mapping.value:
        if isinstance(key, ScalarNode) and key.value == name:
            return key, value
    return None, None


def _end_of_content(node: Node) -> int:
    """Where the last value inside ``node`` ends (a block mapping's own end mark lies past the
    comments and blank lines that follow it)."""
    if isinstance(node, MappingNode) and node.value:
        return _end_of_content(node.value[-1][1])
    return int(node.end_mark.index)


def _line_end(text: str, index: int) -> int:
    found = re.compile(r"\r?\n").search(text, index)
    return found.start() if found else len(text)


def _approval_block(approval: Approval, indent: str, newline: str) -> str:
    lines = [
        "approval:",
        f"  by: {json.dumps(approval.by, ensure_ascii=False)}",
        f"  date: {approval.date.isoformat()}",
        f"  version: {json.dumps(approval.version)}",
        f"  fingerprint: {approval.fingerprint}",
    ]
    return "".join(f"{indent}{line}{newline}" for line in lines)


def approval_for(handout: Handout, by: str, today: dt.date) -> Approval:
    """The approval that ``handout approve`` records: by whom, today, this version, this
    content."""
    return Approval(by=by, date=today, version=handout.version, fingerprint=fingerprint(handout))
