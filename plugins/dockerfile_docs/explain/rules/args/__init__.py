"""Rules of the `args` group."""
