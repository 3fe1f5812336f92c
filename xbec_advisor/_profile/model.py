"""The firm profile: the answers the advisor reasons about, and their vocabulary.

Every field is optional: ``None`` (or an absent key) means "unknown". A field's
``description`` is the plain-language question the questionnaire asks.
"""

from __future__ import annotations

from typing import Annotated, Literal, get_args, get_origin

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field

from .._i18n import _
from .fields import FieldSpec
from .iso import COUNTRIES, LANGUAGES

__all__ = [
    "DERIVED_FIELDS",
    "PLATFORMS",
    "RANKED_PLATFORMS",
    "FieldSpec",
    "Profile",
    "condition_specs",
    "field_specs",
]

BusinessModel = Literal["B2B", "B2C", "B2B2C"]
TradeDirection = Literal["export", "import"]
Region = Literal[
    "north_america",
    "europe",
    "southeast_asia",
    "china",
    "east_asia",
    "middle_east",
    "latin_america",
    "oceania",
    "africa",
    "global",
]
LogisticsMode = Literal[
    "air_express",
    "postal",
    "sea_freight",
    "overseas_warehouse",
    "bonded_warehouse",
    "platform_fulfilment",
    "third_party_logistics",
]
PaymentMode = Literal[
    "credit_card",
    "paypal",
    "alipay",
    "wechat_pay",
    "local_ewallet",
    "bank_transfer",
    "cash_on_delivery",
    "letter_of_credit",
]
ProductCategory = Literal[
    "jewelry_accessories",
    "fashion_apparel",
    "beauty_personal_care",
    "health_supplements",
    "food_beverage",
    "mother_baby",
    "electronics",
    "home_living",
    "luggage_bags",
    "sports_outdoor",
    "toys_hobbies",
    "industrial_supplies",
    "other",
]
BrandStatus = Literal["unbranded", "own_brand", "registered_home", "registered_international"]
ContentCapability = Literal["none", "short_video", "live_streaming", "creator_network"]
#: Platforms the advisor ranks (each discussed by at least one paper).
RANKED_PLATFORMS: tuple[str, ...] = (
    "tiktok_shop",
    "amazon",
    "alibaba_com",
    "tmall_global",
    "jd_worldwide",
    "kaola",
    "shopee",
)
Platform = Literal[
    "tiktok_shop",
    "amazon",
    "alibaba_com",
    "tmall_global",
    "jd_worldwide",
    "kaola",
    "shopee",
    "douyin",
    "own_website",
]
PLATFORMS: tuple[str, ...] = get_args(Platform)
FirmSize = Literal["micro", "small", "medium", "large"]
PricePositioning = Literal["budget", "mid_range", "premium"]
SupplyChain = Literal["own_factory", "contract_manufacturer", "wholesale_sourcing", "reseller"]
CulturalAdaptation = Literal["none", "translated", "localized"]
MarketingTeam = Literal["none", "domestic", "overseas"]
Risk = Literal[
    "price_war",
    "ip_infringement",
    "political_scrutiny",
    "payment_fraud",
    "slow_delivery",
    "high_logistics_cost",
    "customs_delays",
    "low_buyer_response",
    "cultural_missteps",
    "account_suspension",
]
Goal = Literal["brand_awareness", "sales_growth", "market_entry", "customer_loyalty"]


def _country(code: str) -> str:
    code = code.strip().upper()
    if code not in COUNTRIES:
        raise ValueError(
            _("'{code}' is not an ISO 3166-1 alpha-2 country code (e.g. CN, FR, US)").format(
                code=code
            )
        )
    return code


def _language(code: str) -> str:
    code = code.strip().lower()
    if code not in LANGUAGES:
        raise ValueError(
            _("'{code}' is not an ISO 639-1 language code (e.g. en, zh, id)").format(code=code)
        )
    return code


def _unique(items: list[str]) -> list[str]:
    return sorted(set(items))


Country = Annotated[str, AfterValidator(_country)]
Language = Annotated[str, AfterValidator(_language)]
MAX_LIST = 64


