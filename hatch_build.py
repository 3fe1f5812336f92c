"""Build hook: compile the interface's gettext catalogues (``.po``) into ``.mo`` files.

Runs for wheels and editable installs (hatchling custom hook); the ``.mo`` files are build
artefacts, not kept in git (docs/translating.md).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CatalogueBuildHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        locale = Path(self.root) / "xbec_advisor" / "locale"
        for source in sorted(locale.glob("*/LC_MESSAGES/*.po")):
            lang = source.parent.parent.name
            with source.open("rb") as handle:
                catalogue = read_po(handle, locale=lang, domain=source.stem)
            out = io.BytesIO()
            write_mo(out, catalogue, use_fuzzy=False)
            target = source.with_suffix(".mo")
            if not target.exists() or target.read_bytes() != out.getvalue():
                target.write_bytes(out.getvalue())
            build_data.setdefault("artifacts", []).append(str(target.relative_to(self.root)))
