"""_advice"""