def _not_bool(value: object) -> object:
    # pydantic reads true/false as 1/0 in a number field: refused, as a yes/no is no number
    if isinstance(value, bool):
        raise ValueError(_("expected a number, not {value}").format(value=str(value).lower()))
    return value


Whole = Annotated[int, BeforeValidator(_not_bool)]


def _round(value: float) -> float:
    # Three decimals: the engine rejects floats printed with an exponent (1e-05).
    return round(value, 3)


class Profile(BaseModel):
    """A firm's answers. Unknown keys are refused; every answer may be left unknown."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    business_model: BusinessModel | None = Field(
        None,
        description=(
            "Do you sell to businesses (B2B), to consumers (B2C), "
            "or to consumers through business partners (B2B2C)?"
        ),
    )
    trade_direction: TradeDirection | None = Field(
        None,
        description=(
            "Do you sell from your home market abroad (export), "
            "or bring foreign goods to buyers in your home market (import)?"
        ),
    )
    home_country: Country | None = Field(
        None, description="In which country is your company registered? (ISO code, e.g. CN, FR)"
    )
    target_region: Region | None = Field(None, description="Which region do you want to sell to?")
    target_countries: Annotated[list[Country], AfterValidator(_unique)] | None = Field(
        None,
        description="Which countries in particular? (ISO codes, e.g. ID, TH)",
        max_length=MAX_LIST,
    )
    logistics_modes: Annotated[list[LogisticsMode], AfterValidator(_unique)] | None = Field(
        None, description="How do (or will) you ship orders to buyers?", max_length=MAX_LIST
    )
    payment_modes: Annotated[list[PaymentMode], AfterValidator(_unique)] | None = Field(
        None, description="Which ways of paying do you offer buyers?", max_length=MAX_LIST
    )
    product_category: ProductCategory | None = Field(
        None, description="What kind of products do you sell?"
    )
    brand_status: BrandStatus | None = Field(
        None, description="Do you have a brand, and is its trademark registered at home or abroad?"
    )
    content_capability: ContentCapability | None = Field(
        None,
        description=(
            "What marketing content can your team produce: "
            "none, short videos, live streams, or a network of creators/influencers?"
        ),
    )
    current_platforms: Annotated[list[Platform], AfterValidator(_unique)] | None = Field(
        None, description="On which platforms do you sell today?", max_length=MAX_LIST
    )
    firm_size: FirmSize | None = Field(
        None, description="How big is your firm (micro, small, medium, large)?"
    )
    team_languages: Annotated[list[Language], AfterValidator(_unique)] | None = Field(
        None,
        description="Which languages can your team use with buyers? (ISO codes, e.g. en, zh)",
        max_length=MAX_LIST,
    )
    years_cross_border: Whole | None = Field(
        None,
        ge=0,
        le=100,
        description="For how many years have you sold across borders (0 if you are starting)?",
    )
    price_positioning: PricePositioning | None = Field(
        None, description="How are your prices positioned: budget, mid-range or premium?"
    )
    product_lookalike: bool | None = Field(
        None,
        description=(
            "Do any of your products resemble big-name branded products (look-alike designs)?"
        ),
    )
    custom_orders: bool | None = Field(
        None,
        description=(
            "Do buyers send their own designs, so that you make samples (proofing) before an order?"
        ),
    )
    response_time_hours: (
        Annotated[float, BeforeValidator(_not_bool), AfterValidator(_round)] | None
    ) = Field(
        None,
        ge=0,
        le=720,
        description="Typically, within how many hours do you first answer a buyer's inquiry?",
    )
    supply_chain: SupplyChain | None = Field(
        None,
        description=(
            "Where do your goods come from: your own factory, a contract manufacturer, "
            "wholesale sourcing, or reselling others' brands?"
        ),
    )
    cultural_adaptation: CulturalAdaptation | None = Field(
        None,
        description=(
            "How far have you adapted products, packaging and listings to the target culture: "
            "not at all, translated, or fully localized?"
        ),
    )
    local_language_service: bool | None = Field(
        None, description="Can buyers get customer service in their own language?"
    )
    overseas_retail_entity: bool | None = Field(
        None,
        description=(
            "Does your company have a legal entity with retail qualifications "
            "registered outside mainland China?"
        ),
    )
    knows_local_regulations: bool | None = Field(
        None,
        description="Have you reviewed the target market's laws and the platforms' seller rules?",
    )
    incentivized_reviews: bool | None = Field(
        None, description="Do you offer buyers cashback, gifts or other rewards for good reviews?"
    )
    logistics_tracking: bool | None = Field(
        None, description="Can buyers track their parcels from dispatch to delivery?"
    )
    monthly_orders: Whole | None = Field(
        None, ge=0, le=10_000_000, description="About how many orders do you ship per month?"
    )
    uses_data_analytics: bool | None = Field(
        None,
        description=(
            "Do you analyse platform and customer data to target and refine your marketing?"
        ),
    )
    marketing_team: MarketingTeam | None = Field(
        None,
        description=(
            "Who runs your marketing: nobody dedicated, "
            "a team at home, or a team in the target market?"
        ),
    )
    easy_returns: bool | None = Field(
        None, description="Do you offer buyers a simple return and exchange process?"
    )
    risks: Annotated[list[Risk], AfterValidator(_unique)] | None = Field(
        None, description="Which problems worry you or have you met already?", max_length=MAX_LIST
    )
    primary_goal: Goal | None = Field(None, description="What is your main goal for the next year?")

    def answered(self) -> dict[str, object]:
        """The known answers only, in field order."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


