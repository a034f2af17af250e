"""The MkDocs adapter: ``plugins: [dockerfile-docs]`` in ``mkdocs.yml``."""
