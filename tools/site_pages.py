"""The site's page chrome and its Markdown pages (tools/build_site.py).

Every page is a lessonkit printable page (:func:`lessonkit.teacher.printable.page`: the theme's colours
as CSS variables, a ``generator`` meta tag) with the site's navigation on top. Markdown files from the
repository (the corrections log, the data provenance, the teaching notes, the licences) become pages
with their relative links rewritten: a link to a file that is a page of the site goes to that page, a
link to any other file of the repository goes to that file in the released repository (an address off
the site, which a reader may follow when online), and anchors within a page stay as they are.
"""

from __future__ import annotations

import html
import posixpath
import re
from collections.abc import Callable

import mistune

from lessonkit.teacher.printable import page

esc = html.escape

NAV_CSS = """
nav.lk-site-nav { display: flex; flex-wrap: wrap; gap: 0.4rem 1.2rem; align-items: baseline;
  border-bottom: 1px solid var(--lk-rule); padding-bottom: 0.5rem; margin-bottom: 1rem; font-size: 0.95rem; }
nav.lk-site-nav .lk-site-name { font-weight: bold; margin-right: auto; }
"""
SITE_CSS = (
    NAV_CSS
    + """
main { max-width: 62rem; }
aside.lk-site-open { border: 2px solid var(--lk-accent); border-radius: 6px; background: var(--lk-tint);
  padding: 0.5rem 1rem; margin: 0.5rem 0 1.2rem; }
aside.lk-site-open p { margin: 0.3rem 0; }
p.lk-site-needs-kernel { font-size: 0.92rem; color: var(--lk-soft); border-left: 4px solid var(--lk-accent);
  padding: 0.2rem 0.6rem; margin: 0.3rem 0 1.2rem; }
details.lk-site-code { margin: 0.6rem 0 0.2rem; font-size: 0.9rem; }
details.lk-site-code summary { color: var(--lk-soft); cursor: pointer; }
details.lk-site-code pre { background: var(--lk-answer); border: 1px solid var(--lk-line); padding: 0.5rem;
  overflow-x: auto; }
pre.lk-stream { background: var(--lk-answer); padding: 0.4rem 0.6rem; white-space: pre-wrap; }
.lk-site-figure { width: 100%; min-height: 360px; margin: 0.5rem 0; }
.lk-static-box { display: flex; flex-direction: column; gap: 0.3rem; }
.lk-static-row { flex-direction: row; flex-wrap: wrap; align-items: center; }
.lk-static-choices ul { list-style: none; padding-left: 0.5rem; margin: 0.2rem 0; }
.lk-static-toggle, .lk-static-button { margin: 0.1rem 0.2rem 0.1rem 0; padding: 0.25rem 0.7rem;
  border: 1px solid var(--lk-rule); border-radius: 3px; background: var(--lk-paper); color: var(--lk-ink); }
.lk-static-on { background: var(--lk-head); border-color: var(--lk-accent); font-weight: bold; }
.lk-static-text textarea { width: 100%; max-width: 48rem; }
.lk-static-hint { color: var(--lk-soft); font-size: 0.9rem; }
.lk-static-label { font-weight: bold; }
table.lk-site-lessons td, table.lk-site-lessons th { vertical-align: top; padding: 0.3rem 0.6rem; }
"""
)


def chrome(title: str, body: str, depth: int, here: str = "") -> str:
    """A whole page: the site's navigation, ``body``, and the page's title; ``depth`` is its folder depth."""
    return page(title, nav(depth, here) + body, css=SITE_CSS)


def with_nav(page_html: str, depth: int) -> str:
    """A page written by another lessonkit command (the guide, a handout) with the site's navigation on top."""
    style = "<style>" + NAV_CSS + "</style>\n</head>"
    return page_html.replace("</head>", style, 1).replace("<main>", "<main>" + nav(depth, "teacher/index.html"), 1)


def nav(depth: int, here: str = "") -> str:
    """The site's navigation bar for a page ``depth`` folders below the site's root."""
    up = "../" * depth
    links = [("index.html", "Lessons"), ("teacher/index.html", "For teachers"), ("lite/index.html", "Interactive")]
    items = "".join(
        f'<a href="{up}{href}"{" aria-current=page" if href == here else ""}>{esc(text)}</a>' for href, text in links
    )
    return (
        f'<nav class="lk-site-nav no-print" aria-label="Site"><span class="lk-site-name">'
        f'<a href="{up}index.html">The Russian Revolution of 1917: lessons</a></span>{items}</nav>'
    )


def slug(text: str) -> str:
    """A heading's anchor, as GitHub makes it (lower case, punctuation dropped, spaces to hyphens)."""
    text = re.sub(r"<[^>]+>", "", html.unescape(text)).strip().lower()
    return re.sub(r"\s", "-", re.sub(r"[^\w\s-]", "", text))


class _Renderer(mistune.HTMLRenderer):
    def __init__(self, link_for: Callable[[str], str]):
        super().__init__(escape=False)
        self.link_for = link_for
        self.seen: dict[str, int] = {}

    def heading(self, text: str, level: int, **attrs) -> str:
        anchor = slug(text)
        n = self.seen.get(anchor, 0)
        self.seen[anchor] = n + 1
        if n:
            anchor = f"{anchor}-{n}"
        return f'<h{level} id="{esc(anchor)}">{text}</h{level}>\n'

    def link(self, text: str, url: str, title: str | None = None) -> str:
        return super().link(text, self.link_for(url), title)


def markdown_page(
    text: str, source: str, pages: dict[str, str], page_path: str, repository_file: Callable[[str], str]
) -> str:
    """The HTML of a Markdown file at repository path ``source``, shown as the site page ``page_path``.

    ``pages`` maps repository paths to site paths; ``repository_file(path)`` gives a file's address in the
    released repository.
    """

    def link_for(url: str) -> str:
        if re.match(r"^[a-z][a-z0-9+.-]*:", url) or url.startswith("#"):
            return url
        target, _, anchor = url.partition("#")
        repo_path = posixpath.normpath(posixpath.join(posixpath.dirname(source), target))
        if repo_path in pages:
            rel = posixpath.relpath(pages[repo_path], posixpath.dirname(page_path) or ".")
            return rel + (f"#{anchor}" if anchor else "")
        return repository_file(repo_path) + (f"#{anchor}" if anchor else "")

    render = mistune.create_markdown(renderer=_Renderer(link_for), plugins=["table", "strikethrough"])
    return str(render(text))


def markdown_text(text: str) -> str:
    """A lesson's Markdown cell as HTML (lesson cells hold no links to files; see markdown_page for those)."""
    return markdown_page(text, "lessons/cell.md", {}, "lessons/cell.html", lambda path: path)
