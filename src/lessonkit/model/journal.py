"""The answer journal: every answer a student gives, saved so that nothing is lost.

Layout: one small JSON file per answer, in a folder the student can see::

    my_answers/                 (or the folder named by LESSONKIT_ANSWERS)
      07/                       one folder per lesson (the lesson number)
        prompt-why_arm.json     the current answer to discussion prompt "why_arm"
        prompt-why_arm.json.bak the version before it
        quiz-origins.json       the last check of self-check question "origins"
        claim-petrograd_strength.json   the verdict on a claim check
      student.json              the name typed into "Download my work" (optional)
      my_work_1917.html         the last download (portfolio), also offered as a link
      my_work_1917.json

A record is a JSON object::

    {"format": "lessonkit-journal/1", "lesson": "07", "kind": "prompt", "id": "why_arm",
     "saved_at": "2025-11-26T17:40:02+00:00", "text": "...", "question": "..."}

One file per answer means two lessons open at once never write the same file,
so no cross-platform file locking is needed. Every write is atomic: a
temporary file in the same folder is written, flushed and fsynced, the old
version is kept as ``.bak``, then ``os.replace`` puts the new one in place (so
the file is always the old or the new version, never a torn one). A file that
cannot be read is never overwritten: it is moved aside to
``<name>.unreadable-<time>`` and reported; the ``.bak`` copy is used when it
can be read.

Debounced savers (the discussion prompts) register with :func:`register_pending`;
:func:`flush_pending` runs at interpreter exit, and when the process is stopped
by SIGTERM or SIGHUP (a server shutting down, a hub culling idle kernels), so a
kernel restart or shutdown loses nothing typed.
"""

from __future__ import annotations

import atexit
import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import time
import warnings
import weakref
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Protocol

ENV_VAR = "LESSONKIT_ANSWERS"
DEFAULT_FOLDER = "my_answers"
SAFE_RE = re.compile(r"[^A-Za-z0-9_\-]+")
FORMAT = "lessonkit-journal/1"


@dataclass(frozen=True)
class AnswerKind:
    """One kind of saved answer: what the record's ``kind`` is, what reports call it, where the answer is."""

    name: str
    label: str
    answer_field: str
    order: int


ANSWER_KINDS: dict[str, AnswerKind] = {
    k.name: k
    for k in (
        AnswerKind("prompt", "Discussion", "text", 0),
        AnswerKind("claim", "Claim check", "verdict", 1),
        AnswerKind("quiz", "Question", "choice", 2),
        AnswerKind("matching", "Matching", "choice", 3),
        AnswerKind("argument", "Argument", "text", 4),
    )
}
"""Every kind of answer the widgets save and the reports read (a test checks every writer uses one of these).

Readers still cope with records of other kinds (written by another version): they are shown as they are.
"""
STUDENT_FILE = "student.json"
# Names Windows refuses for a file or folder, whatever the extension.
WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL"} | {f"{p}{n}" for p in ("COM", "LPT") for n in range(1, 10)}
READ_ERRORS = (OSError, ValueError, UnicodeDecodeError, RecursionError)  # RecursionError: JSON nested too deep
RETRY_PERMISSION = os.name == "nt"  # a Windows sharing clash passes; on POSIX "permission denied" does not
STALE_TEMP_SECONDS = 5.0  # a save takes milliseconds: a temporary file this old was left by a killed save


def answers_dir() -> Path:
    """Where answers live: ``$LESSONKIT_ANSWERS``, else ``my_answers/`` beside the lesson (the kernel's cwd)."""
    env = os.environ.get(ENV_VAR)
    return Path(env).expanduser() if env else Path.cwd() / DEFAULT_FOLDER


