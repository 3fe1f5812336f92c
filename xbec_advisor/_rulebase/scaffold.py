"""``xbec-advisor rules new CATEGORY``: a new rule file with the next free id
and every key to fill in.

Ids are ``PREFIX-BNN``: the category's prefix, then a block digit B for where the rule comes from
(1-5: the papers in the order of ``papers.yaml``; 6: rules that gate the papers' frameworks;
7: rules drawing on several papers), then a two-digit number. Past 99 rules in a block, ids
take four digits (``PAY-1000`` and up), which the format allows.
"""

from __future__ import annotations

from pathlib import Path

from .._errors import XbecError, did_you_mean
from .._io.atomic import write_atomic
from .._io.safe_yaml import load_rule_file
from .models import CATEGORIES
from .parse import ID_PATTERN

__all__ = ["CROSS_PAPER_BLOCK", "new_rule", "next_id"]

#: The block of rules that draw on several papers (and the default for a new rule).
CROSS_PAPER_BLOCK = 7
_TEMPLATE = """\
id: {id}
title: "TODO: what to do, in the imperative, at most 90 characters"
advice: >-
  TODO: what to do, concretely, in one to three sentences.
rationale: >-
  TODO: why, in the paper's terms, in one to three sentences.
# The situation in which the advice applies (core answers); see docs/rule-format.md and
# rules/conditions.yaml for the named conditions ({{is: NAME}}).
when: {{is: exporter}}
# unless: what silences the rule when the firm says it already does it
citations:
  - paper: {paper}
    section: "TODO"
    quote: "TODO: copy a quote verbatim from one line of the paper"
# platforms: {{shopee: {{points: 1, why: "why this size"}}}}
# assumptions: ["what we assumed where the papers are silent"]
concepts: []
fires:
  TODO_name: {{trade_direction: export}}
silent:
  TODO_name: {{trade_direction: import}}
# The Simplified Chinese texts (docs/rule-format.md, "Translations"): one double-quoted line
# each, with assumptions, platforms (the whys) and excludes when the rule has them. Leave `of:`
# to `xbec-advisor rules translations --stamp`.
zh:
  title: "TODO"
  advice: "TODO"
  rationale: "TODO"
"""


def _papers(directories: list[Path]) -> list[str]:
    for directory in directories:
        path = directory / "papers.yaml"
        if path.is_file():
            data, _ = load_rule_file(path)
            entries = data.get("papers") if isinstance(data, dict) else None
            if isinstance(entries, dict):
                return [str(k) for k in entries]
    return []


def _retired(path: Path) -> list[str]:
    """The retired ids a rule file replaces (none if it cannot be read)."""
    from .._io.safe_yaml import load_rule_file

    try:
        data, _ = load_rule_file(path)
    except Exception:
        return []
    replaces = data.get("replaces", []) if isinstance(data, dict) else []
    return [str(r) for r in replaces] if isinstance(replaces, list) else []


def next_id(directories: list[Path], category: str, block: int) -> str:
    """The first free id of ``block`` in ``category``, over every rule folder given: neither a
    rule's id nor a retired id that a rule replaces (a retired id resolves to its successor)."""
    prefix = CATEGORIES[category]
    used: set[int] = set()
    for directory in directories:
        for path in sorted(directory.glob("*/*.yaml")):
            for rule_id in [path.stem, *_retired(path)]:
                match = ID_PATTERN.match(rule_id)
                if match and match.group(1) == prefix:
                    used.add(int(match.group(2)))
    for number in range(block * 100 + 1, block * 100 + 100):
        if number not in used:
            return f"{prefix}-{number:03d}"
    return f"{prefix}-{max([999, *used]) + 1}"


def new_rule(
    directory: Path, category: str, paper: str | None = None, merged_with: list[Path] | None = None
) -> Path:
    """Write ``<directory>/<category>/<next id>.yaml`` from the template; the path written.

    ``merged_with``: the rule folders ``directory`` is loaded with (their ids are taken too, and
    their papers known).
    """
    if category not in CATEGORIES:
        raise XbecError(
            f"'{category}' is not a category{did_you_mean(category, CATEGORIES)}; "
            f"allowed: {', '.join(CATEGORIES)}"
        )
    if directory.name == "_rules":
        raise XbecError(
            "the bundled rules of an installed package are read-only; "
            "pass --dir with your rule folder"
        )
    folders = [directory, *(merged_with or [])]
    papers = _papers(folders)
    if paper is not None and paper not in papers:
        raise XbecError(
            f"unknown paper '{paper}'{did_you_mean(paper, papers)}; "
            f"allowed: {', '.join(papers) or 'none found'}"
        )
    block = papers.index(paper) + 1 if paper is not None else CROSS_PAPER_BLOCK
    rid = next_id(folders, category, block)
    path = directory / category / f"{rid}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomic(path, _TEMPLATE.format(id=rid, paper=paper or (papers[0] if papers else "TODO")))
    return path
