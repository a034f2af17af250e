"""Rendering of an analysis for people: the stage diagram (SVG, Mermaid), the listing, the explanations."""