def safe_name(raw: str) -> str:
    """A file-name-safe version of an id: lower-case letters, digits, '_' and '-' only, at most 69 chars.

    Ids that had to change (other characters, capitals, a name Windows reserves)
    get a short hash, so two different ids never share a file, even on the
    case-insensitive disks of macOS and Windows.
    """
    raw = str(raw)
    cleaned = SAFE_RE.sub("_", raw).strip("_-")[:60].lower() or "item"
    if cleaned != raw or cleaned.upper() in WINDOWS_RESERVED:
        cleaned += "-" + hashlib.sha1(raw.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return cleaned


def record_path(lesson: str, kind: str, item_id: str, root: Path | None = None) -> Path:
    """The file that holds one answer (always inside the answers folder, whatever the ids contain)."""
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
            if attempt == attempts - 1 or not RETRY_PERMISSION:
                raise
            time.sleep(0.05)


def _umask() -> int:
    """The process's umask (read by setting it and putting it back)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _as_if_opened(fd: int) -> None:
    """Give a temporary file the permissions ``open()`` would have given it (``mkstemp`` makes it 0600).

    So a guide written into a shared folder, or a student's answers on a school hub, can be read by
    whoever the folder and the umask allow, as with any other file the user writes.
    """
    with contextlib.suppress(OSError, AttributeError, NotImplementedError):
        os.fchmod(fd, 0o666 & ~_umask())


def _fsync_dir(folder: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        with contextlib.suppress(OSError):
            dir_fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)


def atomic_write_text(path: Path, text: str, keep_previous: bool = True) -> None:
    """Write text so that ``path`` is always the old or the new version, never a mix.

    With ``keep_previous`` the old version is first copied to ``<name>.bak``
    (itself written atomically).
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    _as_if_opened(fd)
    try:
        # errors="replace": a safety net only; JSON callers use to_json(), which never needs it.
        with os.fdopen(fd, "w", encoding="utf-8", errors="replace", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        if keep_previous and path.exists():
            bak = path.with_name(path.name + ".bak")
            fd2, tmp_bak = tempfile.mkstemp(prefix=f".{bak.name}.", suffix=".tmp", dir=path.parent)
            _as_if_opened(fd2)
            os.close(fd2)
            try:
                shutil.copyfile(path, tmp_bak)
                with open(tmp_bak, "rb+") as handle:
                    os.fsync(handle.fileno())
                _replace(tmp_bak, bak)
            except OSError:
                with contextlib.suppress(OSError):
                    os.unlink(tmp_bak)
        _replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(path.parent)


class UnreadableAnswer(Exception):
    """A journal file could not be read and nothing could be recovered.

    ``moved_to`` is where the unreadable file was kept (None when it was left in
    place, e.g. because another program holds it open).
    """

    def __init__(self, path: Path, moved_to: Path | None, reason: str):
        self.path = path
        self.moved_to = moved_to
        self.reason = reason
        if moved_to is not None:
            where = f"It was kept as {moved_to.name} in the same folder"
        else:
            where = "It was left where it is"
        super().__init__(
            f"Your saved answer file {path.name} could not be read ({reason}). {where}, "
            "and a fresh answer starts now."
        )


def _read_record(path: Path, attempts: int = 10) -> dict[str, Any]:
    """Read and check one record. PermissionError (a Windows sharing clash) is retried briefly."""
    for attempt in range(attempts):
        try:
            with open(path, encoding="utf-8-sig") as handle:
                record = json.load(handle)
            break
        except PermissionError:
            if attempt == attempts - 1 or not RETRY_PERMISSION:
                raise
            time.sleep(0.05)
    check_record(record)
    return record


def check_record(record: Any) -> None:
    """Raise ValueError naming what is wrong if ``record`` is not a journal record."""
    if not isinstance(record, dict):
        raise ValueError(f"not a lessonkit answer record (a JSON {type(record).__name__}, not an object)")
    for key in ("lesson", "id"):
        if not isinstance(record.get(key), str):
            raise ValueError(f"not a lessonkit answer record (no '{key}')")
    if "kind" in record and not isinstance(record["kind"], str):
        raise ValueError("not a lessonkit answer record ('kind' is not text)")
    if "text" in record and not isinstance(record["text"], str):
        raise ValueError("not a lessonkit answer record ('text' is not text)")


def _reason(exc: BaseException) -> str:
    if isinstance(exc, UnicodeDecodeError):
        return "it is not UTF-8 text"
    if isinstance(exc, json.JSONDecodeError):
        return f"it is not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
    if isinstance(exc, RecursionError):
        return "it is not an answer record: its JSON is nested too deeply"
    if isinstance(exc, PermissionError):
        return "permission denied: this user may not read it"
    if isinstance(exc, ValueError):
        return str(exc)
    return f"{type(exc).__name__}: {exc}"


def _move_aside(path: Path) -> Path:
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    target = path.with_name(f"{path.name}.unreadable-{stamp}")
    n = 1
    while target.exists():
        n += 1
        target = path.with_name(f"{path.name}.unreadable-{stamp}-{n}")
    _replace(path, target)
    return target


def load_with_notice(
    lesson: str, kind: str, item_id: str, root: Path | None = None
) -> tuple[dict[str, Any] | None, str | None]:
    """Load one saved answer and say what happened if the file was damaged.

    Returns ``(record or None, notice or None)``. An unreadable file is moved
    aside (never overwritten); if its ``.bak`` can be read, that version is put
    back and returned with a notice. Raises :class:`UnreadableAnswer` only when
    nothing could be recovered.
    """
    path = record_path(lesson, kind, item_id, root)
    try:
        if not path.exists():
            return None, None
    except PermissionError as exc:  # the answers folder itself cannot be read
        raise UnreadableAnswer(path, None, _reason(exc)) from None
    try:
        return _read_record(path), None
    except PermissionError as exc:
        # Another program holds the file: it may be fine, so leave it alone.
        raise UnreadableAnswer(path, None, _reason(exc)) from None
    except READ_ERRORS as exc:
        reason = _reason(exc)
    moved = _move_aside(path)
    bak = path.with_name(path.name + ".bak")
    if bak.exists():
        try:
            record = _read_record(bak)
        except READ_ERRORS:
            pass
        else:
            atomic_write_text(path, to_json(record), keep_previous=False)
            notice = (
                f"Your saved answer file {path.name} could not be read ({reason}). It was kept as "
                f"{moved.name}, and your previous version (saved {record.get('saved_at', 'earlier')}) is back."
            )
            return record, notice
    raise UnreadableAnswer(path, moved, reason)


def load(lesson: str, kind: str, item_id: str, root: Path | None = None) -> dict[str, Any] | None:
    """Load one saved answer, or None if there is none.

    If the file is unreadable it is moved aside; the previous version (``.bak``)
    is returned if that one can be read. Raises :class:`UnreadableAnswer` only
    when nothing could be recovered, so the caller can tell the student.
    """
    return load_with_notice(lesson, kind, item_id, root)[0]


def save(lesson: str, kind: str, item_id: str, payload: dict[str, Any], root: Path | None = None) -> Path:
    """Save one answer atomically and return the file it went to.

    If the current file cannot be read it is moved aside first (with a warning),
    so a damaged file is never overwritten and the good ``.bak`` is kept.
    """
    record = {"format": FORMAT, "lesson": lesson, "kind": kind, "id": item_id, "saved_at": now_iso(), **payload}
    path = record_path(lesson, kind, item_id, root)
    if path.exists():
        try:
            _read_record(path)
        except PermissionError:
            pass  # held by another program: the replace below retries
        except READ_ERRORS as exc:
            moved = _move_aside(path)
            warnings.warn(
                f"The saved answer file {path.name} could not be read ({_reason(exc)}); "
                f"it was kept as {moved.name} and your new answer saved.",
                stacklevel=2,
            )
    atomic_write_text(path, to_json(record))
    _remove_stale_temps(path)
    return path


def whole_number(value: object) -> int:
    """A count read from a saved record (``attempts``): a whole number of at least 0, else 0.

    Saved files can be edited by hand or come from another version: ``"two"``, ``2.5``, ``true`` or a
    list must not stop a lesson from opening.
    """
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return 0
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return 0
    return max(0, number)


def not_saved_message(what: str, exc: BaseException) -> str:
    """What every widget that saves says when a save fails (read-only folder, disk full, ...)."""
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return (
        f"Could not save your {what} ({reason}). It is shown here but it is NOT saved: copy it somewhere "
        "safe, and tell your teacher."
    )


def _remove_stale_temps(path: Path, age: float = STALE_TEMP_SECONDS) -> None:
    """Delete temporary files of ``path`` left by a save that was killed (older than ``age`` seconds)."""
    cutoff = time.time() - age
    for tmp in path.parent.glob(f".{path.name}.*.tmp"):
        with contextlib.suppress(OSError):
            if tmp.stat().st_mtime < cutoff:
                tmp.unlink()


def to_json(doc: Any) -> str:
    """JSON text, readable UTF-8 where possible; text that UTF-8 cannot hold (a lone surrogate
    from a browser) is kept as ``\\uXXXX`` escapes instead of failing the save."""
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(doc, ensure_ascii=True, indent=1)
    return text


def _answer_files(base: Path, problems: list[str]) -> list[Path]:
    """The answer files ``<lesson>/<kind>-<id>.json`` under ``base``; a folder that cannot be listed is
    reported in ``problems`` (instead of looking empty)."""
    found: list[Path] = []
    try:
        if not base.is_dir():
            return found
        lessons = sorted((e for e in os.scandir(base) if e.is_dir()), key=lambda e: e.name)
    except OSError as exc:
        problems.append(f"{base}: the answers folder could not be read ({_reason(exc)})")
        return found
    for entry in lessons:
        try:
            names = sorted(e.name for e in os.scandir(entry.path) if e.name.endswith(".json") and e.is_file())
        except OSError as exc:
            problems.append(f"{entry.name}/: this lesson's answers could not be read ({_reason(exc)})")
            continue
        found += [Path(entry.path) / n for n in names]
    return found


def load_all(root: Path | None = None) -> tuple[list[dict[str, Any]], list[str]]:
    """Every readable answer under the folder, plus messages about files that could not be read.

    Nothing is moved or changed. When an answer file cannot be read but its
    ``.bak`` can, the ``.bak`` version is included and the message says so.
    """
    base = root if root is not None else answers_dir()
    records: list[dict[str, Any]] = []
    problems: list[str] = []
    for path in _answer_files(base, problems):
        try:
            records.append(_read_record(path))
            continue
        except READ_ERRORS as exc:
            reason = _reason(exc)
        name = path.relative_to(base).as_posix()
        bak = path.with_name(path.name + ".bak")
        try:
            records.append(_read_record(bak))
        except READ_ERRORS:
            problems.append(f"{name}: could not be read ({reason}); left as it is")
        else:
            problems.append(f"{name}: could not be read ({reason}); the previous version ({bak.name}) was used")
    records.sort(key=lambda r: (str(r.get("lesson")), str(r.get("kind")), str(r.get("id"))))
    return records, problems


def display_path(path: Path) -> str:
    """A short path for messages: relative to the current folder when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


# ---------------------------------------------------------------- the student's name


def student_name(root: Path | None = None) -> str:
    """The name the student typed for their downloads ('' if none or unreadable)."""
    path = (root if root is not None else answers_dir()) / STUDENT_FILE
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
    except READ_ERRORS:
        return ""
    name = data.get("student") if isinstance(data, dict) else None
    return name.strip() if isinstance(name, str) else ""


def set_student_name(name: str, root: Path | None = None) -> Path:
    """Remember the student's name for the next download."""
    path = (root if root is not None else answers_dir()) / STUDENT_FILE
    doc = {"format": FORMAT, "student": name.strip(), "saved_at": now_iso()}
    atomic_write_text(path, to_json(doc), keep_previous=False)
    return path


# ---------------------------------------------------------------- flushing at exit


class Flushable(Protocol):
    def flush(self) -> Any: ...


_PENDING: weakref.WeakSet[Flushable] = weakref.WeakSet()


def register_pending(saver: Flushable) -> None:
    """Make sure ``saver.flush()`` runs at interpreter exit and on SIGTERM or SIGHUP."""
    _PENDING.add(saver)
    _flush_on_signals()


_SIGNALS_HANDLED: set[int] = set()


def _flush_on_signals() -> None:
    """Flush pending savers on SIGTERM and SIGHUP, then do what the signal did before (once per process).

    Python's default action for these signals ends the process without running ``atexit``. Where
    signals cannot be handled (not the main thread, a browser-only Python), nothing changes.
    """
    import signal

    for name in ("SIGTERM", "SIGHUP"):
        number = getattr(signal, name, None)
        if number is None or number in _SIGNALS_HANDLED:
            continue
        try:
            previous = signal.getsignal(number)

            def handler(signum: int, frame: Any, previous: Any = previous) -> None:
                _on_signal(previous, signum, frame)

            signal.signal(number, handler)
        except (ValueError, OSError, RuntimeError, AttributeError):
            continue
        _SIGNALS_HANDLED.add(number)


def _on_signal(previous: Any, signum: int, frame: Any) -> None:
    import signal

    flush_pending()
    if callable(previous):
        previous(signum, frame)
    elif previous != signal.SIG_IGN:
        signal.signal(signum, signal.SIG_DFL)
        os.kill(os.getpid(), signum)


def flush_pending() -> int:
    """Flush every registered saver now; return how many flushed without error."""
    done = 0
    for saver in list(_PENDING):
        try:
            saver.flush()
        except Exception:  # at exit, one failure must not stop the others
            continue
        done += 1
    return done


atexit.register(flush_pending)
