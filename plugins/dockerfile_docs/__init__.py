"""dockerfile-docs: example Dockerfiles turned into a verified, browsable handbook.

The core (``parse`` -> ``model`` -> ``analyze`` -> ``explain`` -> ``render``)
is plain Python; ``mkdocs_plugin``, ``markdown`` and ``cli`` are thin adapters.
"""

__version__ = "0.1.0"
