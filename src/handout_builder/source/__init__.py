"""Reading handout files: safe YAML with positions (``reader``), the typed model built from it with
every mistake placed in the file (``validation``), the checks that need more than one field, the
file system or the fonts (``integrity``), finding handout files and the brand (``files``), and the
commented starter (``starter``)."""
