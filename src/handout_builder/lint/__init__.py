"""The checks that ``handout check`` runs: plain-language, safety, governance and design rules on
valid handouts (``engine`` and one module per family of rules), review dates (``review``), the
PEMAT summary (``pemat``) and the reports for people and programs (``report``).

Importing this package imports nothing else: the rules (and textstat) load only when checking."""
