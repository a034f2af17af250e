"""Rules of the `stages` group."""