#: Largest value random profiles draw for a number field, where the model's maximum is far off.
_SAMPLE_MAX = {"monthly_orders": 20_000.0}


def _spec(name: str) -> FieldSpec:
    info = Profile.model_fields[name]
    ann = next(a for a in get_args(info.annotation) if a is not type(None))
    desc = info.description or ""
    if get_origin(ann) is Literal:
        return FieldSpec(name=name, kind="enum", values=get_args(ann), description=desc)
    integer = True
    if get_origin(ann) is Annotated:
        inner = get_args(ann)[0]
        if get_origin(inner) is list:
            item = get_args(inner)[0]
            if get_origin(item) is Literal:
                return FieldSpec(name=name, kind="list", values=get_args(item), description=desc)
            kind = "country_list" if name == "target_countries" else "language_list"
            return FieldSpec(name=name, kind=kind, description=desc)
        if inner is str:
            return FieldSpec(name=name, kind="country", description=desc)
        integer = inner is int
    if ann is bool:
        return FieldSpec(name=name, kind="bool", description=desc)
    lo = hi = None
    for meta in info.metadata:
        lo = getattr(meta, "ge", lo)
        hi = getattr(meta, "le", hi)
    return FieldSpec(
        name=name,
        kind="number",
        minimum=lo,
        maximum=hi,
        integer=integer,
        description=desc,
        sample_max=_SAMPLE_MAX.get(name, 200.0),
    )


_SPECS: dict[str, FieldSpec] = {name: _spec(name) for name in Profile.model_fields}


#: Fields the rule base derives from the answers (never asked): each with the answers it comes from.
DERIVED_FIELDS: dict[str, tuple[str, ...]] = {
    "target_markets": ("target_region", "target_countries"),
    "platform_markets": ("target_region", "target_countries"),
}
_DERIVED_SPECS: dict[str, FieldSpec] = {
    "target_markets": FieldSpec(
        name="target_markets",
        kind="list",
        values=tuple(r for r in get_args(Region) if r != "global"),
        description="The regions the firm sells into: those of its listed countries, else its "
        "region (every region for a global firm that names no country; unknown when a global "
        "firm's countries are unanswered).",
    ),
    "platform_markets": FieldSpec(
        name="platform_markets",
        kind="list",
        values=RANKED_PLATFORMS,
        description="The ranked platforms that sell in one of the firm's target markets, as the "
        "papers or our flagged knowledge place them (rules/presence.yaml).",
    ),
}


def condition_specs() -> dict[str, FieldSpec]:
    """The fields a rule's condition may test: the profile's and the derived ones."""
    return {**_SPECS, **_DERIVED_SPECS}


def field_specs() -> dict[str, FieldSpec]:
    """Every profile field's spec, in the model's field order."""
    return dict(_SPECS)
