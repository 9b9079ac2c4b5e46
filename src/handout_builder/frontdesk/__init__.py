"""The front-desk page: find topics, add the patient's name, print one packet.

``create_app(catalogue, hosts)`` gives the Flask application, answering only the host names
``allowed_hosts(host, extra)`` gives; ``make_server(app, host, port)`` gives a
waitress server for it, configured so that nothing a user types is written to disk or logs; and
``urls(server)`` says where it listens.
"""

from handout_builder.frontdesk.server import make_server, urls
from handout_builder.frontdesk.web import allowed_hosts, create_app

__all__ = ["allowed_hosts", "create_app", "make_server", "urls"]
