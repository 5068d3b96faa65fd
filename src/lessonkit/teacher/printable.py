"""Shared pieces of the printable pages (portfolio, teacher guide, handouts, class report).

Every page is one self-contained HTML file: inline CSS (with print rules), no
scripts, no external resources, so it opens offline and prints on A4 or Letter.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from lessonkit.model.content import LessonContent, lessons_dir, load_lesson_file
from lessonkit.model.data import Dataset
from lessonkit.model.quality import lesson_source_ids
from lessonkit.model.schema import DataError
from lessonkit.render import theme
from lessonkit.render.alt import TextAlternative, table_html

esc = html.escape

BASE_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
html { font-size: 16px; }
body { margin: 0; background: var(--lk-page); color: var(--lk-ink);
  font-family: "Liberation Sans", Arial, "Helvetica Neue", Helvetica, "Noto Sans", "DejaVu Sans", "Segoe UI",
    "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "Noto Sans Arabic", sans-serif,
    "Apple Color Emoji", "Segoe UI Emoji", "Noto Color Emoji";
  line-height: 1.45; }
main { max-width: 48rem; margin: 1.5rem auto; padding: 2rem 2.5rem; background: var(--lk-paper);
  box-shadow: 0 0 0.4rem var(--lk-shadow); }
h1 { font-size: 1.8rem; margin: 0 0 0.3rem; line-height: 1.2; }
h2 { font-size: 1.4rem; margin: 2rem 0 0.6rem; padding-bottom: 0.2rem; border-bottom: 3px solid var(--lk-accent);
  line-height: 1.25; }
h3 { font-size: 1.12rem; margin: 1.4rem 0 0.5rem; color: var(--lk-link); }
h4 { font-size: 1rem; margin: 1rem 0 0.3rem; }
p, li, dd { overflow-wrap: break-word; }
a { color: var(--lk-link); }
.meta { color: var(--lk-soft); margin: 0.2rem 0; }
.box { border: 2px solid var(--lk-accent); border-radius: 6px; padding: 0.5rem 0.9rem; margin: 0.6rem 0;
  background: var(--lk-tint); }
.warn { border: 2px solid var(--lk-warn); border-radius: 6px; padding: 0.5rem 0.9rem; margin: 0.6rem 0;
  background: var(--lk-warn-tint); }
.muted { color: var(--lk-soft); }
.note { font-size: 0.9rem; color: var(--lk-soft); }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; font-size: 0.92rem; }
caption { text-align: left; font-weight: bold; padding: 0.2rem 0; caption-side: top; }
th, td { border: 1px solid var(--lk-rule); padding: 0.3rem 0.45rem; text-align: left; vertical-align: top;
  overflow-wrap: break-word; }
.answer-text { white-space: pre-wrap; overflow-wrap: anywhere; unicode-bidi: plaintext; text-align: start; }
thead th { background: var(--lk-head); }
tbody th { font-weight: normal; }
td.num, th.num { text-align: right; white-space: nowrap; }
.yes { color: var(--lk-good); font-weight: bold; }
.no { color: var(--lk-warn); font-weight: bold; }
dl.terms dt { font-weight: bold; margin-top: 0.35rem; }
dl.terms dd { margin: 0 0 0 1.2rem; }
dl.terms dt:first-child { margin-top: 0; }
nav ol { columns: 2; }
footer { margin-top: 2.5rem; padding-top: 0.5rem; border-top: 1px solid var(--lk-rule); font-size: 0.85rem;
  color: var(--lk-soft); }
@page { margin: 14mm 13mm; }
@media print {
  html { font-size: 11pt; }
  body { background: var(--lk-paper); }
  main { max-width: none; margin: 0; padding: 0; box-shadow: none; }
  a { color: inherit; text-decoration: none; }
  h2, h3, h4 { break-after: avoid; page-break-after: avoid; }
  table, tr, .keep { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  .box, .warn { background: none; }
  .no-print { display: none; }
}
"""


GENERATOR = "lessonkit"
"""Every page lessonkit writes says so in a ``<meta name="generator">``: the commands overwrite only such pages."""


