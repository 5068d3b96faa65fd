"""A release agrees with itself: one version, CITATION.cff, CHANGELOG.md, the README's links and the hooks.

The version is written once (src/lessonkit/_version.py, read by hatch at build time); CITATION.cff is
validated against the Citation File Format 1.2.0 schema (tests/schemas/, see its README).
"""

from __future__ import annotations

import datetime
import functools
import importlib.util
import json
import re
import shutil
import sys
import tomllib
from pathlib import Path
from types import ModuleType

import jsonschema
import pytest
import yaml

import lessonkit
from lessonkit.lesson import Lesson
from lessonkit.render import theme

ROOT = Path(__file__).resolve().parents[1]
SCHEMA = Path(__file__).resolve().parent / "schemas" / "cff-1.2.0.schema.json"
HEADING = re.compile(r"^## (\S+)(?: - (\d{4}-\d{2}-\d{2}))?\s*$", re.MULTILINE)


def _citation() -> dict:
    return yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))


def _as_json(value: object) -> object:
    """YAML's dates as the strings CFF writes them in (the schema is JSON: it knows no dates)."""
    if isinstance(value, dict):
        return {k: _as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_as_json(v) for v in value]
    return value.isoformat() if isinstance(value, datetime.date) else value


def _releases() -> list[tuple[str, str]]:
    """CHANGELOG.md's release headings, newest first, as (version, date); ``## Unreleased`` is skipped."""
    found = HEADING.findall((ROOT / "CHANGELOG.md").read_text(encoding="utf-8"))
    return [(version, date) for version, date in found if version.lower() != "unreleased"]


@functools.cache
def _release_links() -> ModuleType:
    """tools/release_links.py, imported (registered first: its dataclass looks its module up)."""
    spec = importlib.util.spec_from_file_location("release_links", ROOT / "tools" / "release_links.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------- one version


def test_the_version_is_written_once() -> None:
    """pyproject.toml takes the version from _version.py; no other source file types it."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["hatch"]["version"]["path"] == "src/lessonkit/_version.py"
    assert re.fullmatch(r"\d+\.\d+\.\d+", lessonkit.__version__)
    typed = [p.relative_to(ROOT).as_posix() for p in (ROOT / "src" / "lessonkit").rglob("*.py")
             if lessonkit.__version__ in p.read_text(encoding="utf-8")]
    assert typed == ["src/lessonkit/_version.py"], typed


def test_every_lesson_header_shows_the_version_and_the_corrections_log() -> None:
    header = Lesson("07").header().value
    assert f"lessonkit {lessonkit.__version__} · corrections: docs/corrections.md" in header
    footer = re.search(r'<p class="lk-header-footer" style="([^"]*)">', header)
    assert footer, "the footer is its own paragraph, inside the header card"
    assert header.index(footer.group(0)) > header.index("</dl>") and header.endswith("</p></div>")
    # Smaller type, still readable: its colour on the card's background passes WCAG AA (4.5:1) with room.
    assert "font-size:0.9em" in footer.group(1) and f"color:{theme.SOFT_INK}" in footer.group(1)
    background = re.search(r"background:(#[0-9A-Fa-f]{6})", theme.CARD_STYLE)
    assert background and _contrast(theme.SOFT_INK, background.group(1)) >= 7


def _contrast(ink: str, paper: str) -> float:
    """WCAG 2 contrast ratio of two #RRGGBB colours."""

    def luminance(colour: str) -> float:
        channels = [int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
        r, g, b = (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    high, low = sorted((luminance(ink), luminance(paper)), reverse=True)
    return (high + 0.05) / (low + 0.05)


# ---------------------------------------------------------------- CITATION.cff and CHANGELOG.md


def test_citation_cff_is_valid_citation_file_format_1_2_0() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$id"] == "https://citation-file-format.github.io/1.2.0/schema.json"
    citation = _citation()
    validator = jsonschema.Draft7Validator(schema, format_checker=jsonschema.Draft7Validator.FORMAT_CHECKER)
    errors = [f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}"
              for e in validator.iter_errors(_as_json(citation))]
    assert errors == [], "\n".join(errors)
    # Typed as CFF tools expect them, not only as the schema allows:
    assert isinstance(citation["version"], str), "quote the version: 0.10 would read as a number"
    assert isinstance(citation["date-released"], datetime.date)


def test_the_validator_sees_a_bad_citation() -> None:
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    bad = _as_json({**_citation(), "cff-version": "1.1.0", "licence": "MIT"})
    bad.pop("authors")
    messages = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(bad)]
    assert any("'authors' is a required property" in m for m in messages), messages
    assert any("licence" in m for m in messages) and any("1.1.0" in m for m in messages), messages


def test_citation_changelog_and_package_agree() -> None:
    citation = _citation()
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    releases = _releases()
    assert releases, "CHANGELOG.md has no '## X.Y.Z - YYYY-MM-DD' heading"
    newest_version, newest_date = releases[0]
    assert citation["version"] == newest_version == lessonkit.__version__
    assert citation["date-released"].isoformat() == newest_date
    assert citation["license"] == project["license"]
    assert [a["name"] for a in citation["authors"]] == [a["name"] for a in project["authors"]]
    assert citation["title"].startswith(project["name"])


def test_changelog_releases_are_dated_and_newest_first() -> None:
    releases = _releases()
    assert all(re.fullmatch(r"\d+\.\d+\.\d+", v) and d for v, d in releases), releases
    versions = [tuple(int(n) for n in v.split(".")) for v, _ in releases]
    assert versions == sorted(versions, reverse=True) and len(set(versions)) == len(versions)
    dates = [d for _, d in releases]
    assert dates == sorted(dates, reverse=True)
    assert ("0.1.0", "2026-11-26") in releases


# ---------------------------------------------------------------- the repository's address and the tag


def test_readme_and_citation_links_use_the_one_address_and_the_tag() -> None:
    tool = _release_links()
    release = tool.read_release(ROOT)
    assert release.version == lessonkit.__version__ and release.tag == f"v{lessonkit.__version__}"
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert release.repository == project["tool"]["lessonkit"]["repository"] == _citation()["repository-code"]
    assert tool.problems(ROOT) == []
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert release.binder() in readme and release.nbgitpuller() in readme
    assert f"git tag -a {release.tag} -m" in readme and f"git push origin {release.tag}" in readme


@pytest.fixture
def checkout(tmp_path: Path) -> Path:
    """The files release_links.py reads, copied to a temp folder."""
    for name in ("pyproject.toml", "README.md", "CITATION.cff", "src/lessonkit/_version.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        ("README.md", "REPO/v0.2.0?", "REPO/main?", "pinned to 'main', not the tag"),
        ("README.md", "&branch=release-0.2.0&", "&branch=v0.2.0&", "pulls branch 'v0.2.0'"),
        ("README.md", "git push origin v0.2.0", "git push origin v0.1.9", "names the tag v0.1.9"),
        ("README.md", "gh/OWNER/REPO/", "gh/someone/lessonkit/", "names 'someone/lessonkit'"),
        ("CITATION.cff", "repository-code: \"https://github.com/OWNER/REPO\"",
         "repository-code: \"https://github.com/OWNER/other\"", "repository-code is"),
        ("src/lessonkit/_version.py", '"0.2.0"', '"0.3.0"', "not the tag 'v0.3.0'"),
        ("pyproject.toml", 'repository = "https://github.com/OWNER/REPO"',
         'repository = "https://github.com/school/lessons"', "the placeholder OWNER/REPO is still here"),
    ],
    ids=["binder on main", "nbgitpuller on a tag", "another tag", "another repository", "citation",
         "version bumped alone", "address set, links not"],
)
def test_the_link_check_sees_a_disagreement(checkout: Path, name: str, old: str, new: str, expected: str) -> None:
    path = checkout / name
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{name} no longer has {old!r}: update this test"
    path.write_text(text.replace(old, new), encoding="utf-8")
    found = _release_links().problems(checkout)
    assert any(expected in p for p in found), found


