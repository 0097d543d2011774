"""Progress of a long import: on a terminal for the command, in a file for the browser's job.

tqdm (ECOSYSTEM.md's pick) is not installed in this project's environment; until it is, this
small printer shows the same on a terminal and prints nothing when output is not a terminal
(CI logs stay clean).
"""

import json
import os
import sys
import time
from pathlib import Path

STAGES = {"check": 0.0, "write": 0.5}  # checking is the first half of the bar, writing the second


class TerminalProgress:
    def __init__(self, stream=None, every: float = 0.2):
        self.stream = stream or sys.stderr
        self.enabled = self.stream.isatty()
        self.every, self.last = every, 0.0

    def __call__(self, stage: str, file: str, fraction: float):
        if not self.enabled:
            return
        now = time.monotonic()
        if fraction < 1.0 and now - self.last < self.every:
            return
        self.last = now
        label = "checking" if stage == "check" else "writing"
        filled = int(fraction * 30)
        bar = "#" * filled + "-" * (30 - filled)
        self.stream.write(f"\r{label:<9}{file:<28}[{bar}] {fraction:6.1%}")
        if fraction >= 1.0:
            self.stream.write("\n")
        self.stream.flush()


class FileProgress:
    """Writes {"stage", "file", "fraction", "percent"} to a JSON file the web page reads.

    A file, not the database: the import's own transaction holds the database (on SQLite the
    write lock), and a progress row written inside it would only appear at COMMIT.
    """

    def __init__(self, path: Path, files: list[str], every: float = 0.5):
        self.path, self.files, self.every, self.last = Path(path), files, every, 0.0

    def __call__(self, stage: str, file: str, fraction: float):
        now = time.monotonic()
        if fraction < 1.0 and now - self.last < self.every:
            return
        self.last = now
        index = self.files.index(file) if file in self.files else 0
        share = (index + fraction) / max(len(self.files), 1)
        percent = int(100 * (STAGES.get(stage, 0.0) + share / 2))
        write_progress(self.path, {"stage": stage, "file": file, "percent": percent})


def write_progress(path: Path, data: dict):
    tmp = Path(f"{path}.tmp")
    tmp.write_text(json.dumps(data))
    os.replace(tmp, path)  # atomic: the page never reads half a file


def read_progress(path: Path) -> dict:
    try:
        return json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return {}
