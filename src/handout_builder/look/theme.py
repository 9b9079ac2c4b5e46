"""Theme: a loaded brand turned into what the renderers draw with.

Takes a ``LoadedBrand``, a paper size, whether the leaflet is large print and, for a layout other
than the plain leaflet, the ``PageGeometry`` of its pages (size, margins, columns); gives a
``Theme`` with named paragraph styles, colours, the page size and text frame, and the layout
choices that differ in large print or in a narrow column (side-by-side badges, narrowest table
column). Renderers ask for a style by name; a name that does not exist is an error, never a silent
fallback. Renderers never ask whether a leaflet is large print: they ask the theme for the size,
spacing or layout choice itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from functools import cached_property, partial

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm

from handout_builder.look.brand import Brand, LoadedBrand, Margins, brand_fields
from handout_builder.look.fonts import FontSet
from handout_builder.look.locale import is_rtl_language, wraps_between_characters

PAPER = {"letter": LETTER, "a4": A4}
LARGE_PRINT_SIZE = 18.0
FINE_PRINT = ("fine_print", "fine_print_head", "fine_print_url")
"""Styles of small print (the sources on a sheet or a trifold), set at the footer's size."""


@dataclass(frozen=True)
class PageGeometry:
    """The pages of a layout: their size, margins (mm; None for the brand's), how many columns
    of text and the space between them (points), and the height kept for the footer (points;
    None for the leaflet's)."""

    size: tuple[float, float]
    margins: Margins | None = None
    columns: int = 1
    gutter: float = 0.0
    footer_height: float | None = None


@dataclass
class Theme:
    """Styles, colours and page geometry for one brand on one paper size."""

    loaded: LoadedBrand
    paper: str
    large_print: bool = False
    language: str = "en"
    styles: dict[str, ParagraphStyle] = field(default_factory=dict)
    geometry: PageGeometry | None = None  # the leaflet's pages (the paper, one column) if None
    _variants: dict[str, Theme] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.styles = _styles(self)

    def on_pages(self, geometry: PageGeometry) -> Theme:
        """The same theme on the pages of another layout."""
        return replace(self, geometry=geometry, styles={}, _variants={})

    def for_language(self, language: str) -> Theme:
        """This theme for text in ``language``: right-aligned and mirrored for a right-to-left
        language, lines broken between characters for Chinese and Japanese."""
        if language == self.language:
            return self
        if language not in self._variants:
            self._variants[language] = replace(self, language=language, styles={}, _variants={})
        return self._variants[language]

    @property
    def rtl(self) -> bool:
        """Whether the language is written right to left (Arabic, Hebrew, Persian, Urdu...)."""
        return is_rtl_language(self.language)

    @property
    def brand(self) -> Brand:
        return self.loaded.brand

    @property
    def fonts(self) -> FontSet:
        return self.loaded.fonts

    @cached_property
    def fields(self) -> dict[str, str]:
        """The brand values content names in braces (``{emergency_number}``), those it gives."""
        return {k: v for k, v in brand_fields(self.brand).items() if v is not None}

    @property
    def variant(self) -> str:
        """What the file name says about the layout: '' or 'large-print'."""
        return "large-print" if self.large_print else ""

    def file_name(self, handout_id: str) -> str:
        return f"{handout_id}-{self.variant}.pdf" if self.variant else f"{handout_id}.pdf"

    @property
    def body_size(self) -> float:
        size = self.brand.body_size
        return max(size, LARGE_PRINT_SIZE) if self.large_print else size

    @property
    def line_spacing(self) -> float:
        """Leading as a multiple of the font size."""
        return 1.5 if self.large_print else 1.4

    @property
    def side_badges(self) -> bool:
        """Whether a care tier's badge sits beside it (else in a full-width band above it): not
        in large print, nor in a column too narrow to spare the badge's width."""
        return not self.large_print and self.frame_width >= self.body_size * 30

    @property
    def min_column_width(self) -> float:
        """A table with a column narrower than this is laid out as stacked rows instead."""
        return self.body_size * (10 if self.large_print else 6)

    @property
    def footer_size(self) -> float:
        return 13.0 if self.large_print else 9.5

    @property
    def pagesize(self) -> tuple[float, float]:
        return self.geometry.size if self.geometry else PAPER[self.paper]

    @property
    def margins(self) -> Margins:
        """The page margins in millimetres."""
        return (self.geometry and self.geometry.margins) or self.brand.margins

    @property
    def columns(self) -> int:
        return self.geometry.columns if self.geometry else 1

    @property
    def gutter(self) -> float:
        """The space between two columns of text, in points."""
        return self.geometry.gutter if self.geometry else 0.0

    @property
    def text_width(self) -> float:
        """The width between the margins: every column and the gutters between them."""
        m = self.margins
        return self.pagesize[0] - (m.left + m.right) * mm

    @property
    def frame_width(self) -> float:
        """The width of one column of text."""
        return (self.text_width - self.gutter * (self.columns - 1)) / self.columns

    @property
    def frame_height(self) -> float:
        m = self.margins
        return self.pagesize[1] - (m.top + m.bottom) * mm - self.footer_height

    @property
    def footer_height(self) -> float:
        if self.geometry and self.geometry.footer_height is not None:
            return self.geometry.footer_height
        return 22 * mm if self.large_print else 14 * mm

    def colour(self, name: str) -> colors.Color:
        return colors.HexColor(getattr(self.brand.colours, name))

    def style(self, name: str) -> ParagraphStyle:
        try:
            return self.styles[name]
        except KeyError:
            raise KeyError(f"no paragraph style named {name!r}") from None


