"""xbec-advisor: cross-border e-commerce strategy advice, cited from five research papers.

>>> from xbec_advisor import advise
>>> advice = advise({"business_model": "B2B", "trade_direction": "export"})
>>> advice.platforms[0].platform  # doctest: +SKIP
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .advice import Advice, Citation, DerivedFact, PlatformScore, Recommendation
    from .advisor import Advisor, advise
    from .errors import EngineError, InputError, ProfileError, RuleBaseError, XbecError
    from .explain import Explanation
    from .profile import Profile
    from .profiles import load_profile_file
    from .rulebase import Rule, RuleBase, load_rulebase

#: Where each public name lives; a module is imported when one of its names is first used, so
#: that ``import xbec_advisor`` (and the command line's start-up) stays cheap.
_EXPORTS = {
    "Advice": "advice", "Citation": "advice", "DerivedFact": "advice", "PlatformScore": "advice", "Recommendation": "advice",
    "Advisor": "advisor", "advise": "advisor",
    "EngineError": "errors", "InputError": "errors", "ProfileError": "errors", "RuleBaseError": "errors", "XbecError": "errors",
    "Explanation": "explain",
    "Profile": "profile",
    "load_profile_file": "profiles",
    "Rule": "rulebase", "RuleBase": "rulebase", "load_rulebase": "rulebase",
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
