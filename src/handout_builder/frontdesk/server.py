"""The production servers for the front-desk page, set up to keep patient data in memory.

Takes the WSGI application, where to listen and how many processes; gives a server (``run()`` to
serve, ``close()`` to stop, ``urls()`` for where it listens):

- one process: waitress, with threads. Waitress writes request bodies larger than
  ``inbuf_overflow`` and responses larger than ``outbuf_overflow`` to temporary files; a packet
  carries the patient's name, so requests are capped far below the first and the second is
  raised far above any packet.
- more than one (``ProcessServer``): gunicorn's pre-fork server, where it runs (not on Windows).
  The application, with every handout already laid out, is made once and each worker process
  gets its own copy; each handles one request at a time and takes the next connection only when
  it is free, so layouts (pure Python, one at a time in a process) run on every core. Gunicorn
  reads request bodies from the socket as the application asks for them and never spools them
  to disk; its access log, control socket and other files are off, and its worker heartbeat
  file holds nothing and lives in shared memory (``/dev/shm``) where there is one.

Neither keeps an access log; the application logs method and path only (see ``web.py``).
"""

from __future__ import annotations

import contextlib
import os
import socket
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


def multi_process_available() -> bool:
    """Whether this system can serve from several processes (gunicorn, which needs fork)."""
    if os.name == "nt":
        return False
    try:
        import gunicorn  # noqa: F401
    except ImportError:
        return False
    return True


def make_process_server(app: Any, host: str, port: int, workers: int) -> ProcessServer:
    """A gunicorn server of ``workers`` processes bound to ``host:port`` (port 0 picks a free
    one). Raises ``OSError`` if the address cannot be used."""
    return ProcessServer(app, host, port, workers)


class ProcessServer:
    """Gunicorn's pre-fork server for ``app`` on sockets bound here, before it starts, so a port
    in use is an ``OSError`` now and port 0 is known (see the module docstring)."""

    def __init__(self, app: Any, host: str, port: int, workers: int) -> None:
        self.app, self.workers = app, workers
        self.sockets: list[socket.socket] = []
        try:
            for family, kind, proto, _, address in socket.getaddrinfo(
                host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
            ):
                if self.sockets:  # the same port on every address of the name
                    address = (address[0], self.effective_port, *address[2:])
                bound = socket.socket(family, kind, proto)
                bound.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
                if family == socket.AF_INET6:
                    bound.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
                self.sockets.append(bound)
                bound.bind(address)
                bound.listen(128)
                bound.set_inheritable(True)
        except OSError:
            self.close()
            raise

    @property
    def effective_port(self) -> int:
        port: int = self.sockets[0].getsockname()[1]
        return port

    @property
    def effective_listen(self) -> list[tuple[str, int]]:
        return [(s.getsockname()[0], s.getsockname()[1]) for s in self.sockets]

    def options(self) -> dict[str, Any]:
        """Gunicorn's settings (see the module docstring)."""
        return {
            "bind": [f"fd://{s.fileno()}" for s in self.sockets],
            "workers": self.workers,
            "worker_class": "sync",
            "preload_app": True,
            "timeout": 120,
            "graceful_timeout": 10,
            "accesslog": None,
            "errorlog": "-",
            "loglevel": "warning",
            "control_socket_disable": True,
            "worker_tmp_dir": "/dev/shm" if os.path.isdir("/dev/shm") else None,
            "proc_name": "handout-serve",
        }

    def run(self) -> None:
        """Serve until stopped (Ctrl+C or SIGTERM stops every process)."""
        from gunicorn.app.base import BaseApplication

        app, settings = self.app, self.options()

        class Application(BaseApplication):  # gunicorn has no types: BaseApplication is Any
            def load_config(self) -> None:
                for key, value in settings.items():
                    self.cfg.set(key, value)

            def load(self) -> Any:
                return app

        try:
            Application().run()
        except SystemExit as stop:  # gunicorn's master exits when it stops
            if stop.code not in (0, None):
                raise

    def close(self) -> None:
        for bound in self.sockets:
            with contextlib.suppress(OSError):  # gunicorn closes them itself when it stops
                bound.close()
