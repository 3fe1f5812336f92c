"""Soak test of the library's memory (issue 13, item 8; issue 16).

Usage: python benchmarks/soak.py [--advisors 2000] [--errors 1000]

Creates and drops ``--advisors`` advisors (half closed, half left to the garbage collector,
each advising one profile), then provokes ``--errors`` engine errors (a pack of thresholds
built with the limit checker and the guards turned off, so that durable-rules answers error
303), printing the RSS before and after each part. Target: growth under 50 MB for each.
"""

from __future__ import annotations

import argparse
import gc

from bench_advise import rss_mb

from xbec_advisor._advice.advisor import Advisor
from xbec_advisor._engine import limits, rulesets
from xbec_advisor._engine.durable import Engine, EngineRule
from xbec_advisor._errors import EngineError
from xbec_advisor._profile.model import Profile
from xbec_advisor._rulebase.conditions import parse_condition
from xbec_advisor._rulebase.load import bundled_rulebase


def advisors(count: int) -> tuple[float, float]:
    rulebase = bundled_rulebase()
    with Advisor(rulebase) as warm:
        warm.advise({"business_model": "B2C"})
    gc.collect()
    before = rss_mb()
    for k in range(count):
        advisor = Advisor(rulebase)
        advisor.advise({"business_model": "B2C", "monthly_orders": k})
        if k % 2:
            advisor.close()
        del advisor
    gc.collect()
    return before, rss_mb()


def errors(count: int) -> tuple[float, float, int]:
    checked, fanout = limits.STACK_LIMIT, rulesets.FANOUT
    limits.STACK_LIMIT = rulesets.FANOUT = 10_000  # one unguarded ruleset: error 303
    try:
        engine = Engine(
            EngineRule(
                f"N-{k:03d}", parse_condition({"field": "monthly_orders", "op": "gt", "value": k})
            )
            for k in range(100)
        )
    finally:
        limits.STACK_LIMIT, rulesets.FANOUT = checked, fanout
    failed = 0
    gc.collect()
    before = rss_mb()
    for _ in range(count):
        try:
            engine.evaluate(Profile(monthly_orders=1000))
        except EngineError:
            failed += 1
    gc.collect()
    return before, rss_mb(), failed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--advisors", type=int, default=2000)
    parser.add_argument("--errors", type=int, default=1000)
    args = parser.parse_args()
    before, after = advisors(args.advisors)
    verdict = "met" if after - before < 50 else "NOT met"
    print(
        f"{args.advisors:,} advisors created and dropped: RSS {before:.1f} MB -> {after:.1f} MB "
        f"({after - before:+.1f} MB)   [target < 50 MB: {verdict}]"
    )
    before, after, failed = errors(args.errors)
    verdict = "met" if after - before < 50 and failed == args.errors else "NOT met"
    print(
        f"{failed:,} engine errors provoked: RSS {before:.1f} MB -> {after:.1f} MB "
        f"({after - before:+.1f} MB)   [target < 50 MB: {verdict}]"
    )


if __name__ == "__main__":
    main()
