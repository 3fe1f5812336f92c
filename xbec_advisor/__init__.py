"""xbec-advisor: cross-border e-commerce strategy advice, cited from five research papers.

>>> from xbec_advisor import advise
>>> advice = advise({"business_model": "B2B", "trade_direction": "export"})
>>> advice.platforms[0].platform  # doctest: +SKIP
"""

from .advice import Advice, Citation, DerivedFact, PlatformScore, Recommendation
from .advisor import Advisor, advise
from .errors import EngineError, InputError, ProfileError, RuleBaseError, XbecError
from .explain import Explanation
from .profile import Profile
from .profiles import load_profile_file
from .rulebase import Rule, RuleBase, load_rulebase

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
