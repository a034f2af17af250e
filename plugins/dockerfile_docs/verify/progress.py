"""Progress of a verify run on a terminal: a live status line, or plain lines when not a TTY."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from .runner import ProgressEvent


class ConsoleProgress:
    """A :data:`~dockerfile_docs.verify.runner.ProgressCallback` writing to ``stream`` (stderr).

    On a terminal, finished targets scroll by as lines and one status line
    below them shows what is building and for how long, refreshed twice a
    second; elsewhere (CI logs, pipes) every start, step and finish is one
    plain line, so logs stay readable. Use as a context manager.
    """

    def __init__(self, stream: TextIO | None = None, *, live: bool | None = None) -> None:
        self.stream = stream or sys.stderr
        self.live = self.stream.isatty() if live is None else live
        self._running: dict[tuple[str, str | None], tuple[float, str]] = {}
        self._done = 0
        self._total = 0
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> ConsoleProgress:
        if self.live:
            self._ticker = threading.Thread(target=self._tick, name="verify-progress", daemon=True)
            self._ticker.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self.live:
            with self._lock:
                self.stream.write("\r\x1b[K")
                self.stream.flush()

    def __call__(self, event: ProgressEvent) -> None:
        with self._lock:
            self._done, self._total = event.done, event.total
            key = (event.example, event.target)
            if event.kind == "start":
                self._running[key] = (time.monotonic(), event.message)
            elif event.kind == "step" and key in self._running:
                self._running[key] = (self._running[key][0], event.message)
            elif event.kind == "finish":
                self._running.pop(key, None)
            if not self.live:
                self.stream.write(event.describe() + "\n")
            elif event.kind in ("finish", "cached"):
                mark = "ok  " if event.passed else "FAIL"
                self.stream.write(f"\r\x1b[K{mark} {event.describe()}\n")
                self._draw()
            else:
                self._draw()
            self.stream.flush()

    def _draw(self) -> None:
        now = time.monotonic()
        running = ", ".join(
            f"{example}" + (f" [{target}]" if target else "") + f" {message} {now - started:.0f}s"
            for (example, target), (started, message) in sorted(self._running.items(), key=lambda item: item[1][0])
        )
        line = f"[{self._done}/{self._total}] {running or 'waiting'}"
        self.stream.write("\r\x1b[K" + line[:200])

    def _tick(self) -> None:
        while not self._stop.wait(0.5):
            with self._lock:
                if self._running:
                    self._draw()
                    self.stream.flush()
