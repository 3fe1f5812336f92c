"""Where the bundled rule base is."""

from __future__ import annotations

from pathlib import Path

__all__ = ["default_rules_dir"]


def default_rules_dir() -> Path:
    """The bundled knowledge base (``rules/`` in a checkout, or packaged data when installed)."""
    package = Path(__file__).resolve().parents[1]
    packaged = package / "_rules"
    if packaged.is_dir():
        return packaged
    return package.parent / "rules"
