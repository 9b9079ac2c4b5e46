"""handout-builder: YAML handout definitions in, branded, print-ready PDF patient leaflets out.

The library is a handful of plain functions (see ``api``), each with the types it gives::

    from handout_builder import build, check, load_handout
    handout = load_handout("handouts/back-pain-basics.yaml")
    report = check(["handouts/"])          # what `handout check` runs
    results = build(["handouts/"], "dist")  # what `handout build` runs

Names are imported on first use, so importing one stage of the pipeline (``handout_builder.source``,
say) does not load the rest.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from handout_builder._version import __version__

if TYPE_CHECKING:
    from handout_builder.api import build, check, check_pdf, load_handout, make_packet, validate
    from handout_builder.errors import (
        HandoutError,
        LayoutError,
        PacketError,
        Problem,
        SourceError,
        UsageError,
        ValidationError,
    )
    from handout_builder.frontdesk.packet import Packet
    from handout_builder.lint.core import Finding
    from handout_builder.lint.engine import HandoutReport, LintReport
    from handout_builder.model import Handout
    from handout_builder.pipeline import BuildResult, CheckResult

_EXPORTS = {
    "load_handout": "api",
    "validate": "api",
    "check": "api",
    "build": "api",
    "make_packet": "api",
    "check_pdf": "api",
    "Handout": "model",
    "CheckResult": "pipeline",
    "BuildResult": "pipeline",
    "LintReport": "lint.engine",
    "HandoutReport": "lint.engine",
    "Finding": "lint.core",
    "Packet": "frontdesk.packet",
    "Problem": "errors",
    "HandoutError": "errors",
    "SourceError": "errors",
    "ValidationError": "errors",
    "LayoutError": "errors",
    "UsageError": "errors",
    "PacketError": "errors",
}

__all__ = [
    "BuildResult",
    "CheckResult",
    "Finding",
    "Handout",
    "HandoutError",
    "HandoutReport",
    "LayoutError",
    "LintReport",
    "Packet",
    "PacketError",
    "Problem",
    "SourceError",
    "UsageError",
    "ValidationError",
    "__version__",
    "build",
    "check",
    "check_pdf",
    "load_handout",
    "make_packet",
    "validate",
]


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'handout_builder' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"handout_builder.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
