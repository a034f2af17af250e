"""Rules of the `images` group."""
