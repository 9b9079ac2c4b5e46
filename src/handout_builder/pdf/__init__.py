"""PDF writing: the page module that lays a story of flowables out on pages (``page``), tagging
while drawing (``tagging``, ``artifacts``), the structure tree and metadata (``structure``,
``xmp``), fonts' Unicode maps and subset names (``fonts``), joining tagged PDFs (``join``) and the
PDF/UA-1 checker (``pdfua``). Every private ReportLab name the project relies on is reached
through ``_reportlab``."""
