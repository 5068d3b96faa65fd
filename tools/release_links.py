"""Check that README.md and CITATION.cff point at one repository address and one release.

The repository's public address is written once, as ``repository`` in the ``[tool.lessonkit]`` table of
pyproject.toml. It is not known yet, so it is the placeholder ``https://github.com/OWNER/REPO``. The
release is the version in ``src/lessonkit/_version.py``, tagged ``v<version>``. This script checks:

- every Binder link is pinned to the tag: ``https://mybinder.org/v2/gh/OWNER/REPO/v0.2.0?urlpath=...``;
- every nbgitpuller link names the repository and the branch ``release-<version>`` made at the tag, and
  opens a notebook in the folder it clones into (``lab/tree/REPO/...``). nbgitpuller needs a branch:
  it can clone a tag, but the next click fails, because it updates by merging ``origin/<branch>``;
- CITATION.cff's ``repository-code`` is the address, and every link to the repository's owner uses it;
- every release tag or release branch README.md names is this release's;
- once the address is set, no ``OWNER/REPO`` placeholder is left behind.

    python tools/release_links.py     # names each link that disagrees, and the links expected; exit 1 if any
"""

from __future__ import annotations

import re
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

ROOT = Path(__file__).resolve().parents[1]
PLACEHOLDER = "https://github.com/OWNER/REPO"
FILES = ("README.md", "CITATION.cff")
FIRST_LESSON = "lessons/00_start_here.ipynb"
_URL = re.compile(r"https?://[^\s<>\"'`)\]]+")
_TAG = re.compile(r"(?<![\w.-])v\d+\.\d+\.\d+\b")
_BRANCH = re.compile(r"\brelease-\d+\.\d+\.\d+\b")


@dataclass(frozen=True)
class Release:
    """The repository's address (``[tool.lessonkit] repository``) and the package version."""

    repository: str
    version: str

    @property
    def slug(self) -> str:
        """``OWNER/NAME`` of the repository."""
        return urlsplit(self.repository).path.strip("/")

    @property
    def tag(self) -> str:
        return f"v{self.version}"

    @property
    def branch(self) -> str:
        """The branch made at the tag, for nbgitpuller (which cannot update from a tag)."""
        return f"release-{self.version}"

    def binder(self, urlpath: str = f"lab/tree/{FIRST_LESSON}") -> str:
        return f"https://mybinder.org/v2/gh/{self.slug}/{self.tag}?urlpath={urlpath}"

    def nbgitpuller(self, hub: str = "HUB", notebook: str = FIRST_LESSON) -> str:
        name = self.slug.split("/")[-1]
        return (f"https://{hub}/hub/user-redirect/git-pull?repo={self.repository}&branch={self.branch}"
                f"&urlpath=lab/tree/{name}/{notebook}")


def read_release(root: Path = ROOT) -> Release:
    """The address from pyproject.toml and the version from src/lessonkit/_version.py, as written there."""
    tool = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8")).get("tool", {})
    repository = tool.get("lessonkit", {}).get("repository", "")
    text = (root / "src" / "lessonkit" / "_version.py").read_text(encoding="utf-8")
    match = re.search(r'^__version__ = "([^"]+)"$', text, re.MULTILINE)
    return Release(str(repository), match.group(1) if match else "")


def _binder_problems(url: str, release: Release) -> list[str]:
    rest = urlsplit(url).path.removeprefix("/v2/gh/").split("/")
    slug, ref = "/".join(rest[:2]), "/".join(rest[2:])
    found = []
    if slug != release.slug:
        found.append(f"Binder link names {slug!r}, not {release.slug!r}")
    if ref != release.tag:
        found.append(f"Binder link is pinned to {ref!r}, not the tag {release.tag!r}")
    return found


def _nbgitpuller_problems(url: str, release: Release) -> list[str]:
    query = parse_qs(urlsplit(url).query)
    repo, branch, urlpath = (query.get(key, [""])[0] for key in ("repo", "branch", "urlpath"))
    name = release.slug.split("/")[-1]
    found = []
    if repo.removesuffix(".git") != release.repository:
        found.append(f"nbgitpuller link pulls {repo!r}, not {release.repository!r}")
    if branch != release.branch:
        found.append(f"nbgitpuller link pulls branch {branch!r}, not {release.branch!r} (made at {release.tag})")
    if not urlpath.startswith(f"lab/tree/{name}/"):
        found.append(f"nbgitpuller link opens {urlpath!r}, outside the folder it clones into ({name}/)")
    return found


def problems(root: Path = ROOT) -> list[str]:
    """Every disagreement, as ``file:line: what``; empty when all links agree."""
    release = read_release(root)
    if not re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", release.repository):
        return [f"pyproject.toml: [tool.lessonkit] repository must be https://github.com/OWNER/NAME, "
                f"not {release.repository!r}"]
    if not re.fullmatch(r"\d+\.\d+\.\d+", release.version):
        return [f"src/lessonkit/_version.py: no version of the form X.Y.Z (found {release.version!r})"]
    owner = release.slug.split("/")[0]
    found: list[str] = []
    seen = {"binder": 0, "nbgitpuller": 0, "repository-code": 0}
    for name in FILES:
        for number, line in enumerate((root / name).read_text(encoding="utf-8").splitlines(), start=1):
            where = f"{name}:{number}"
            if release.repository != PLACEHOLDER and "OWNER/REPO" in line:
                found.append(f"{where}: the placeholder OWNER/REPO is still here")
            for url in (u.rstrip(".,;:") for u in _URL.findall(line)):
                parts = urlsplit(url)
                if parts.netloc == "mybinder.org" and parts.path.startswith("/v2/gh/"):
                    seen["binder"] += 1
                    found += [f"{where}: {p}" for p in _binder_problems(url, release)]
                elif parts.path.endswith("/git-pull"):
                    seen["nbgitpuller"] += 1
                    found += [f"{where}: {p}" for p in _nbgitpuller_problems(url, release)]
                elif parts.netloc == "github.com" and parts.path.strip("/").split("/")[0] == owner:
                    path = parts.path.strip("/").removesuffix(".git")
                    if path != release.slug and not path.startswith(release.slug + "/"):
                        found.append(f"{where}: {url} is not in {release.repository}")
            if name == "CITATION.cff" and line.startswith("repository-code:"):
                seen["repository-code"] += 1
                value = line.split(":", 1)[1].strip().strip("\"'")
                if value != release.repository:
                    found.append(f"{where}: repository-code is {value!r}, not {release.repository!r}")
            if name == "README.md":
                found += [f"{where}: names the tag {tag}, not {release.tag}"
                          for tag in _TAG.findall(line) if tag != release.tag]
                found += [f"{where}: names the branch {branch}, not {release.branch}"
                          for branch in _BRANCH.findall(line) if branch != release.branch]
    found += [f"no {what} found in {', '.join(FILES)}: nothing to check" for what, n in seen.items() if not n]
    return found


def main() -> int:
    release = read_release()
    found = problems()
    for problem in found:
        print(problem)
    if found:
        print(f"\nExpected, for {release.repository} at {release.tag}:\n  {release.binder()}\n"
              f"  {release.nbgitpuller()}")
        return 1
    print(f"README.md and CITATION.cff agree: {release.repository}, tag {release.tag}, branch {release.branch}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
