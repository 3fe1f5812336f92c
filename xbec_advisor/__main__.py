"""``python -m xbec_advisor`` runs the command-line interface."""

from ._cli import run

run()
