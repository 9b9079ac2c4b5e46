"""Layout: a ``Handout`` and a ``Theme`` in, the list of flowables that makes up its pages out.

Sections come in a fixed order (``ORDER``); free sections follow the fixed section they name. One
renderer per kind of section, chosen from ``SECTION_RENDERERS``.
"""

from handout_builder.layout.context import RenderContext
from handout_builder.layout.sections import ORDER, SECTION_RENDERERS, story

__all__ = ["ORDER", "SECTION_RENDERERS", "RenderContext", "story"]
