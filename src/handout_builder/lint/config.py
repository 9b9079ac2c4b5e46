"""Project settings for the checks: targets, extra jargon lists, and per-rule severities.

Takes the ``Settings`` of a project (``source.settings``: ``handout.toml`` or ``[tool.handout]``,
found upward from each handout); gives a ``LintConfig``. Without a settings file the defaults
apply. The settings that give a command-line option its default (``out``, ``brand``...) are
the command line's business and are passed over here; any other name is a mistake. A mistake in
the settings is a ``ValidationError`` naming the file, the line and the setting.
"""

from __future__ import annotations

import difflib
from pathlib import Path
from typing import Annotated, Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, PrivateAttr

from handout_builder.errors import Problem, ValidationError, display_path
from handout_builder.source.settings import (
    COMMAND_OPTIONS,
    Settings,
    find_settings,
    read_settings,
)

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
    max_sentence_words: Annotated[int, Field(ge=5, le=100)] = Field(
        20, description="Most words a sentence may have (long-sentence)."
    )
    max_paragraph_words: Annotated[int, Field(ge=20, le=1000)] = Field(
        100, description="Most words a paragraph, list item, cell or callout may have."
    )
    review_warning_days: Annotated[int, Field(ge=0, le=365)] = Field(
        30, description="How many days before review_due the review-due-soon warning starts."
    )
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
    _settings: Settings | None = PrivateAttr(None)

    @property
    def origin(self) -> Path | None:
        """The settings file these came from (None for the defaults)."""
        return self._origin

    def problem(self, key: tuple[str, ...], message: str) -> Problem:
        """A mistake in the setting at ``key``, placed in the settings file when there is one."""
        if self._settings is not None:
            return self._settings.problem(key, message)
        where = display_path(self._origin) if self._origin else "settings"
        return Problem(where, 0, 0, ".".join(key), message)

    def jargon_paths(self) -> list[Path]:
        """The extra jargon files, relative to the settings file (or the working folder)."""
        base = self._origin.parent if self._origin else Path.cwd()
        return [base / name for name in self.jargon_files]


def find_config(start: Path | None = None) -> Path | None:
    """The settings file that applies in ``start`` (default: the working folder), or None."""
    return find_settings(start)


def load_config(path: Path | None = None, *, start: Path | None = None) -> LintConfig:
    """Settings from ``path``, or from the file found upward from ``start``, or the defaults."""
    path = path or find_settings(start)
    return config_from(read_settings(path) if path else None)


def config_from(settings: Settings | None) -> LintConfig:
    """The checks' settings in ``settings`` (the defaults for None); raises ``ValidationError``
    for a bad value or a name that is no setting at all."""
    if settings is None:
        return LintConfig()
    data = {k: v for k, v in settings.values.items() if k not in COMMAND_OPTIONS}
    try:
        config = LintConfig.model_validate(data)
    except pydantic.ValidationError as exc:
        raise ValidationError(
            [settings.problem(err["loc"], _message(err)) for err in exc.errors(include_url=False)]
        ) from None
    config._origin = settings.path
    config._settings = settings
    return config


SETTING_NAMES = sorted([*LintConfig.model_fields, *COMMAND_OPTIONS])


def _message(err: Any) -> str:
    if err["type"] != "extra_forbidden":
        return str(err["msg"])
    name = str(err["loc"][-1])
    close = difflib.get_close_matches(name, SETTING_NAMES, n=1)
    hint = f"; did you mean '{close[0]}'?" if close else ""
    return f"no such setting{hint} (the settings are listed by 'handout docs cli')"
