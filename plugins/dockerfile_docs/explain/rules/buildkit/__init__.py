"""Rules of the `buildkit` group."""
