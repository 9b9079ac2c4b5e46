"""``python -m handout_builder`` runs the ``handout`` command line."""

from handout_builder.cli import main

main()
