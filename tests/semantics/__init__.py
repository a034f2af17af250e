"""The BuildKit ground-truth corpus the analyzer is held to."""
