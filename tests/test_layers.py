"""The package's layers: each module imports only from the layers below it, and no file grows too long.

    model/      no plotly, no widgets                  checks/    model only
    render/     model, plotly, IPython's display       teacher/   model, render (never widgets)
    widgets/    model, render, teacher                 explorers/ model, render, teacher, widgets
    lesson.py   everything but teacher/ and cli        cli.py     model, checks, render, teacher
    _version.py the version string, imports nothing; every module may read it

Imports inside functions count too: a lazy import against the direction is still against it.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "lessonkit"
THIRD_PARTY_UI = {"plotly", "ipywidgets", "IPython", "anywidget"}
ALLOWED: dict[str, set[str]] = {
    "model": {"model"},
    "checks": {"model", "checks"},
    "render": {"model", "render", "plotly", "IPython"},
    "teacher": {"model", "render", "teacher", "plotly"},
    "widgets": {"model", "render", "teacher", "widgets", "plotly", "ipywidgets", "IPython"},
    "explorers": {"model", "render", "teacher", "widgets", "explorers", "plotly", "ipywidgets", "IPython"},
    "lesson": {"model", "render", "widgets", "explorers", "plotly", "ipywidgets", "IPython"},
    "cli": {"model", "checks", "render", "teacher", "cli"},
    "__init__": set(),
    "_version": set(),
    "__main__": {"cli"},
}
EVERYWHERE = {"_version"}  # lessonkit/_version.py: one string and no imports, below every layer
MAX_LINES = 600


def _layer(path: Path) -> str:
    rel = path.relative_to(SRC)
    return rel.parts[0] if len(rel.parts) > 1 else rel.stem


def _imports(path: Path) -> set[str]:
    """The layers and UI libraries a module imports (lessonkit.<layer> or plotly, ipywidgets, IPython)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{path.relative_to(SRC)}: relative import; write lessonkit.<layer>.<module>")
            names = [node.module]
            if node.module == "lessonkit":
                names = [f"lessonkit.{a.name}" for a in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "lessonkit" and len(parts) > 1:
                found.add(parts[1])
            elif parts[0] in THIRD_PARTY_UI:
                found.add(parts[0])
    return found


MODULES = sorted(p for p in SRC.rglob("*.py") if "_lessons" not in p.parts)


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SRC)) for p in MODULES])
def test_imports_follow_the_layers(path: Path) -> None:
    layer = _layer(path)
    assert layer in ALLOWED, f"{path.relative_to(SRC)} is in no known layer"
    against = _imports(path) - ALLOWED[layer] - {layer} - EVERYWHERE
    assert not against, f"{path.relative_to(SRC)} ({layer}) imports against the layers: {sorted(against)}"


@pytest.mark.parametrize("path", MODULES, ids=[str(p.relative_to(SRC)) for p in MODULES])
def test_no_module_is_too_long(path: Path) -> None:
    lines = len(path.read_text(encoding="utf-8").splitlines())
    assert lines <= MAX_LINES, f"{path.relative_to(SRC)} has {lines} lines (at most {MAX_LINES}): split it"


def test_the_checker_sees_a_violation(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    source = "def f():\n    from lessonkit.widgets import quiz\n    import plotly.graph_objects\n"
    bad.write_text(source, encoding="utf-8")
    assert _imports(bad) == {"widgets", "plotly"}


LESSONS = sorted((SRC.parents[1] / "lessons").glob("*.ipynb"))


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_notebooks_use_only_the_public_api(path: Path) -> None:
    """A lesson's code imports ``lessonkit as lk`` and nothing else; every ``lk.name`` it uses is exported."""
    import json

    import lessonkit

    cells = [c for c in json.loads(path.read_text(encoding="utf-8"))["cells"] if c["cell_type"] == "code"]
    code = "\n".join("".join(c["source"]) for c in cells)
    imports = [line.strip() for line in code.splitlines() if line.lstrip().startswith(("import ", "from "))]
    assert imports == ["import lessonkit as lk"], f"{path.name} imports {imports}"
    used = set(re.findall(r"\blk\.(\w+)", code))
    missing = used - set(lessonkit.__all__)
    assert not missing, f"{path.name} uses names lessonkit does not export: {sorted(missing)}"


def test_every_answer_writer_uses_a_registered_kind() -> None:
    """``journal.save``/``load``/``load_with_notice`` calls in the package name a kind from ``ANSWER_KINDS``."""
    from lessonkit.model.journal import ANSWER_KINDS

    seen: dict[str, str] = {}
    for path in MODULES:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
                continue
            if node.func.attr in ("save", "load", "load_with_notice") and len(node.args) >= 2:
                kind = node.args[1]
                if isinstance(kind, ast.Constant) and isinstance(kind.value, str):
                    seen[kind.value] = str(path.relative_to(SRC))
    assert seen, "no journal calls found: the test no longer sees the writers"
    unknown = {kind: where for kind, where in seen.items() if kind not in ANSWER_KINDS}
    assert not unknown, f"answer kinds missing from journal.ANSWER_KINDS: {unknown}"
    assert set(seen) == set(ANSWER_KINDS), f"registered kinds no widget writes: {set(ANSWER_KINDS) - set(seen)}"
