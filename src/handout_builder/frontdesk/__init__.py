"""The front-desk page: find topics, add the patient's name, print one packet.

``create_app(catalogue, hosts)`` gives the Flask application, answering only the host names
``allowed_hosts(host, extra)`` gives; ``make_server(app, host, port)`` gives a
waitress server for it, configured so that nothing a user types is written to disk or logs; and
``urls(server)`` says where it listens.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from handout_builder.frontdesk.server import make_server, urls
    from handout_builder.frontdesk.web import allowed_hosts, create_app

_EXPORTS = {
    "allowed_hosts": "web",
    "create_app": "web",
    "make_server": "server",
    "urls": "server",
}
__all__ = ["allowed_hosts", "create_app", "make_server", "urls"]


def __getattr__(name: str) -> Any:
    """Load Flask and the server only when they are asked for (a build needs neither)."""
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
