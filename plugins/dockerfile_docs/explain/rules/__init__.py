"""The rule modules, one a file, grouped by folder; discovered by :mod:`..registry`."""
