"""A fresh copy of the lesson notebooks in a folder of the user's choice, never over a student's edits.

``lessonkit copy-lessons DIR`` (a hub's start-up script, a student's laptop) copies the notebooks that
came with the installed package. A manifest in the folder (``.lessonkit-lessons.json``) remembers
what each copied file was; on the next run a file that still is what was copied is brought up to
date, and a file that was changed since (a student's notes, their outputs) is kept as it is.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from lessonkit.model.journal import atomic_write_text

MANIFEST = ".lessonkit-lessons.json"


def digest(path: Path) -> str:
    """The SHA-256 of a file's bytes."""
    return hashlib.sha256(path.read_bytes()).hexdigest()


@dataclass(frozen=True)
class Outcome:
    """What happened to one notebook: 'copied', 'updated', 'up to date', 'kept (edited)' or 'replaced'."""

    name: str
    action: str


def copy_lessons(source: Path, target: Path, force: bool = False) -> list[Outcome]:
    """Copy every ``NN_*.ipynb`` from ``source`` into ``target``; a changed copy is kept unless ``force``."""
    notebooks = sorted(source.glob("[0-9][0-9]_*.ipynb"))
    if not notebooks:
        raise FileNotFoundError(f"no lesson notebooks in {source}")
    target.mkdir(parents=True, exist_ok=True)
    manifest_path = target / MANIFEST
    try:
        known = json.loads(manifest_path.read_text(encoding="utf-8"))
        known = known if isinstance(known, dict) else {}
    except (OSError, ValueError):
        known = {}
    outcomes: list[Outcome] = []
    for nb in notebooks:
        dest = target / nb.name
        fresh = digest(nb)
        if dest.exists():
            current = digest(dest)
            if current == fresh:
                outcomes.append(Outcome(nb.name, "up to date"))
                known[nb.name] = fresh
                continue
            if current != known.get(nb.name) and not force:
                outcomes.append(Outcome(nb.name, "kept (edited)"))
                continue
            action = "updated" if current == known.get(nb.name) else "replaced"
        else:
            action = "copied"
        tmp = dest.with_name(f".{dest.name}.copying")
        shutil.copyfile(nb, tmp)
        tmp.replace(dest)
        known[nb.name] = fresh
        outcomes.append(Outcome(nb.name, action))
    atomic_write_text(manifest_path, json.dumps(known, indent=1, sort_keys=True), keep_previous=False)
    return outcomes
