"""The widget front end the servers install is one that draws every Voila page on a busy machine.

jupyterlab_widgets 3.0.17 (ipywidgets 8.1.9) made ``get_model`` poll for a model for 2 s and then fail
for good. Voila renders a lesson's outputs before its widget manager has the models from the kernel;
when they arrive in the last poll interval the widget shows "Error displaying widget: model not found"
for as long as the page is open (seen in CI; measured in docs/performance.md). These tests fail if
the exclusion is dropped from the package, the Binder pins or the installed environment.
"""

from __future__ import annotations

import importlib.metadata
import re
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BAD = "3.0.17"


def _lab_extra() -> list[str]:
    with open(ROOT / "pyproject.toml", "rb") as fh:
        return tomllib.load(fh)["project"]["optional-dependencies"]["lab"]


def test_the_servers_extra_leaves_out_the_front_end_that_loses_widgets() -> None:
    pins = [p for p in _lab_extra() if re.match(r"jupyterlab[_-]widgets\b", p)]
    assert pins, "the [lab] extra should name jupyterlab_widgets with 3.0.17 left out"
    assert f"!={BAD}" in pins[0], pins


def test_binder_constraints_do_not_pin_it() -> None:
    text = (ROOT / "constraints.txt").read_text(encoding="utf-8")
    pinned = dict(re.findall(r"^([A-Za-z0-9_.-]+)==(\S+)", text, flags=re.M))
    assert pinned.get("jupyterlab_widgets") not in (None, BAD), pinned
    assert pinned.get("ipywidgets") != "8.1.9", "ipywidgets 8.1.9 requires jupyterlab_widgets 3.0.17"


def test_the_installed_front_end_is_not_it() -> None:
    try:
        version = importlib.metadata.version("jupyterlab_widgets")
    except importlib.metadata.PackageNotFoundError:
        pytest.skip("jupyterlab_widgets is not installed (no server in this environment)")
    assert version != BAD, "reinstall with pip install -e '.[test]': the [lab] extra leaves 3.0.17 out"
