"""``xbec-advisor schema``: the profile's JSON Schema."""

from __future__ import annotations

import json

import click

from .._profile.model import Profile


@click.command("schema")
def schema_cmd() -> None:
    """Print the JSON Schema of a firm profile (every field, its values and its question)."""
    click.echo(json.dumps(Profile.model_json_schema(), indent=2))
