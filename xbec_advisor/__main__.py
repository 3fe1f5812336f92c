"""``python -m xbec_advisor`` runs the command-line interface."""

from .cli import run

run()