# ---------------------------------------------------------------- maintainer habits


def test_pre_commit_config_runs_ruff_nbstripout_and_lessonkit_check() -> None:
    config = yaml.safe_load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    hooks = {hook["id"]: (repo, hook) for repo in config["repos"] for hook in repo["hooks"]}
    assert set(hooks) == {"ruff-check", "nbstripout", "lessonkit-check"}
    for hook_id in ("ruff-check", "nbstripout"):
        repo, _ = hooks[hook_id]
        assert repo["repo"].startswith("https://github.com/")
        assert re.fullmatch(r"v?\d+\.\d+\.\d+", repo["rev"]), f"{hook_id}: pin a released version, not {repo['rev']}"
    assert "ruff-format" not in hooks, "the code is not formatted with ruff format"
    assert hooks["ruff-check"][1]["files"] == "^(src|tests|tools|bench)/"  # what tests/test_style.py lints
    strip = hooks["nbstripout"][1]
    assert re.search(strip["files"], "lessons/07_the_red_guard.ipynb")
    assert not re.search(strip["files"], "tests/browser/fixtures/demo_lesson.ipynb")
    assert "--keep-id" in strip["args"]  # the cells keep tools/nbbuild.py's ids
    local, check = hooks["lessonkit-check"]
    assert local["repo"] == "local" and check["entry"] == "lessonkit check" and check["pass_filenames"] is False
    assert all(re.search(check["files"], f) for f in ("data/places.csv", "lessons/07_the_red_guard.ipynb"))


def test_contributing_points_to_the_docs_it_does_not_copy() -> None:
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    for named in ("docs/authoring.md", "docs/architecture.md", "docs/corrections.md", "data/sources.csv",
                  "data/README.md", ".pre-commit-config.yaml", "CHANGELOG.md"):
        assert named in text, named
        assert named == ".pre-commit-config.yaml" or named == "CHANGELOG.md" or (ROOT / named).is_file()
    assert "page" in text and "quotation" in text


def test_binder_requirements_name_files_that_exist():
    """Binder installs requirements.txt: every ``-c``/``-r`` file it names must exist.

    A typo there breaks every Binder link."""
    lines = [ln.strip() for ln in (ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines()]
    named = [ln.split(None, 1)[1] for ln in lines if ln.startswith(("-c ", "-r "))]
    assert named, "requirements.txt should pin through constraints.txt"
    for name in named:
        assert (ROOT / name).is_file(), f"requirements.txt names {name!r}, which does not exist"
    assert ".[lab]" in lines
