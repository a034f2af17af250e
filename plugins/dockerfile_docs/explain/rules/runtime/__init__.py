"""Rules of the `runtime` group."""
