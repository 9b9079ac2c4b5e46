"""What every renderer of sections and blocks shares while one handout is laid out.

Takes the ``Handout``, its ``Theme``, the folder its assets are in and the ``Approval`` that holds
for it (None: a draft); gives a ``RenderContext``
with the labels in the handout's language, section headings that add themselves to the outline,
the role of a heading inside the current section, asset paths, and what the layout asks of the
renderers (sources in small print; a part laid out across every column of the page).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

from reportlab.platypus import Flowable

from handout_builder.inline import literal, plain_text
from handout_builder.layout.flowables import Heading, LeanHeading
from handout_builder.layout.text import styled_para
from handout_builder.look.labels import labels_for
from handout_builder.look.theme import Theme
from handout_builder.model import Approval, Handout
from handout_builder.pdf.tagging import StructNode
from handout_builder.source.reader import PathKey


@dataclass
class RenderContext:
    """What every renderer needs: the handout, the theme, labels, and where assets live."""

    handout: Handout
    theme: Theme
    asset_dir: Path
    approval: Approval | None = None  # the approval that holds for it; None: a draft
    labels: dict[str, str] = field(default_factory=dict)
    _headings: int = 0
    depth: int = 1  # level of the last heading: 1 is the title
    small_print: bool = False  # sources in small print (a sheet, a trifold)
    where: PathKey = ()  # the field of the block being laid out (see ``layout.fields``)

    def __post_init__(self) -> None:
        self.labels = self.labels or labels_for(self.handout.language)

    def heading(
        self, words: str, *, level: int = 0, content: bool = False, style_name: str | None = None
    ) -> Flowable:
        """A section heading with an outline entry; ``content`` text keeps its inline markup. Its
        style is the one for its level unless ``style_name`` names another."""
        self._headings += 1
        text = words if content else literal(words)
        self.depth = 2 + level
        return styled_para(
            self.theme,
            text,
            self.theme.style(style_name or f"h{level + 1}"),
            StructNode(f"H{self.depth}"),
            LeanHeading,
            Heading,
            outline=(f"s{self._headings}", plain_text(text, self.theme.fields), level),
        )

    def subheading_role(self) -> str:
        """The role of a heading inside the current section: one level below its heading."""
        return f"H{min(self.depth + 1, 6)}"

    @contextmanager
    def across_columns(self) -> Iterator[None]:
        """Renderers inside measure against the whole width between the margins, not one column
        (the title and key facts at the top of a sheet)."""
        theme = self.theme
        if theme.geometry is not None and theme.columns > 1:
            self.theme = theme.on_pages(replace(theme.geometry, columns=1, gutter=0.0))
        try:
            yield
        finally:
            self.theme = theme

    def asset(self, src: str) -> Path:
        """An asset path beside the handout (checked earlier not to leave its folder)."""
        return (self.asset_dir / src).resolve()
