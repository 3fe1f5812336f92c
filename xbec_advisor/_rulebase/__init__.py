"""_rulebase"""
