"""Brand files: how leaflets look for one organisation, kept apart from what they say.

Takes a brand YAML file (or nothing: the default brand that ships in the package); gives a frozen
``Brand`` with colours, font family, logo, contact lines, footer, disclaimer, paper, margins and
the numbers a leaflet tells patients to call, and the values content text can name in braces
(``brand_fields``). Asset paths are resolved relative to the brand file and may not leave its
folder.
"""

from __future__ import annotations

import re
import string
from importlib import resources
from pathlib import Path
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, field_validator

from handout_builder.errors import Problem, ValidationError
from handout_builder.look.fonts import (
    FACES,
    FALLBACK,
    FontSet,
    Script,
    builtin_files,
    load_fontset,
    shipped_script_files,
)
from handout_builder.source.images import LOGO, image_problem
from handout_builder.source.integrity import direction_controls, undrawable_characters
from handout_builder.source.reader import Source, read_source
from handout_builder.source.validation import validate

Colour = Annotated[str, StringConstraints(pattern=r"^#[0-9A-Fa-f]{6}$")]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Paper = Literal["letter", "a4"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Colours(_Strict):
    """Colours as #RRGGBB. Text colours must read well on white (WCAG AA, 4.5:1)."""

    primary: Colour = Field("#1F4E79", description="Headings, header band and rules.")
    text: Colour = Field("#1A1A1A", description="Body text.")
    muted: Colour = Field("#4D4D4D", description="Footer and captions.")
    tint: Colour = Field("#EAF1F8", description="Light background for callouts and table headers.")
    emergency: Colour = Field("#B00020", description="The 'call emergency services' tier.")
    today: Colour = Field("#8A4B00", description="The 'call your care team today' tier.")
    next_visit: Colour = Field("#1F5F3A", description="The 'next visit' tier.")


class Contact(_Strict):
    """Lines printed in the footer of every page, and once, at body size, in the contact block
    that ends each leaflet."""

    phone: Line | None = None
    address: Line | None = None
    website: Line | None = None
    email: Line | None = None


class Margins(_Strict):
    """Page margins in millimetres."""

    top: float = Field(18, ge=5, le=60)
    bottom: float = Field(20, ge=10, le=60)
    left: float = Field(18, ge=5, le=60)
    right: float = Field(18, ge=5, le=60)


class FontFiles(_Strict):
    """A custom font family: four TrueType files relative to the brand file."""

    regular: Line
    bold: Line
    italic: Line
    bold_italic: Line


class ScriptFontFiles(_Strict):
    """A family for one writing system: TrueType files relative to the brand file (a missing
    bold is drawn with the regular face, italics upright)."""

    regular: Line
    bold: Line | None = None


class Brand(_Strict):
    """One organisation's look: colours, fonts, logo, contact lines, footer and paper."""

    model_config = ConfigDict(title="Brand")

    organisation: Line
    logo: Line | None = Field(
        None,
        description="PNG, JPEG or SVG, relative to the brand file (at most 5 MB and 4 million "
        "pixels; an SVG must be self-contained and hold no text).",
    )
    logo_height: float = Field(
        14,
        ge=8,
        le=30,
        description="Height of the logo in the header, in millimetres (8 to 30). A wide logo "
        "keeps its proportions, up to half the width of the page.",
    )
    colours: Colours = Colours()
    font: Literal["Atkinson Hyperlegible", "DejaVu Sans"] = "Atkinson Hyperlegible"
    font_files: FontFiles | None = Field(None, description="Overrides 'font' with your own family.")
    script_fonts: dict[Script, ScriptFontFiles] = Field(
        default_factory=dict,
        description=(
            "Your own family for a writing system (arabic, hebrew, devanagari, bengali, hangul, "
            "cjk), tried before the built-in one."
        ),
    )
    body_size: float = Field(12, ge=12, le=24, description="Body text size in points (12 or more).")
    contact: Contact = Contact()
    footer: Line | None = Field(
        None, description="A short line printed in every footer and in the contact block."
    )
    disclaimer: Annotated[str, StringConstraints(strip_whitespace=True, max_length=1000)] | None = (
        None
    )
    paper: Paper = "letter"
    margins: Margins = Margins()
    emergency_number: Annotated[str, StringConstraints(pattern=r"^[0-9]{2,4}$")] = Field(
        "911",
        description="The local emergency number: the 'call now' tier heading, and "
        "{emergency_number} in content.",
    )
    crisis_line: Annotated[str, StringConstraints(pattern=r"^[0-9][0-9 -]{1,18}[0-9]$")] | None = (
        Field(
            None,
            description="The local suicide and crisis line, e.g. '988' (US) or '116 123' (UK): "
            "{crisis_line} in content.",
        )
    )
    placeholder: bool = Field(
        False,
        description="True in the built-in brand, whose contact details are examples: builds "
        "warn, and release builds refuse it. Leave it out of your own brand.",
    )

    online_url: (
        Annotated[str, StringConstraints(strip_whitespace=True, pattern=r"^https?://\S+$")] | None
    ) = Field(
        None,
        description="Where each handout can be read online, e.g. "
        "'https://clinic.example/handouts/{id}'. {id} and {language} are filled in; the last "
        "page then carries a QR code of the address.",
    )

    @field_validator("online_url")
    @classmethod
    def _only_known_fields(cls, value: str | None) -> str | None:
        if value is not None:
            try:
                fields = [f for f in string.Formatter().parse(value) if f[1] is not None]
            except ValueError:
                raise ValueError(
                    "a '{' or '}' without its partner; write {{ or }} for a brace"
                ) from None
            for _, name, spec, conversion in fields:
                if name not in ONLINE_FIELDS or spec or conversion:
                    shown = "{" + (name or "") + (f"!{conversion}" if conversion else "")
                    shown += (f":{spec}" if spec else "") + "}"
                    raise ValueError(
                        f"unknown field {shown}: only {{id}} and {{language}} are filled in"
                    )
        return value


FIELD_NAMES = ("emergency_number", "crisis_line", "clinic_phone", "organisation")
"""The brand values that content text may name in braces, e.g. ``{emergency_number}``."""
_PHONE_LABEL = re.compile(r"^[^0-9+(]*:\s*")


def brand_fields(brand: Brand) -> dict[str, str | None]:
    """What each name in ``FIELD_NAMES`` stands for (None where the brand gives no value).
    ``clinic_phone`` is the contact phone line without a leading label such as 'Phone:'."""
    phone = brand.contact.phone
    return {
        "emergency_number": brand.emergency_number,
        "crisis_line": brand.crisis_line,
        "clinic_phone": _PHONE_LABEL.sub("", phone) if phone else None,
        "organisation": brand.organisation,
    }


ONLINE_FIELDS = ("id", "language")


def online_address(brand: Brand, handout_id: str, language: str) -> str | None:
    """The address of a handout's online version, from the brand's ``online_url``, or None."""
    if brand.online_url is None:
        return None
    return brand.online_url.format(id=handout_id, language=language)


def contact_line(brand: Brand) -> str:
    """The organisation and its contact details on one line, as footers print them."""
    c = brand.contact
    parts = (brand.organisation, c.phone, c.address, c.website, c.email)
    return " · ".join(x for x in parts if x)


class LoadedBrand:
    """A validated brand with its assets resolved: the logo file and the font set."""

    def __init__(
        self,
        brand: Brand,
        logo: Path | None,
        fonts: FontSet,
        name: str,
        source: Source | None = None,
        *,
        path: Path | None = None,
        font_files: tuple[Path, ...] = (),
    ) -> None:
        self.brand = brand
        self.logo = logo
        self.fonts = fonts
        self.name = name
        self.source = source  # where each setting was written, for findings about the brand
        self.path = path  # the brand file and the font files, for change detection
        self.font_files = font_files

    def files(self) -> list[Path]:
        """Every file the brand is made from (for change detection): the brand file, the logo
        and the font files."""
        out = [self.path] if self.path else []
        out += [self.logo] if self.logo else []
        return out + list(self.font_files)


def default_brand_path() -> Path:
    return Path(str(resources.files("handout_builder") / "data" / "brand.yaml"))


def load_brand(path: Path | None = None) -> LoadedBrand:
    """Load a brand file (the shipped default when ``path`` is None); raise on any mistake."""
    path = path or default_brand_path()
    source = read_source(path)
    brand = validate(source, Brand)
    problems: list[Problem] = []
    logo = None
    if brand.logo:
        logo = _asset(source, ("logo",), brand.logo, problems, (".png", ".jpg", ".jpeg", ".svg"))
        reason = image_problem(logo, LOGO) if logo else None
        if reason:
            problems.append(source.problem(("logo",), reason))
    files = None
    if brand.font_files:
        files = {}
        for face in FACES:
            found = _asset(
                source, ("font_files", face), getattr(brand.font_files, face), problems, (".ttf",)
            )
            if found:
                files[face] = found
    script_fonts: dict[Script, dict[str, Path]] = {}
    for script, own in brand.script_fonts.items():
        faces = {"regular": own.regular, **({"bold": own.bold} if own.bold else {})}
        for face, value in faces.items():
            found = _asset(source, ("script_fonts", script, face), value, problems, (".ttf",))
            if found:
                script_fonts.setdefault(script, {})[face] = found
    if problems:
        raise ValidationError(problems)
    family = "Custom " + source.name if files else brand.font
    try:
        fonts = load_fontset(family, files if files and len(files) == 4 else None, script_fonts)
    except Exception as exc:  # a broken TTF file: ReportLab raises many kinds
        raise ValidationError(
            [source.problem(("font_files",), f"cannot use this font: {exc}")]
        ) from None
    missing = undrawable_characters(source, fonts) + direction_controls(source)
    if missing:
        raise ValidationError(missing)
    used = [
        *(files.values() if files and len(files) == 4 else builtin_files(brand.font).values()),
        *builtin_files(FALLBACK).values(),
        *shipped_script_files(),
        *(path for faces in script_fonts.values() for path in faces.values()),
    ]
    font_files = tuple(dict.fromkeys(p.resolve() for p in used))
    return LoadedBrand(
        brand, logo, fonts, source.name, source, path=path.resolve(), font_files=font_files
    )


def _asset(
    source: Source,
    path: tuple[str, ...],
    value: str,
    problems: list[Problem],
    suffixes: tuple[str, ...],
) -> Path | None:
    """Resolve an asset path beside the brand file; report it if missing or outside the folder."""
    base = source.base_dir.resolve()
    target = (base / value).resolve()
    if not target.is_relative_to(base):
        problems.append(source.problem(path, f"'{value}' is outside the brand file's folder"))
        return None
    if target.suffix.lower() not in suffixes:
        problems.append(source.problem(path, f"expected a {' or '.join(suffixes)} file"))
        return None
    if not target.is_file():
        problems.append(source.problem(path, f"file not found: {value}"))
        return None
    return target
