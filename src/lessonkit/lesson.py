"""One object per lesson that turns its data into what the notebook shows.

A notebook cell stays a one-liner: ``lesson.header()``, ``lesson.quiz()``,
``lesson.claim_check("petrograd_strength")``, ``lesson.sources()``. Everything
shown comes from ``data/`` (facts, events, the lesson's TOML file).
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import ipywidgets as widgets
import plotly.graph_objects as go

from lessonkit._version import __version__
from lessonkit.model import journal, quality
from lessonkit.model.calendar import DualDate
from lessonkit.model.content import LessonContent, lesson_content
from lessonkit.model.data import Dataset, Fact, dataset
from lessonkit.render import theme, weighing
from lessonkit.render.alt import Shown, table_html
from lessonkit.render.figures import CONFIDENCE_WORDS, estimates_figure
from lessonkit.render.timeline import timeline_figure
from lessonkit.widgets.prompts import DiscussionPrompt
from lessonkit.widgets.quiz import Quiz
from lessonkit.widgets.verdicts import VerdictPicker

CARD_STYLE = theme.CARD_STYLE
#: The header's last line: which release this is, and where errors found in the lessons are listed.
FOOTER = f"lessonkit {__version__} · corrections: docs/corrections.md"


def _html(markup: str, css_class: str) -> widgets.HTML:
    """An HTML widget carrying ``css_class`` (the browser tests find parts by class)."""
    box = widgets.HTML(markup)
    box.add_class(css_class)
    return box


class Bundle:
    """Several outputs shown one after another (HTML, figures with their alternatives, widgets)."""

    def __init__(self, parts: Iterable[Any]):
        self.parts = list(parts)

    def _ipython_display_(self) -> None:
        from IPython.display import HTML, display

        for part in self.parts:
            if isinstance(part, str):
                display(HTML(part))
            elif isinstance(part, go.Figure):
                display(Shown(part))
            else:
                display(part)

    def figures(self) -> list[go.Figure]:
        """The figures in this bundle."""
        return [p for p in self.parts if isinstance(p, go.Figure)]


class Lesson:
    """The data-driven parts of one lesson."""

    def __init__(self, lesson_id: str, answers: Path | None = None, ds: Dataset | None = None):
        self.content: LessonContent = lesson_content(lesson_id)
        self.id = self.content.id
        self.ds = ds or dataset()
        self.answers = answers

    # ------------------------------------------------------------ section 1
    def header(self) -> widgets.HTML:
        """Article section, time, objectives, compelling question and key terms; a footer line names the
        lessonkit version and the corrections log."""
        c = self.content
        esc = html.escape
        objectives = "".join(f"<li>{esc(o)}</li>" for o in c.objectives)
        # JupyterLab floats each <dt> left; clear:left starts every term on its own row, so a term taller
        # than its definition (lesson 05's "Socialist Revolutionaries (SRs)") cannot push the next rows sideways.
        terms = "".join(
            f'<dt style="clear:left"><strong>{esc(t.term)}</strong></dt><dd>{esc(t.definition)}</dd>'
            for t in c.glossary
        )
        box = widgets.HTML(
            f'<div class="lk-header" style="{CARD_STYLE}">'
            f"<p><strong>Article section:</strong> “{esc(c.article_section)}” · "
            f"<strong>Time:</strong> about {c.minutes} minutes</p>"
            f"<p><strong>Compelling question:</strong> {esc(c.compelling_question)}</p>"
            f"<p><strong>By the end you can:</strong></p><ul>{objectives}</ul>"
            f"<p><strong>Key terms</strong></p><dl>{terms}</dl>"
            f'<p class="lk-header-footer" style="clear:left;margin:0.8em 0 0;font-size:0.9em;color:{theme.SOFT_INK}">'
            f"{esc(FOOTER)}</p></div>"
        )
        box.add_class("lk-header-widget")
        return box

    # ------------------------------------------------------------ explore
    def timeline(self, title: str, style: str = "old") -> go.Figure:
        """A timeline of this lesson's events."""
        return timeline_figure(
            self.ds.events_for_lesson(self.id), title, f"timeline_{self.id}", style=style, ds=self.ds
        )

    def explorer(self, explorer_id: str) -> widgets.Widget:
        """The explorer its lesson file's ``[[explorers]]`` entry ``explorer_id`` describes (its events, window,
        title): a :class:`~lessonkit.widgets.timeline_explorer.TimelineExplorer`, lesson 08's
        :class:`~lessonkit.explorers.insurrection.InsurrectionMap` or lesson 10's
        :class:`~lessonkit.explorers.evidence.ClaimBuilder`.
        """
        spec = self.content.explorer(explorer_id)
        if spec.kind == "debate":
            from lessonkit.explorers.evidence import ClaimBuilder

            return ClaimBuilder(self.id, spec.id, spec.title, root=self.answers, ds=self.ds)
        events = spec.chosen_events(self.ds, self.id)
        if spec.kind == "insurrection":
            from lessonkit.explorers.insurrection import InsurrectionMap  # on first use: the city map is large

            return InsurrectionMap(events, spec.title_for(events), spec.id, window=spec.window, ds=self.ds)
        from lessonkit.widgets.timeline_explorer import TimelineExplorer

        return TimelineExplorer(events, spec.title_for(events), spec.id, lanes=spec.lanes or 5, ds=self.ds)

    def facts_table(self, quantity_or_ids: str | Iterable[str], caption: str) -> widgets.HTML:
        """A table of facts (by quantity id or a list of fact ids) with source and confidence."""
        facts = self._facts(quantity_or_ids)
        rows = [
            (
                f.label,
                f.display() if f.unit != "statement" else "—",
                DualDate.parse(f.date).label if f.date else "",
                self.ds.source(f.source).short,
                self.ds.source(f.source).kind_word,
                CONFIDENCE_WORDS[f.confidence],
            )
            for f in facts
        ]
        return widgets.HTML(
            table_html(("Claim", "Figure", "Date", "Source", "Kind of source", "Confidence"), rows, caption)
        )

    def _facts(self, quantity_or_ids: str | Iterable[str]) -> list[Fact]:
        if isinstance(quantity_or_ids, str):
            return self.ds.quantity(quantity_or_ids)
        return [self.ds.fact(i) for i in quantity_or_ids]

    # ------------------------------------------------------------ read like a historian
    def source_card(self) -> widgets.HTML:
        """Who wrote the source, when, for whom, why, from what point of view; questions to ask."""
        card = self.content.source_card
        if card is None:
            raise KeyError(f"lesson {self.id} has no [source_card]")
        src = self.ds.source(card.source)
        esc = html.escape
        questions = "".join(f"<li>{esc(q)}</li>" for q in card.questions)
        return widgets.HTML(
            f'<div class="lk-source-card" style="{CARD_STYLE}">'
            f"<p><strong>Source card: {esc(src.title)} ({esc(src.year)})</strong></p><dl>"
            f"<dt>Who wrote it?</dt><dd>{esc(card.author)}</dd>"
            f"<dt>When?</dt><dd>{esc(card.written)}</dd>"
            f"<dt>For whom?</dt><dd>{esc(card.audience)}</dd>"
            f"<dt>Why?</dt><dd>{esc(card.purpose)}</dd>"
            f"<dt>Point of view</dt><dd>{esc(card.perspective)}</dd></dl>"
            f"<p><strong>Ask yourself</strong></p><ul>{questions}</ul></div>"
        )

    def claim_check(self, check_id: str) -> Bundle:
        """The article's claim beside the other sources: a card, a figure, and a verdict to record."""
        check = self.content.claim_check(check_id)
        facts = self.ds.quantity(check.quantity)
        fig = estimates_figure(facts, check.title, check.axis_title, figure_id=f"claim_{check.id}", ds=self.ds)
        esc = html.escape
        card = (
            f'<div class="lk-claim" style="{CARD_STYLE}">'
            f"<p><strong>Claim check.</strong> The article says: {esc(check.claim)}</p>"
            f"<p><strong>Your question:</strong> {esc(check.question)}</p></div>"
        )
        return Bundle([card, fig, VerdictPicker(self.id, check.id, self.answers)])

    def left_out(self) -> widgets.HTML:
        """What the article leaves out that changes the picture: each item with its evidence and a question."""
        return _html(weighing.left_out(self.content, self.ds), "lk-left-out-widget")

    def historians(self) -> widgets.HTML:
        """Where historians disagree: how two or more schools answer the lesson's compelling question."""
        return _html(weighing.historians(self.content, self.ds), "lk-historians-widget")

    def schools(self) -> widgets.HTML:
        """The four schools of historians of 1917 and works that show each (lesson 00 introduces them)."""
        return _html(weighing.schools_table(self.ds), "lk-schools")

    def source_kinds(self) -> widgets.HTML:
        """The seven kinds of source, what each is, an example and how often the lessons cite each."""
        return _html(weighing.source_kinds_table(self.ds), "lk-source-kinds")

    # ------------------------------------------------------------ check and discuss
    def quiz(self) -> Quiz:
        """The lesson's self-check questions."""
        return Quiz(self.id, self.content.quiz, self.answers)

    def prompts(self) -> widgets.VBox:
        """The lesson's discussion prompts, each saving itself as the student types."""
        box = widgets.VBox([DiscussionPrompt(self.id, p.id, p.text, self.answers) for p in self.content.prompts])
        box.add_class("lk-prompts")
        return box

    # ------------------------------------------------------------ summary
    def source_ids(self) -> list[str]:
        """Every source the lesson uses (see :func:`lessonkit.model.quality.lesson_source_ids`), article first."""
        return quality.lesson_source_ids(self.content, self.ds)

    def sources(self) -> widgets.HTML:
        """The lesson's source list, generated from the data it used; each entry says what kind of source it is."""
        items = []
        for sid in self.source_ids():
            src = self.ds.source(sid)
            note = f" — {html.escape(src.note)}" if src.note else ""
            kind = f'<span class="lk-kind" data-lk-kind="{src.kind}">[{html.escape(src.kind_word)}]</span> '
            items.append(f"<li>{kind}{html.escape(src.citation())}{note}</li>")
        return widgets.HTML(f'<div class="lk-sources"><ol>{"".join(items)}</ol></div>')

    def download_button(self) -> widgets.Widget:
        """'Download my work': this lesson's answers as a printable HTML page and as JSON."""
        from lessonkit.widgets.download import download_button

        return download_button(self.id, self.answers)

    def where_answers_are(self) -> widgets.VBox:
        """Where this lesson's answers are saved, and the button that downloads them.

        In a browser-only kernel (JupyterLite, Pyodide: ``sys.platform == "emscripten"``) the folder
        lives in the browser's own storage for the site, so the note says so, and what loses it.
        """
        import sys

        folder = (self.answers or journal.answers_dir()) / journal.safe_name(self.id)
        shown = html.escape(journal.display_path(folder))
        if sys.platform == "emscripten":
            text = (
                f"<p>Your answers to this lesson are saved as you type in <code>{shown}</code>, "
                "<strong>in this browser's storage</strong> for this site, on this computer only. "
                "Clearing this browser's data for the site deletes them, and a private window keeps nothing "
                "once it is closed: press <strong>Download my work</strong> to keep a copy before you clear it "
                "or change computer.</p>"
            )
        else:
            text = (
                f"<p>Your answers to this lesson are saved as you type in <code>{shown}</code>. "
                "On Binder the session is temporary: press <strong>Download my work</strong> to keep a copy.</p>"
            )
        note = widgets.HTML(text)
        box = widgets.VBox([note, self.download_button()])
        box.add_class("lk-where-answers")
        return box
