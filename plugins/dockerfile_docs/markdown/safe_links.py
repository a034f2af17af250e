"""A Python-Markdown extension that keeps only safe link and image targets.

An example's ``description`` comes from ``example.yml``, which a pull request
can change: a ``[x](javascript:...)`` link or a ``data:`` image in it must
not become live on the handbook page or in an embed snippet. Relative URLs
and ``http``, ``https`` and ``mailto`` stay; any other scheme, in any
spelling (upper case, entities, embedded white space), turns the link into
plain text and the image into its alt text.
"""

from __future__ import annotations

import html
import re
import xml.etree.ElementTree as etree

from markdown import Markdown
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")


def is_safe_url(url: str) -> bool:
    squeezed = "".join(char for char in html.unescape(url) if char > " " and char != "\x7f")
    match = _SCHEME.match(squeezed)
    return match is None or match.group(1).lower() in SAFE_SCHEMES


class SafeLinksTreeprocessor(Treeprocessor):
    def run(self, root: etree.Element) -> None:
        for parent in root.iter():
            for index, child in enumerate(list(parent)):
                attribute = {"a": "href", "img": "src"}.get(child.tag)
                if attribute is None or is_safe_url(child.get(attribute, "")):
                    continue
                if child.tag == "a":
                    child.attrib.pop("href", None)
                    child.tag = "span"
                else:
                    replacement = etree.Element("span")
                    replacement.text = child.get("alt", "")
                    replacement.tail = child.tail
                    parent.remove(child)
                    parent.insert(index, replacement)


class SafeLinksExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # noqa: N802 (Python-Markdown's name)
        md.treeprocessors.register(SafeLinksTreeprocessor(md), "dockerfile_docs_safe_links", 0)
