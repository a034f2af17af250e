"""The typed configuration of the ``dockerfile-docs`` MkDocs plugin.

Every value can come from the environment with MkDocs' ``!ENV`` tag::

    plugins:
      - dockerfile-docs:
          verification: !ENV [DOCKERFILE_DOCS_VERIFY, cached]
          strict_findings: !ENV [DOCKERFILE_DOCS_STRICT_FINDINGS, false]
"""

from __future__ import annotations

from mkdocs.config import base
from mkdocs.config import config_options as c

from ..render.fragment import PARTS


class _Verification(c.Choice):
    """``off``, ``cached`` or ``build``; ``false`` is ``off``.

    MkDocs reads an ``!ENV`` value as YAML, where ``off`` is the boolean
    false, so ``DOCKERFILE_DOCS_VERIFY=off mkdocs build`` arrives as ``False``.
    """

    def run_validation(self, value: object) -> object:
        if value is False:
            value = "off"
        return super().run_validation(value)


class DockerfileDocsConfig(base.Config):
    enabled = c.Type(bool, default=True)
    """Turn the plugin off (e.g. ``!ENV [DOCKERFILE_DOCS, true]``) without editing the page sources."""

    examples_dir = c.Type(str, default="examples")
    """The folder of example folders, relative to ``mkdocs.yml``."""

    cache_dir = c.Type(str, default=".cache/dockerfile-docs")
    """Where verification results are cached, relative to ``mkdocs.yml``."""

    stand_ins = c.Type(str, default="examples/stand-ins.yml")
    """The stand-in base images file, relative to ``mkdocs.yml``."""

    verification = _Verification(("off", "cached", "build"), default="cached")
    """``off``: no results; ``cached``: stored results, stale ones warned about; ``build``: verify stale examples first."""

    show = c.ListOfItems(c.Choice(PARTS), default=list(PARTS))
    """The parts a block shows unless it says otherwise."""

    layout = c.Choice(("auto", "tabs", "stacked"), default="auto")
    """``auto``: content tabs with mkdocs-material, stacked with any other theme."""

    styles = c.Choice(("auto", "stylesheet", "inline"), default="auto")
    """``inline``: colours and layout carried by the blocks themselves (attributes, inline styles), for hosts
    that sanitize pages and drop stylesheets, such as Backstage TechDocs; ``auto`` picks it when the
    ``techdocs-core`` plugin is in the site, the site stylesheet otherwise."""

    strict_findings = c.Type(bool, default=False)
    """Error-level findings become warnings (so ``mkdocs build --strict`` fails on them)."""

    rules_reference = c.Type(str, default="rules/")
    """Where the generated rule reference pages go in the site; empty to generate none."""

    embed = c.Type(bool, default=True)
    """Generate ``embed/<example>/index.html`` and ``diagram.svg`` and show embed code under examples."""

    catalog = c.ListOfItems(c.Type(str), default=[])
    """Globs of Dockerfiles (relative to ``mkdocs.yml``, ``**`` crossing folders) that each get a generated page."""

    catalog_dir = c.Type(str, default="dockerfiles/")
    """Where the catalogue's pages go in the site; they are added to the navigation as one section."""

    builder = c.Type(str, default="")
    """With ``verification: build``: the docker context or buildx builder to build on (empty: the current engine)."""
