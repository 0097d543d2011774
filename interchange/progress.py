"""Progress of a long import: on a terminal for the command, in a file for the browser's job."""

import json
import os
import sys
import time
from pathlib import Path

from tqdm import tqdm

STAGES = {"check": 0.0, "write": 0.5}  # checking is the first half of the bar, writing the second


class TerminalProgress:
    """A tqdm bar per file and stage (ECOSYSTEM.md's pick); nothing when output is not a
    terminal (`disable=None`), so CI logs stay clean."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self.bar: tqdm | None = None
        self.current: tuple[str, str] | None = None

    def __call__(self, stage: str, file: str, fraction: float):
        if self.current != (stage, file):
            self.close()
            label = "checking" if stage == "check" else "writing"
            self.bar = tqdm(
                total=100, desc=f"{label} {file}", unit="%", file=self.stream, disable=None
            )
            self.current = (stage, file)
        self.bar.update(int(fraction * 100) - self.bar.n)
        if fraction >= 1.0:
            self.close()

    def close(self):
        if self.bar is not None:
            self.bar.close()
        self.bar, self.current = None, None


class FileProgress:
    """Writes {"stage", "file", "percent"} to a JSON file the web page reads.

    A file, not the database: the import's own transaction holds the database (on SQLite the
    write lock), and a progress row written inside it would only appear at COMMIT.
    """

    def __init__(self, path: Path, files: list[str], every: float = 0.5):
        self.path, self.files, self.every, self.last = Path(path), files, every, 0.0
        self.current = None
        self.shown = 0  # the percent written last: the bar never goes back
        # How far each file of each stage is: files checked side by side (interchange.engine)
        # report out of their order, so the bar is their sum, not the last one's place.
        self.done: dict[tuple[str, str], float] = {}

    def __call__(self, stage: str, file: str, fraction: float):
        key = (stage, file)
        self.done[key] = max(self.done.get(key, 0.0), fraction)
        now = time.monotonic()
        # A new stage or file is always written (a file written at once may report only its
        # start and its end); within one, at most every `every` seconds.
        if fraction < 1.0 and now - self.last < self.every and (stage, file) == self.current:
            return
        self.last, self.current = now, (stage, file)
        share = sum(self.done.get((stage, name), 0.0) for name in self.files)
        share /= max(len(self.files), 1)
        percent = self.shown = max(self.shown, int(100 * (STAGES.get(stage, 0.0) + share / 2)))
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


def touch_progress(path: Path):
    """The job's heartbeat: the file's time says it lives, whatever step it is in."""
    try:
        os.utime(path)
    except FileNotFoundError:  # finished a moment ago
        pass
