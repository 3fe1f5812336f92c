"""xbec-advisor: cross-border e-commerce strategy advice, cited from five research papers.

>>> from xbec_advisor import advise
>>> advice = advise({"business_model": "B2B", "trade_direction": "export"})
>>> advice.platforms[0].platform  # doctest: +SKIP

In Simplified Chinese (quotes from the papers stay in English)::

>>> from xbec_advisor import render
>>> advice = advise({"business_model": "B2B", "trade_direction": "export"}, lang="zh")
>>> text = render(advice, "markdown", lang="zh")
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._advice.advisor import Advisor, advise
    from ._advice.models import Advice, Citation, DerivedFact, PlatformScore, Recommendation
    from ._analysis.explain import Explanation
    from ._errors import EngineError, InputError, ProfileError, RuleBaseError, XbecError
    from ._profile.load import load_profile_file
    from ._profile.model import Profile
    from ._render import render
    from ._rulebase.load import Rule, RuleBase, load_rulebase

#: Where each public name lives; a module is imported when one of its names is first used, so
#: that ``import xbec_advisor`` (and the command line's start-up) stays cheap.
_EXPORTS = {
    "Advice": "_advice.models",
    "Citation": "_advice.models",
    "DerivedFact": "_advice.models",
    "PlatformScore": "_advice.models",
    "Recommendation": "_advice.models",
    "Advisor": "_advice.advisor",
    "advise": "_advice.advisor",
    "EngineError": "_errors",
    "InputError": "_errors",
    "ProfileError": "_errors",
    "RuleBaseError": "_errors",
    "XbecError": "_errors",
    "Explanation": "_analysis.explain",
    "Profile": "_profile.model",
    "load_profile_file": "_profile.load",
    "Rule": "_rulebase.load",
    "RuleBase": "_rulebase.load",
    "load_rulebase": "_rulebase.load",
    "render": "_render",
}

__all__ = [
    "Advice",
    "Advisor",
    "Citation",
    "DerivedFact",
    "EngineError",
    "Explanation",
    "InputError",
    "PlatformScore",
    "Profile",
    "ProfileError",
    "Recommendation",
    "Rule",
    "RuleBase",
    "RuleBaseError",
    "XbecError",
    "__version__",
    "advise",
    "load_profile_file",
    "load_rulebase",
    "render",
]

__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
