"""Weighing the article: what it leaves out, where historians disagree, and how good each kind of source is.

Each builder returns the HTML of a card for a lesson's *Read like a historian* part (the lesson wraps it
in a widget; the teacher guide prints it), built from the lesson file (``[[left_out]]``, ``[[historians]]``),
``data/historians.toml`` and the data rows and sources they name. Nothing here displays or writes anything,
and nothing imports ipywidgets.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Sequence

from lessonkit.model import quality
from lessonkit.model.calendar import DualDate
from lessonkit.model.content import LessonContent, Reading, School, Silence, all_lessons, schools
from lessonkit.model.data import Dataset
from lessonkit.model.schema import KIND_WORDS, SOURCE_KINDS
from lessonkit.render import theme
from lessonkit.render.alt import table_html

CARD_STYLE = theme.GREY_CARD_STYLE

esc = html.escape


def _labelled(ds: Dataset, sid: str) -> str:
    return esc(ds.source(sid).labelled)


def evidence_line(ds: Dataset, ref: str) -> str:
    """One data row as a student reads it: its date (both calendars), what it says, and its sources with their kinds."""
    kind, _, ident = ref.partition(":")
    if kind == "event":
        event = ds.event(ident)
        sources = "; ".join(_labelled(ds, s) for s in event.sources)
        return f"{esc(DualDate.parse(event.date).label)}: {esc(event.title)}. <em>Source: {sources}</em>"
    fact = ds.fact(ident)
    when = f"{esc(DualDate.parse(fact.date).label)}: " if fact.date else ""
    figure = "" if fact.unit == "statement" else f": <strong>{esc(fact.display())}</strong>"
    return f"{when}{esc(fact.label)}{figure}. <em>Source: {_labelled(ds, fact.source)}</em>"


def silence_card(item: Silence, ds: Dataset) -> str:
    """The HTML of one thing the article leaves out: what happened, the evidence, and a question."""
    lines = [f"<li>{evidence_line(ds, ref)}</li>" for ref in item.evidence]
    lines += [f"<li>Also read: {esc(ds.source(s).citation())} <em>({esc(ds.source(s).kind_word)})</em></li>"
              for s in item.sources]
    return (
        f'<div class="lk-left-out-item" data-lk-item="{esc(item.id)}" style="{CARD_STYLE}">'
        f"<p><strong>{esc(item.title)}</strong></p><p>{esc(item.text)}</p>"
        f"<p><strong>The evidence</strong></p><ul>{''.join(lines)}</ul>"
        f"<p><strong>Ask yourself:</strong> {esc(item.question)}</p></div>"
    )


def left_out(content: LessonContent, ds: Dataset) -> str:
    """Every item the lesson says the article leaves out, as cards."""
    if not content.left_out:
        raise KeyError(f"lesson {content.id} has no [[left_out]] entries")
    cards = "".join(silence_card(item, ds) for item in content.left_out)
    return f'<div class="lk-left-out">{cards}</div>'


def _works(ds: Dataset, works: Sequence[str]) -> str:
    return "<br>".join(f"{esc(ds.source(w).citation())} <em>({esc(ds.source(w).kind_word)})</em>" for w in works)


def readings_table(content: LessonContent, readings: Sequence[Reading], ds: Dataset,
                   known: dict[str, School] | None = None) -> str:
    """The HTML table: each school, how it answers the lesson's compelling question, the works it rests on."""
    known = known if known is not None else schools(ds.root)
    rows = "".join(
        f'<tr data-lk-school="{esc(r.school)}"><th scope="row">{esc(known[r.school].name)}</th>'
        f"<td>{esc(r.answer)}</td><td>{_works(ds, r.works)}</td></tr>"
        for r in readings
    )
    return (
        f'<table class="lk-table"><caption>How historians answer: {esc(content.compelling_question)}</caption>'
        '<thead><tr><th scope="col">School</th><th scope="col">Their answer</th>'
        f'<th scope="col">Works read</th></tr></thead><tbody>{rows}</tbody></table>'
    )


def historians(content: LessonContent, ds: Dataset) -> str:
    """Where historians disagree: two or more schools' answers to the lesson's compelling question."""
    if not content.readings:
        raise KeyError(f"lesson {content.id} has no [[historians]] entries")
    table = readings_table(content, content.readings, ds)
    return (
        f'<div class="lk-historians" style="{CARD_STYLE}">{table}'
        "<p><strong>Your turn:</strong> which answer fits the evidence in this lesson best? "
        "What evidence would change your mind?</p></div>"
    )


def schools_table(ds: Dataset) -> str:
    """The four schools of historians of 1917, each with its reading in brief and works that show it."""
    rows = [(s.name, s.summary, "; ".join(ds.source(w).short for w in s.works)) for s in schools(ds.root).values()]
    return table_html(("School", "How it reads 1917", "Works read for these lessons"), rows,
                      "Four ways historians have read the Russian Revolution")


def source_kinds_table(ds: Dataset, lessons: Sequence[LessonContent] | None = None) -> str:
    """The seven kinds of source, what each is, an example from these lessons, and how often each is cited."""
    chosen = lessons if lessons is not None else all_lessons(ds.root)
    cites = quality.citations(ds, chosen, schools(ds.root).values())
    counts = quality.kind_counts(cites)
    most_cited = Counter((c.kind, c.source) for c in cites)
    examples: dict[str, str] = {}
    for (kind, sid), _ in most_cited.most_common():
        examples.setdefault(kind, ds.source(sid).short)
    rows = [
        (KIND_WORDS[kind], meaning.split(": ", 1)[-1], examples.get(kind, "—"), f"{counts.get(kind, 0):,}")
        for kind, meaning in SOURCE_KINDS.items()
    ]
    good, total = quality.evidence_share(cites)
    caption = (
        f"Kinds of source in these lessons: {good:,} of the {total:,} citations of sources other than "
        f"the article are primary sources or historians' works"
    )
    return table_html(("Kind of source", "What it is", "Most cited here", "Times cited"), rows, caption)