def _styles(theme: Theme) -> dict[str, ParagraphStyle]:
    fam = theme.fonts.primary
    size = theme.body_size
    wide = theme.line_spacing / 1.4  # every leading grows with the body's line spacing
    text = theme.colour("text")
    primary = theme.colour("primary")
    base = ParagraphStyle(
        "body",
        fontName=fam.regular,
        fontSize=size,
        leading=size * 1.4 * wide,
        textColor=text,
        alignment=TA_LEFT,
        spaceAfter=size * 0.6,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
        bulletFontName=fam.regular,
        bulletFontSize=size,
    )
    if theme.rtl:
        base.alignment = TA_RIGHT
    if wraps_between_characters(theme.language):
        base.wordWrap = "CJK"  # with ReportLab's rules for what may not start or end a line

    derive = partial(ParagraphStyle, parent=base)  # a style that changes some of the body's

    return {
        "body": base,
        "title": derive(
            "title",
            fontName=fam.bold,
            fontSize=size * 2.1,
            leading=size * 2.5 * wide,
            textColor=primary,
            spaceAfter=size * 0.3,
        ),
        "subtitle": derive(
            "subtitle",
            fontSize=size * 1.25,
            leading=size * 1.6 * wide,
            textColor=theme.colour("muted"),
            spaceAfter=size * 0.9,
        ),
        "h1": derive(
            "h1",
            fontName=fam.bold,
            fontSize=size * 1.5,
            leading=size * 1.85 * wide,
            textColor=primary,
            spaceBefore=size * 1.1,
            spaceAfter=size * 0.45,
            keepWithNext=1,
        ),
        "h2": derive(
            "h2",
            fontName=fam.bold,
            fontSize=size * 1.2,
            leading=size * 1.5 * wide,
            textColor=primary,
            spaceBefore=size * 0.8,
            spaceAfter=size * 0.3,
            keepWithNext=1,
        ),
        "h3": derive(
            "h3",
            fontName=fam.bold,
            fontSize=size,
            leading=size * 1.35 * wide,
            spaceBefore=size * 0.5,
            spaceAfter=size * 0.2,
            keepWithNext=1,
        ),
        "list": derive("list", spaceAfter=size * 0.25),
        "list_label": derive("list_label", spaceAfter=0),
        "cell": derive("cell", spaceAfter=0, leading=size * 1.3 * wide),
        "cell_head": derive(
            "cell_head", fontName=fam.bold, spaceAfter=0, leading=size * 1.3 * wide
        ),
        "group": derive("group", fontName=fam.bold, spaceAfter=0, leading=size * 1.3 * wide),
        "callout_title": derive(
            "callout_title", fontName=fam.bold, spaceAfter=size * 0.2, keepWithNext=1
        ),
        "tier_heading": derive(
            "tier_heading",
            fontName=fam.bold,
            fontSize=size * 1.1,
            leading=size * 1.4 * wide,
            spaceAfter=size * 0.25,
        ),
        "tier_badge": derive(
            "tier_badge",
            fontName=fam.bold,
            textColor=colors.white,
            fontSize=size,
            leading=size * 1.25 * wide,
            spaceAfter=0,
        ),
        "caption": derive(
            "caption",
            fontName=fam.faces["italic"],
            textColor=theme.colour("muted"),
            spaceAfter=size * 0.8,
        ),
        "disclaimer": derive("disclaimer", textColor=theme.colour("muted"), spaceBefore=size),
        "contact": derive("contact", spaceAfter=size * 0.2),
        "reference": derive("reference", spaceAfter=size * 0.35),
        "reference_head": derive("reference_head", spaceAfter=0, keepWithNext=1),
        "reference_url": derive("reference_url", leftIndent=size * 1.2, spaceAfter=size * 0.35),
        **_fine_print(theme, base),
        "key_facts_title": derive(
            "key_facts_title",
            fontName=fam.bold,
            fontSize=size * 1.25,
            leading=size * 1.55 * wide,
            textColor=primary,
            spaceBefore=0,
            spaceAfter=size * 0.35,
        ),
        "step_number": derive(
            "step_number",
            fontName=fam.bold,
            textColor=colors.white,
            alignment=TA_CENTER,
            spaceAfter=0,
        ),
        "tick_box": derive(
            "tick_box",
            fontSize=size * 1.35,
            leading=size * 1.2 * wide,  # a little shorter than a line: the box sits level with it
            textColor=text,
            spaceAfter=0,
        ),
        "online_url": derive("online_url", fontSize=size, spaceAfter=0, textColor=primary),
    }


def _fine_print(theme: Theme, base: ParagraphStyle) -> dict[str, ParagraphStyle]:
    """Sources in small print, at the footer's size (the sheet and the trifold use these)."""
    size = theme.footer_size
    fine = ParagraphStyle(
        "fine_print",
        parent=base,
        fontSize=size,
        leading=size * 1.3,
        textColor=theme.colour("muted"),
        spaceAfter=size * 0.3,
    )
    return {
        "fine_print": fine,
        "fine_print_head": ParagraphStyle("fine_print_head", parent=fine, spaceAfter=0),
        "fine_print_url": ParagraphStyle(
            "fine_print_url", parent=fine, leftIndent=size * 1.2, textColor=theme.colour("primary")
        ),
    }
