"""Project settings for the checks: targets, extra jargon lists, and per-rule severities.

Takes the folder to start from (the working folder by default); gives a ``LintConfig``. Settings
live in ``handout.toml`` (top level) or in ``pyproject.toml`` under ``[tool.handout]``; the first
folder upward that has either wins (a ``pyproject.toml`` without ``[tool.handout]`` is passed
over). With no such file the defaults apply. A mistake in the settings is a ``ValidationError``
naming the file and the setting.
"""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Annotated, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from handout_builder.errors import Problem, ValidationError, display_path

CONFIG_FILE = "handout.toml"
PYPROJECT = "pyproject.toml"
RuleSetting = Literal["error", "warning", "off"]


class LintConfig(BaseModel):
    """Targets for the plain-language, safety, governance and design checks."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    reading_grade: Annotated[float, Field(ge=1, le=20)] = Field(
        8, description="Highest school grade the text may read at (AMA/NIH advise 6 to 8)."
    )
    reading_formula: Literal["flesch-kincaid", "smog", "coleman-liau", "average"] = Field(
        "flesch-kincaid",
        description="English formula that is held to the target; the others are "
        "shown beside it. Spanish text is always measured with the Crawford formula.",
    )
    max_sentence_words: Annotated[int, Field(ge=5, le=100)] = 20
    max_paragraph_words: Annotated[int, Field(ge=20, le=1000)] = 100
    review_warning_days: Annotated[int, Field(ge=0, le=365)] = 30
    min_text_size: Annotated[float, Field(ge=6, le=30)] = Field(
        12, description="Smallest font size, in points, for any text style."
    )
    min_contrast: Annotated[float, Field(ge=1, le=21)] = Field(
        4.5, description="Smallest contrast ratio of text colour to background (WCAG AA: 4.5)."
    )
    jargon_files: list[str] = Field(
        [],
        description="Extra jargon lists (YAML, same format as the built-in one), relative to "
        "the settings file.",
    )
    rules: dict[str, RuleSetting] = Field(
        {}, description="Rule id or name -> 'error', 'warning' or 'off'."
    )

    _origin: Path | None = PrivateAttr(None)

    @property
    def origin(self) -> Path | None:
        """The settings file these came from (None for the defaults)."""
        return self._origin

    def jargon_paths(self) -> list[Path]:
        """The extra jargon files, relative to the settings file (or the working folder)."""
        base = self._origin.parent if self._origin else Path.cwd()
        return [base / name for name in self.jargon_files]


def find_config(start: Path | None = None) -> Path | None:
    """The settings file that applies in ``start`` (default: the working folder), or None."""
    folder = (start or Path.cwd()).resolve()
    for here in (folder, *folder.parents):
        if (here / CONFIG_FILE).is_file():
            return here / CONFIG_FILE
        pyproject = here / PYPROJECT
        if pyproject.is_file() and "handout" in _read(pyproject).get("tool", {}):
            return pyproject
    return None


def load_config(path: Path | None = None, *, start: Path | None = None) -> LintConfig:
    """Settings from ``path``, or from the file found upward from ``start``, or the defaults."""
    path = path or find_config(start)
    if path is None:
        return LintConfig()
    data = _read(path)
    if path.name == PYPROJECT:
        data = data.get("tool", {}).get("handout", {})
    prefix = "tool.handout" if path.name == PYPROJECT else ""
    try:
        config = LintConfig.model_validate(data)
        config._origin = path
        return config
    except pydantic.ValidationError as exc:
        problems = []
        for err in exc.errors(include_url=False):
            where = ".".join(str(part) for part in (prefix, *err["loc"]) if part != "")
            problems.append(Problem(display_path(path), 0, 0, where, err["msg"]))
        raise ValidationError(problems) from None


def _read(path: Path) -> dict:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ValidationError(
            [Problem(display_path(path), 0, 0, "", f"cannot read settings: {exc}")]
        ) from None
