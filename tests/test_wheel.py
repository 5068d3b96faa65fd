"""Installed as a wheel (how a school builds its hub image): the lessons come with it, and the CLI works."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted(p.name for p in (ROOT / "lessons").glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel built from this checkout, unpacked into a folder of its own (as pip installs it)."""
    tmp = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp), str(ROOT)],
                   check=True, cwd=tmp, timeout=600)
    wheel = next(tmp.glob("lessonkit-*.whl"))
    site = tmp / "site"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    return site


def run(site: Path, cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("LESSONKIT_DATA",)}
    env["PYTHONPATH"] = str(site)  # ahead of the checkout's editable install
    code = "import sys; from lessonkit.cli import main; sys.exit(main(sys.argv[1:]))"
    return subprocess.run([sys.executable, "-c", code, *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=300)


def test_the_wheel_carries_the_lessons(installed: Path) -> None:
    assert sorted(p.name for p in (installed / "lessonkit" / "_lessons").glob("*.ipynb")) == NOTEBOOKS


def test_list_and_check_work_from_the_wheel(installed: Path, tmp_path: Path) -> None:
    listed = run(installed, tmp_path, "list")
    assert listed.returncode == 0, listed.stderr
    rows = [line for line in listed.stdout.splitlines() if line[:2].isdigit()]
    assert len(rows) == len(NOTEBOOKS) and all(" yes " in row for row in rows), listed.stdout
    checked = run(installed, tmp_path, "check")
    assert checked.returncode == 0, checked.stdout[-3000:]


def test_copy_lessons_never_overwrites_a_students_edited_copy(installed: Path, tmp_path: Path) -> None:
    home = tmp_path / "home" / "lessons"
    first = run(installed, tmp_path, "copy-lessons", str(home))
    assert first.returncode == 0, first.stderr
    assert sorted(p.name for p in home.glob("*.ipynb")) == NOTEBOOKS
    edited, stale = home / NOTEBOOKS[7], home / NOTEBOOKS[3]
    edited.write_text(edited.read_text(encoding="utf-8").replace("The Red Guard", "My notes: The Red Guard", 1),
                      encoding="utf-8")
    # an older release's copy, never opened: the manifest says it is what was copied then
    stale.write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    manifest = home / ".lessonkit-lessons.json"
    known = json.loads(manifest.read_text(encoding="utf-8"))
    known[stale.name] = __import__("hashlib").sha256(stale.read_bytes()).hexdigest()
    manifest.write_text(json.dumps(known), encoding="utf-8")
    again = run(installed, tmp_path, "copy-lessons", str(home))
    assert again.returncode == 0, again.stderr
    assert "My notes: The Red Guard" in edited.read_text(encoding="utf-8")
    assert f"kept (edited)  {edited}" in again.stdout
    assert f"updated        {stale}" in again.stdout
    assert stale.read_bytes() == (installed / "lessonkit" / "_lessons" / stale.name).read_bytes()
    forced = run(installed, tmp_path, "copy-lessons", str(home), "--force")
    assert "My notes" not in edited.read_text(encoding="utf-8") and "replaced" in forced.stdout


def test_the_wheel_knows_its_version(installed: Path, tmp_path: Path) -> None:
    """The version written once in _version.py is the wheel's metadata and what the installed CLI prints."""
    from lessonkit import __version__

    (dist_info,) = installed.glob("lessonkit-*.dist-info")
    metadata = (dist_info / "METADATA").read_text(encoding="utf-8")
    assert f"\nVersion: {__version__}\n" in metadata
    assert (installed / "lessonkit" / "_version.py").is_file()
    shown = run(installed, tmp_path, "--version")
    assert (shown.returncode, shown.stdout) == (0, f"lessonkit {__version__}\n"), shown.stderr
