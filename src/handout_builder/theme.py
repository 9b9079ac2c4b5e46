"""Theme: a loaded brand turned into what the renderers draw with.

Takes a ``LoadedBrand`` and a paper size; gives a ``Theme`` with named paragraph styles, colours,
the page size and frame, and ``text()`` to turn content text into a safe Paragraph. Renderers ask
for a style by name; a name that does not exist is an error, never a silent fallback.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reportlab.lib import colors
from reportlab.lib.enums import TA_LEFT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph

from handout_builder.brand import LoadedBrand
from handout_builder.markup import to_markup

PAPER = {"letter": LETTER, "a4": A4}


@dataclass
class Theme:
    """Styles, colours and page geometry for one brand on one paper size."""

    loaded: LoadedBrand
    paper: str
    styles: dict[str, ParagraphStyle] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.styles = _styles(self)

    @property
    def brand(self):
        return self.loaded.brand

    @property
    def fonts(self):
        return self.loaded.fonts

    @property
    def pagesize(self) -> tuple[float, float]:
        return PAPER[self.paper]

    @property
    def frame_width(self) -> float:
        m = self.brand.margins
        return self.pagesize[0] - (m.left + m.right) * mm

    @property
    def frame_height(self) -> float:
        m = self.brand.margins
        return self.pagesize[1] - (m.top + m.bottom) * mm - self.footer_height

    @property
    def footer_height(self) -> float:
        return 14 * mm

    def colour(self, name: str) -> colors.Color:
        return colors.HexColor(getattr(self.brand.colours, name))

    def style(self, name: str) -> ParagraphStyle:
        try:
            return self.styles[name]
        except KeyError:
            raise KeyError(f"no paragraph style named {name!r}") from None

    def text(self, content: str, style: str = "body", **kwargs: object) -> Paragraph:
        """A Paragraph of content text: escaped, with only **bold** and *italic* honoured."""
        return Paragraph(to_markup(content, self.fonts), self.style(style), **kwargs)

    def label(self, words: str, style: str) -> Paragraph:
        """A Paragraph of the builder's own words (headings, labels): escaped the same way."""
        return self.text(words.replace("*", "\\*"), style)


def _styles(theme: Theme) -> dict[str, ParagraphStyle]:
    fam = theme.fonts.primary
    size = theme.brand.body_size
    text = theme.colour("text")
    primary = theme.colour("primary")
    base = ParagraphStyle(
        "body",
        fontName=fam.regular,
        fontSize=size,
        leading=size * 1.4,
        textColor=text,
        alignment=TA_LEFT,
        spaceAfter=size * 0.6,
        splitLongWords=1,
        allowWidows=0,
        allowOrphans=0,
        bulletFontName=fam.regular,
        bulletFontSize=size,
    )

    def derive(name: str, **kw: object) -> ParagraphStyle:
        return ParagraphStyle(name, parent=base, **kw)

    return {
        "body": base,
        "title": derive(
            "title",
            fontName=fam.bold,
            fontSize=size * 2.1,
            leading=size * 2.5,
            textColor=primary,
            spaceAfter=size * 0.3,
        ),
        "subtitle": derive(
            "subtitle",
            fontSize=size * 1.25,
            leading=size * 1.6,
            textColor=theme.colour("muted"),
            spaceAfter=size * 0.9,
        ),
        "h1": derive(
            "h1",
            fontName=fam.bold,
            fontSize=size * 1.5,
            leading=size * 1.85,
            textColor=primary,
            spaceBefore=size * 1.1,
            spaceAfter=size * 0.45,
            keepWithNext=1,
        ),
        "h2": derive(
            "h2",
            fontName=fam.bold,
            fontSize=size * 1.2,
            leading=size * 1.5,
            textColor=primary,
            spaceBefore=size * 0.8,
            spaceAfter=size * 0.3,
            keepWithNext=1,
        ),
        "h3": derive(
            "h3",
            fontName=fam.bold,
            fontSize=size,
            leading=size * 1.35,
            spaceBefore=size * 0.5,
            spaceAfter=size * 0.2,
            keepWithNext=1,
        ),
        "list": derive("list", spaceAfter=size * 0.25),
        "cell": derive("cell", spaceAfter=0, leading=size * 1.3),
        "cell_head": derive("cell_head", fontName=fam.bold, spaceAfter=0, leading=size * 1.3),
        "group": derive("group", fontName=fam.bold, spaceAfter=0, leading=size * 1.3),
        "callout_title": derive(
            "callout_title", fontName=fam.bold, spaceAfter=size * 0.2, keepWithNext=1
        ),
        "tier_heading": derive(
            "tier_heading",
            fontName=fam.bold,
            fontSize=size * 1.1,
            leading=size * 1.4,
            spaceAfter=size * 0.25,
        ),
        "tier_badge": derive(
            "tier_badge",
            fontName=fam.bold,
            textColor=colors.white,
            fontSize=size,
            leading=size * 1.25,
            spaceAfter=0,
        ),
        "caption": derive(
            "caption",
            fontName=fam.faces["italic"],
            textColor=theme.colour("muted"),
            spaceAfter=size * 0.8,
        ),
        "disclaimer": derive("disclaimer", textColor=theme.colour("muted"), spaceBefore=size),
        "reference": derive("reference", spaceAfter=size * 0.35),
    }