def written_by_lessonkit(path: Path) -> bool:
    """Whether ``path`` is a page or report lessonkit wrote (so writing it again loses nothing of anyone's)."""
    try:
        with open(path, "rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    if f'<meta name="generator" content="{GENERATOR}">'.encode() in head:
        return True
    return head.lstrip(b"\xef\xbb\xbf").startswith(b"student,file,lesson,kind,id,")  # the class report CSV


def page(title: str, body: str, css: str = "", lang: str = "en") -> str:
    """A complete self-contained HTML page (text UTF-8 cannot hold, such as a lone surrogate, becomes '?')."""
    return utf8_safe(
        f'<!DOCTYPE html>\n<html lang="{esc(lang)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f'<meta name="generator" content="{GENERATOR}">\n'
        f"<title>{esc(title)}</title>\n<style>{theme.css_colours()}{BASE_CSS}{css}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def utf8_safe(text: str) -> str:
    """``text`` with anything UTF-8 cannot encode replaced by '?'."""
    return text.encode("utf-8", "replace").decode("utf-8")


def when(iso: object) -> str:
    """An ISO time stamp as people read it, in local time: '26 Nov 2025, 17:40 UTC'."""
    if not isinstance(iso, str) or not iso:
        return ""
    try:
        stamp = datetime.fromisoformat(iso)
        if stamp.tzinfo is not None:
            stamp = stamp.astimezone()
        zone = stamp.strftime("%Z")
        return stamp.strftime("%d %b %Y, %H:%M") + (f" {zone}" if zone else "")
    except (ValueError, OverflowError, OSError):  # not a time, or one the computer cannot convert (year 1)
        return iso


def generated_line() -> str:
    """'26 November 2025 at 17:40' (local time)."""
    now = datetime.now().astimezone()
    return now.strftime("%d %B %Y at %H:%M %Z").strip()


def paragraphs(text: object) -> str:
    """Student text, escaped, with its line breaks kept (CSS ``white-space: pre-wrap``)."""
    cleaned = str(text).replace("\r\n", "\n").replace("\r", "\n")
    return esc(cleaned)


def lesson_heading(lesson: LessonContent | None, lesson_id: str) -> str:
    """'Lesson 07 · The Red Guard' (or 'Lesson 07' when the lesson file is unknown)."""
    if lesson is None:
        return f"Lesson {lesson_id}"
    return f"Lesson {lesson.id} · {lesson.title}"


def readable_lessons(root: Path | None = None) -> tuple[list[LessonContent], list[str]]:
    """Every lesson file that can be read, plus a message for each one that cannot.

    Unlike :func:`lessonkit.model.content.all_lessons`, one broken file does not hide the others.
    """
    lessons: list[LessonContent] = []
    problems: list[str] = []
    folder = lessons_dir(root)
    for path in sorted(folder.glob("*.toml")) if folder.is_dir() else []:
        try:
            lessons.append(load_lesson_file(path))
        except DataError as exc:
            problems.append(str(exc))
        except OSError as exc:
            problems.append(f"{path}: could not be read ({exc})")
    return lessons, problems


def sources_list(lesson: LessonContent, ds: Dataset) -> str:
    """An ordered list of the lesson's sources as citations (unknown ids named as such)."""
    items = []
    for sid in lesson_source_ids(lesson, ds):
        try:
            src = ds.source(sid)
        except KeyError:
            items.append(f'<li class="no">Unknown source id {esc(sid)} (not in data/sources.csv)</li>')
            continue
        note = f" — {esc(src.note)}" if src.note else ""
        items.append(f"<li>[{esc(src.kind_word)}] {esc(src.citation())}{note}</li>")
    return f'<ol class="sources">{"".join(items)}</ol>' if items else '<p class="muted">No sources recorded.</p>'


def claim_check_alternative(lesson: LessonContent, check_id: str, ds: Dataset) -> TextAlternative:
    """The text alternative of a claim check's figure, exactly as the notebook builds it."""
    from lessonkit.render.figures import estimates_figure

    check = lesson.claim_check(check_id)
    facts = ds.quantity(check.quantity)
    fig = estimates_figure(facts, check.title, check.axis_title, figure_id=f"claim_{check.id}", ds=ds)
    return TextAlternative.from_figure(fig)


def timeline_alternative(lesson: LessonContent, ds: Dataset) -> TextAlternative | None:
    """The text alternative of the lesson's timeline (None when the lesson has no events)."""
    from lessonkit.render.timeline import timeline_figure

    events = ds.events_for_lesson(lesson.id)
    if not events:
        return None
    fig = timeline_figure(events, f"{lesson.title}: timeline", f"timeline_{lesson.id}", ds=ds)
    return TextAlternative.from_figure(fig)


def alternative_html(
    alt: TextAlternative, heading_level: int | None = 4, caption: str = "The data and its sources"
) -> str:
    """A figure's text alternative as printable HTML: (title,) summary, table, sources.

    With ``heading_level=None`` the title is left out (the caller has already shown it).
    """
    sources = "; ".join(esc(s) for s in alt.sources)
    summary = alt.summary
    if summary.startswith(alt.title):  # the summary opens with the title: do not say it twice
        summary = summary[len(alt.title):].lstrip(" .")
    heading = f"<h{heading_level}>{esc(alt.title)}</h{heading_level}>" if heading_level else ""
    return (
        f'<div class="figure-table" data-lk-figure="{esc(alt.figure_id)}">'
        f"{heading}<p>{esc(summary)}</p>"
        f"{table_html(alt.columns, alt.rows, caption)}"
        f'<p class="note">Sources: {sources}</p></div>'
    )


def bullet_list(items: Iterable[str], css: str = "") -> str:
    """An escaped <ul>."""
    cls = f' class="{esc(css)}"' if css else ""
    body = "".join(f"<li>{esc(i)}</li>" for i in items)
    return f"<ul{cls}>{body}</ul>" if body else ""


def glossary_html(lesson: LessonContent) -> str:
    """The key terms as a definition list."""
    if not lesson.glossary:
        return ""
    items = "".join(f"<dt>{esc(t.term)}</dt><dd>{esc(t.definition)}</dd>" for t in lesson.glossary)
    return f'<dl class="terms">{items}</dl>'
