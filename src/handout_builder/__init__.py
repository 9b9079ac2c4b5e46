"""handout-builder: YAML handout definitions in, branded, print-ready PDF patient leaflets out.

The library API is a handful of plain functions; the ``handout`` command line is a thin layer over
them.
"""

__version__ = "0.1.0"

from handout_builder.api import BuildResult, build, check, load_handout
from handout_builder.pdf.pdfua import check_pdf

__all__ = ["BuildResult", "__version__", "build", "check", "check_pdf", "load_handout"]
