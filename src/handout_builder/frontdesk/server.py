"""The production server for the front-desk page: waitress, set up to keep patient data in memory.

Takes the WSGI application and where to listen; gives a waitress server (``run()`` to serve,
``close()`` to stop). Waitress writes request bodies larger than ``inbuf_overflow`` and responses
larger than ``outbuf_overflow`` to temporary files; a packet carries the patient's name, so
requests are capped far below the first and the second is raised far above any packet. Waitress
keeps no access log; the application logs method and path only (see ``app.py``).
"""

from __future__ import annotations

from typing import Any

from waitress import create_server

MAX_REQUEST_BYTES = 64 * 1024
"""The largest form accepted: 20 topics, a 100-character name and a 500-character note fit many
times over."""
IN_MEMORY_BYTES = 256 * 1024 * 1024
"""Responses up to this size stay in memory (a 20-topic packet is a few megabytes)."""
THREADS = 8


def make_server(app: Any, host: str = "127.0.0.1", port: int = 8000) -> Any:
    """A waitress server bound to ``host:port`` (port 0 picks a free one: see ``urls()``).
    Raises ``OSError`` if the address cannot be used."""
    return create_server(
        app,
        host=host,
        port=port,
        threads=THREADS,
        max_request_body_size=MAX_REQUEST_BYTES,
        inbuf_overflow=MAX_REQUEST_BYTES * 4,
        outbuf_overflow=IN_MEMORY_BYTES,
        ident="handout-builder",
        expose_tracebacks=False,
        clear_untrusted_proxy_headers=True,
    )


def urls(server: Any) -> list[str]:
    """Where the server listens, as URLs (a host name such as ``localhost`` may give several)."""
    listen = getattr(server, "effective_listen", None) or [
        (server.effective_host, server.effective_port)
    ]
    return [f"http://{f'[{host}]' if ':' in host else host}:{port}/" for host, port in listen]
