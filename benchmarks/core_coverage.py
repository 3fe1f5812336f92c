"""What firms described only by their core answers hear: the share of firms with at least one
recommendation in each core area, and the shapes of firm that fall short (issue 14).

Run from anywhere: ``python benchmarks/core_coverage.py [--firms 2000] [--seed 0]``.
"""

from __future__ import annotations

import argparse
import random
from collections import Counter

from xbec_advisor import Advisor
from xbec_advisor._advice.openness import AREAS
from xbec_advisor._profile.generate import core_answers

#: Regions where the papers discuss platforms: every firm there must get a platform to use.
PLATFORM_REGIONS = ("north_america", "europe", "southeast_asia", "china", "global")


def _shape(answers: dict[str, object]) -> str:
    countries = "+countries" if answers.get("target_countries") else ""
    route = f"{answers['home_country']}->{answers['target_region']}{countries}"
    return f"{answers['business_model']} {answers['trade_direction']} {route}"


def measure(firms: int, seed: int) -> dict[str, object]:
    advisor = Advisor()
    rng = random.Random(seed)
    got = Counter()
    short: dict[str, Counter[str]] = {area: Counter() for area in (*AREAS, "platform to use")}
    platform_firms = 0
    for _ in range(firms):
        answers = core_answers(rng)
        evaluation = advisor.evaluate(answers)
        areas = {r.category for r in evaluation.rules}
        for area in AREAS:
            if area in areas:
                got[area] += 1
            else:
                short[area][_shape(answers)] += 1
        if answers["target_region"] in PLATFORM_REGIONS:
            platform_firms += 1
            if evaluation.top_platforms:
                got["platform to use"] += 1
            else:
                short["platform to use"][_shape(answers)] += 1
        got["all four"] += set(AREAS) <= areas
    shares = {area: got[area] / firms for area in (*AREAS, "all four")}
    shares["platform to use"] = got["platform to use"] / max(platform_firms, 1)
    return {"shares": shares, "short": short, "firms": firms, "platform_firms": platform_firms}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--firms", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    result = measure(args.firms, args.seed)
    print(f"{result['firms']} core-only firms (seed {args.seed}); target for each area: 95%")
    print(f"{'area':<18}{'share':>8}")
    for area, share in result["shares"].items():  # type: ignore[attr-defined]
        print(f"{area:<18}{share:>8.1%}")
    print(
        f"('platform to use': an eligible platform with a positive score, for the "
        f"{result['platform_firms']} firms targeting {', '.join(PLATFORM_REGIONS)})"
    )
    for area, shapes in result["short"].items():  # type: ignore[attr-defined]
        if shapes:
            print(f"\nfirms without {area}, most common shapes:")
            for shape, count in shapes.most_common(5):
                print(f"  {count:>5}  {shape}")


if __name__ == "__main__":
    main()
