"""The version of handout-builder, in one place: the package, the PDFs' creator line and the build
manifest read it from here."""

__version__ = "0.1.0"
