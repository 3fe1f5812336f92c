"""_profile"""
