"""Hostile inputs and the checks that judge what renderers make of them."""
