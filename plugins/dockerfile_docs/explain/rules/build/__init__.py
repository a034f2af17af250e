"""Rules of the `build` group."""
