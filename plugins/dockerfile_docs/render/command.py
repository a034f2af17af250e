"""``dockerfile-docs render``: one Dockerfile as SVG, standalone HTML, Markdown or Mermaid.

The output goes to standard output or ``--output``; a Dockerfile that does
not parse is one line on standard error naming file and line, and exit 1
(the CLI turns the :class:`DockerfileDocsError` into that line).
"""

from __future__ import annotations

import argparse
import os
import sys

from ..errors import DockerfileDocsError
from ..model import Analysis, BuildOptions
from .fragment import PARTS, normalize_show, render_fragment, svg_document

FORMATS = ("svg", "html", "page", "md", "mermaid")
FORMATS_WITHOUT_FINDINGS = ("svg", "mermaid")
"""Formats that draw the stages alone: their analysis runs the rules only where a check can fail the build (``analyze_text``)."""
STDIN_LABEL = "<stdin>"


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("path", metavar="PATH", help="the Dockerfile to render; '-' reads standard input")
    parser.add_argument(
        "--format",
        choices=FORMATS,
        default="html",
        help="svg: the stage diagram alone; html: for HTML wikis, intact after their sanitizers (default); "
        "page: a self-contained page with the stylesheet (tabs, colour schemes); md: Markdown for wikis; "
        "mermaid: the flowchart source",
    )
    parser.add_argument(
        "--build-arg",
        dest="build_args",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a build argument, as docker build takes it (repeatable)",
    )
    parser.add_argument("--target", help="the stage to build (default: the last one)")
    parser.add_argument("--platform", help="the target platform, e.g. linux/arm64 (default: linux/amd64)")
    parser.add_argument("--output", "-o", metavar="FILE", help="write here instead of standard output")
    parser.add_argument(
        "--show",
        default=" ".join(PARTS[:3]),
        help="html and page: the parts to show, space or comma separated (default: %(default)s)",
    )
    parser.add_argument(
        "--layout", choices=("tabs", "stacked"), default="stacked", help="page: how the parts are arranged (default: %(default)s)"
    )
    parser.add_argument(
        "--diagram",
        choices=("mermaid", "image", "svg", "none"),
        default="mermaid",
        help="md: the diagram as a mermaid fence (GitHub and GitLab draw it), as an image file written beside --output, "
        "as inline SVG (for renderers that keep raw SVG), or left out (default: %(default)s)",
    )
    parser.add_argument("--title", help="html, page and md: the title (default: the file name)")


def run(args: argparse.Namespace) -> int:
    options = BuildOptions(build_args=parse_build_args(args.build_args), target=args.target, platform=args.platform)
    analysis = analyze_input(args.path, options, explain=args.format not in FORMATS_WITHOUT_FINDINGS)
    output = render(analysis, args)
    write_output(output, args.output)
    return 0


def parse_build_args(pairs: list[str]) -> dict[str, str]:
    """``NAME=VALUE`` pairs into a mapping; a bare ``NAME`` takes the environment's value, as docker build does."""
    build_args: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not name:
            raise DockerfileDocsError(f"--build-arg {pair!r}: expected NAME=VALUE")
        if not sep:
            if name not in os.environ:
                continue
            value = os.environ[name]
        build_args[name] = value
    return build_args


def analyze_input(path: str, options: BuildOptions, *, explain: bool = True) -> Analysis:
    """Read ``path`` (``-`` for standard input) and analyze it with the core pipeline (``explain``: with findings)."""
    from ..parse import decode_dockerfile
    from ..pipeline import analyze_text

    if path == "-":
        data = sys.stdin.buffer.read()
        label = STDIN_LABEL
    else:
        try:
            data = _read_bytes(path)
        except IsADirectoryError:
            data = _read_dockerfile_in(path)
            path = os.path.join(path, "Dockerfile")
        except OSError as error:
            raise DockerfileDocsError(f"{path}: cannot read the file: {error.strerror or error}") from None
        label = path
    return analyze_text(decode_dockerfile(data, label), label, options, explain=explain)


def _read_bytes(path: str) -> bytes:
    with open(path, "rb") as handle:
        return handle.read()


def _read_dockerfile_in(directory: str) -> bytes:
    candidate = os.path.join(directory, "Dockerfile")
    try:
        return _read_bytes(candidate)
    except OSError as error:
        raise DockerfileDocsError(f"{candidate}: cannot read the file: {error.strerror or error}") from None


def render(analysis: Analysis, args: argparse.Namespace) -> str:
    if args.format == "svg":
        from .svg import render_diagram

        return svg_document(render_diagram(analysis, id_prefix="dd"))
    if args.format == "mermaid":
        from .mermaid import render_mermaid

        text = render_mermaid(analysis)
        return text if text.endswith("\n") else text + "\n"
    if args.format == "md":
        from .markdown_out import render_markdown

        image = None
        if args.diagram == "image":
            image = _write_diagram_image(analysis, args.output)
        return render_markdown(analysis, diagram=args.diagram, title=args.title, image=image)
    show = tuple(part for part in normalize_show(args.show) if part != "results")
    if not show:
        raise DockerfileDocsError("--show: build results are not available here; name another part")
    if args.format == "html":
        from .portable import portable_document, render_portable_html

        fragment = render_portable_html(analysis, show=show, title=args.title)
        return portable_document(fragment, title=args.title or analysis.dockerfile.path or "Dockerfile")
    return render_fragment(analysis, show=show, layout=args.layout, standalone=True, title=args.title)


def _write_diagram_image(analysis: Analysis, output: str | None) -> str:
    """Write the diagram as ``<output stem>.svg`` beside the Markdown file; its name, for the image link."""
    if output is None or output == "-":
        raise DockerfileDocsError("--diagram image writes the diagram beside the Markdown file: give --output FILE.md")
    from .svg import render_diagram

    image = os.path.splitext(output)[0] + ".svg"
    write_output(svg_document(render_diagram(analysis, id_prefix="dd", link_lines=False)), image)
    return os.path.basename(image)


def write_output(text: str, output: str | None) -> None:
    """Write to standard output, or atomically to ``output`` so a failed run never leaves half a file.

    The modules a file needs are imported here, not by the command: most
    runs write to standard output, and their start-up does not pay for them.
    """
    if output is None or output == "-":
        sys.stdout.write(text)
        sys.stdout.flush()
        return
    import tempfile

    folder = os.path.dirname(output) or "."
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=folder, delete=False, suffix=".tmp") as handle:
            handle.write(text)
        os.replace(handle.name, output)
    except OSError as error:
        raise DockerfileDocsError(f"{output}: cannot write: {error.strerror or error}") from None
