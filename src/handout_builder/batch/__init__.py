"""Building many handouts: planning against the manifest, running workers, committing PDFs
atomically (``runner``, ``worker``, ``manifest``, ``atomic``), showing progress (``progress``) and
reporting for CI (``report``)."""
