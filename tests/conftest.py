"""Test-wide set-up: no test, notebook or kernel ever writes to a real student's answers folder."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "lessons").glob("*.ipynb"))


def pytest_configure(config: pytest.Config) -> None:
    """Point LESSONKIT_ANSWERS at a fresh temporary folder before any kernel starts (kernels inherit it)."""
    if not os.environ.get("LESSONKIT_TEST_ANSWERS_SET"):
        folder = tempfile.mkdtemp(prefix="lessonkit-test-answers-")
        os.environ["LESSONKIT_ANSWERS"] = folder
        os.environ["LESSONKIT_TEST_ANSWERS_SET"] = "1"


@pytest.fixture
def answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private answers folder for one test."""
    folder = tmp_path / "answers"
    monkeypatch.setenv("LESSONKIT_ANSWERS", str(folder))
    return folder

