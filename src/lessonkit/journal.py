"""The answer journal: every answer a student gives, saved so that nothing is lost.

Layout: one small JSON file per answer, in a folder the student can see::

    my_answers/                 (or the folder named by LESSONKIT_ANSWERS)
      07_the_red_guard/
        prompt-p1.json          the current answer
        prompt-p1.json.bak      the version before it
        quiz-q1.json

One file per answer means two lessons open at once never write the same file,
so no cross-platform file locking is needed. Every write is atomic: a
temporary file in the same folder is written, flushed and fsynced, the old
version is kept as ``.bak``, then ``os.replace`` puts the new one in place (so
the file is always the old or the new version, never a torn one). A file that
cannot be read is never overwritten: it is moved aside to
``<name>.unreadable-<time>`` and reported.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ENV_VAR = "LESSONKIT_ANSWERS"
DEFAULT_FOLDER = "my_answers"
SAFE_RE = re.compile(r"[^A-Za-z0-9_\-]+")
FORMAT = "lessonkit-journal/1"


def answers_dir() -> Path:
    """Where answers live: ``$LESSONKIT_ANSWERS``, else ``my_answers/`` beside the lesson (the kernel's cwd)."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else Path.cwd() / DEFAULT_FOLDER


def safe_name(raw: str) -> str:
    """A file-name-safe version of an id: letters, digits, '_' and '-' only, at most 80 chars.

    Ids that had to change get a short hash so two different ids never collide.
    """
    cleaned = SAFE_RE.sub("_", raw).strip("_-")[:60] or "item"
    if cleaned != raw:
        cleaned += "-" + hashlib.sha1(raw.encode("utf-8")).hexdigest()[:8]
    return cleaned


def record_path(lesson: str, kind: str, item_id: str, root: Path | None = None) -> Path:
    """The file that holds one answer."""
    base = root if root is not None else answers_dir()
    return base / safe_name(lesson) / f"{safe_name(kind)}-{safe_name(item_id)}.json"


def now_iso() -> str:
    """The current time, UTC, to the second."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def _replace(src: str | Path, dst: str | Path, attempts: int = 20) -> None:
    """os.replace, retried briefly where another process holds the file (Windows)."""
    for attempt in range(attempts):
        try:
            os.replace(src, dst)
            return
        except PermissionError:
            if attempt == attempts - 1:
                raise
            time.sleep(0.05)


def atomic_write_text(path: Path, text: str, keep_previous: bool = True) -> None:
    """Write text so that ``path`` is always the old or the new version, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_previous and path.exists():
            bak = path.with_name(path.name + ".bak")
            fd2, tmp_bak = tempfile.mkstemp(prefix=f".{bak.name}.", suffix=".tmp", dir=path.parent)
            os.close(fd2)
            try:
                shutil.copyfile(path, tmp_bak)
                _replace(tmp_bak, bak)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_bak)
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            dir_fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


class UnreadableAnswer(Exception):
    """A journal file could not be read; it was moved aside (see ``moved_to``)."""

    def __init__(self, path: Path, moved_to: Path, reason: str):
        self.path = path
        self.moved_to = moved_to
        super().__init__(
            f"Your saved answer file {path.name} could not be read ({reason}). It was kept as {moved_to.name} "
            "in the same folder, and a fresh answer starts now."
        )


def _read_record(path: Path) -> dict[str, Any]:
    with open(path, encoding="utf-8") as handle:
        record = json.load(handle)
    if not isinstance(record, dict) or "lesson" not in record or "id" not in record:
        raise ValueError("not a lessonkit answer record")
    return record


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.unreadable-{stamp}-{n}")
    _replace(path, target)
    return target


def load(lesson: str, kind: str, item_id: str, root: Path | None = None) -> dict[str, Any] | None:
    """Load one saved answer, or None if there is none.

    If the file is unreadable it is moved aside; the previous version (``.bak``)
    is returned if that one can be read. Raises :class:`UnreadableAnswer` only
    when nothing could be recovered, so the caller can tell the student.
    """
    path = record_path(lesson, kind, item_id, root)
    if not path.exists():
        return None
    try:
        return _read_record(path)
    except (OSError, ValueError, UnicodeDecodeError) as exc:
        moved = _move_aside(path)
        bak = path.with_name(path.name + ".bak")
        if bak.exists():
            try:
                record = _read_record(bak)
            except (OSError, ValueError, UnicodeDecodeError):
                pass
            else:
                atomic_write_text(path, json.dumps(record, ensure_ascii=False, indent=1), keep_previous=False)
                return record
        raise UnreadableAnswer(path, moved, type(exc).__name__) from None


def save(lesson: str, kind: str, item_id: str, payload: dict[str, Any], root: Path | None = None) -> Path:
    """Save one answer atomically and return the file it went to."""
    record = {"format": FORMAT, "lesson": lesson, "kind": kind, "id": item_id, "saved_at": now_iso(), **payload}
    path = record_path(lesson, kind, item_id, root)
    atomic_write_text(path, json.dumps(record, ensure_ascii=False, indent=1))
    return path


def load_all(root: Path | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Every readable answer under the folder, plus messages about files that could not be read."""
    base = root if root is not None else answers_dir()
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    if not base.is_dir():
        return records, problems
    for path in sorted(base.glob("*/*.json")):
        try:
            records.append(_read_record(path))
        except (OSError, ValueError, UnicodeDecodeError) as exc:
            problems.append(f"{path.relative_to(base)}: could not be read ({type(exc).__name__}); left as it is")
    records.sort(key=lambda r: (str(r.get("lesson")), str(r.get("kind")), str(r.get("id"))))
    return records, problems


def display_path(path: Path) -> str:
    """A short path for messages: relative to the current folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)
