"""What the front desk accepts in one packet: the longest patient name, note and "from" line,
and the most topics.

Takes nothing; gives the limits, on their own so that the command line can name them in its help
without loading the front desk (Flask, the packet builder) for every build.
"""

from __future__ import annotations

MAX_NAME = 100
MAX_NOTE = 500
MAX_FROM = 100
MAX_TOPICS = 20
