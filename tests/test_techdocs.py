"""The handbook in Backstage TechDocs: built with ``mkdocs-techdocs-core`` beside the plugin, read through TechDocs' reader.

``techdocs-cli serve --no-docker`` (npm ``@techdocs/cli``, installed in
``tests/techdocs``) runs ``mkdocs serve`` from a virtualenv that has
``mkdocs-techdocs-core`` (``.venv-techdocs``: it pins versions of Material
and pymdown-extensions of its own, so it is not the test environment) and
serves a local Backstage TechDocs app in front of it. The reader passes each
page through DOMPurify and shows it in a shadow root with TechDocs' own
styles only: the plugin notices TechDocs and draws its blocks with inline
styles (``styles: auto``).
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

REPO = Path(__file__).resolve().parent.parent
TECHDOCS = Path(__file__).resolve().parent / "techdocs"
CLI = TECHDOCS / "node_modules" / ".bin" / "techdocs-cli"
APP_BUNDLE = TECHDOCS / "node_modules" / "@techdocs" / "cli" / "dist" / "embedded-app"
VENV = REPO / ".venv-techdocs"
SCREENSHOTS = REPO / "test-artifacts" / "screenshots"


def _problem() -> str | None:
    if not (VENV / "bin" / "mkdocs").exists():
        return f"no {VENV.name} (python3 -m venv {VENV.name} && {VENV.name}/bin/pip install mkdocs-techdocs-core -e .)"
    if not CLI.exists():
        return f"no techdocs-cli (cd {TECHDOCS.relative_to(REPO)} && npm ci)"
    if not Path("/usr/bin/chromium").exists():
        return "no /usr/bin/chromium"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture(scope="module")
def techdocs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    problem = _problem()
    if problem:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs the TechDocs preview: {problem}")
        pytest.skip(f"needs the TechDocs preview: {problem}")
    project = tmp_path_factory.mktemp("techdocs")
    (project / "mkdocs.yml").write_text(
        "site_name: dockerfile-docs handbook\n"
        f"docs_dir: {REPO / 'docs'}\n"
        "theme:\n  name: material\n  font: false\n"
        "plugins:\n  - techdocs-core\n  - dockerfile-docs:\n"
        f"      examples_dir: {REPO / 'examples'}\n      verification: cached\n",
        encoding="utf-8",
    )
    mkdocs_port, app_port = _free_port(), _free_port()
    log = project / "serve.log"
    environment = dict(os.environ, PATH=f"{VENV / 'bin'}:{os.environ['PATH']}", BROWSER="none", NO_MKDOCS_2_WARNING="1")
    environment = {k: v for k, v in environment.items() if not k.startswith("DOCKERFILE_DOCS_")}
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(CLI), "serve", "--no-docker", "--mkdocs-port", str(mkdocs_port), "--preview-app-bundle-path", str(APP_BUNDLE),
             "--preview-app-port", str(app_port), "-v"],
            cwd=project, env=environment, stdout=output, stderr=subprocess.STDOUT, start_new_session=True,
        )
    try:
        deadline = time.monotonic() + 180
        while "Serving docs in Backstage" not in log.read_text() or f"Serving on http://127.0.0.1:{mkdocs_port}" not in log.read_text():
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"techdocs-cli serve did not come up:\n{log.read_text()[-3000:]}")
            time.sleep(0.5)
        yield f"http://localhost:{app_port}/docs/default/component/local/"
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_an_example_reads_in_techdocs_with_diagram_listing_and_results(techdocs: str, scheme: str) -> None:
    from playwright.sync_api import sync_playwright

    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    lines = (REPO / "examples" / "multi-stage-go" / "Dockerfile").read_text(encoding="utf-8").splitlines()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 1000}, color_scheme=scheme)
            errors: list[str] = []
            page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(techdocs + "multi-stage/", wait_until="networkidle")
            fragment = page.locator(".dd-fragment").first  # inside TechDocs' shadow root: Playwright's locators pierce it
            fragment.wait_for(state="visible", timeout=90_000)
            cells = [text.replace("\u00a0", " ") for text in fragment.locator(".dd-part-listing td code").all_inner_texts()]
            assert [c.rstrip() for c in cells] == [line.rstrip() or "" for line in lines], "the listing, a line a row"
            for label in fragment.locator(".tabbed-labels > label").all():
                if label.inner_text().strip() == "Stages":
                    label.click()
            diagram = fragment.locator(".dd-part-diagram svg:visible").first
            diagram.wait_for(state="visible")
            shown = " ".join(diagram.locator("text").all_text_contents())
            assert "build" in shown and "runtime" in shown and "COPY /out/hello" in shown
            stroke = diagram.locator(".dd-target .dd-box").evaluate("e => getComputedStyle(e).stroke")
            assert stroke not in ("none", ""), "the diagram kept its colours through TechDocs' sanitizer"
            assert diagram.evaluate("e => e.getBoundingClientRect().width") > 200
            fragment.screenshot(path=str(SCREENSHOTS / f"techdocs-{scheme}-diagram.png"))
            for label in fragment.locator(".tabbed-labels > label").all():
                if label.inner_text().strip() == "Build":
                    label.click()
            results = fragment.locator(".dd-part-results:visible")
            assert re.search(r"\b(built|passed|verified|MB|kB)\b", results.inner_text()), results.inner_text()[:300]
            page.screenshot(path=str(SCREENSHOTS / f"techdocs-{scheme}.png"))
            assert not errors, errors
        finally:
            browser.close()
