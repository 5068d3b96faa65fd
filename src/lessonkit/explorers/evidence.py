"""A claim-and-evidence builder for a structured debate (lesson 10: "nothing in history is inevitable").

The student writes a claim, picks evidence from a list built from data (the sourced facts and
events of earlier lessons) and from their own saved answers (the answer journal), marks each
piece as supporting or contradicting the claim, and sees a corroboration matrix: every piece of
evidence with its stance, source and confidence. The argument is saved in the journal
(``journal.save(lesson, "argument", debate_id, ...)``) and can be exported as Markdown or HTML.

The logic lives in plain functions and methods that tests call directly:
:func:`evidence_from_data`, :func:`evidence_from_answers`, :meth:`ClaimBuilder.add`,
:meth:`ClaimBuilder.remove`, :meth:`ClaimBuilder.weigh`, :meth:`ClaimBuilder.to_markdown`,
:meth:`ClaimBuilder.to_html` and :meth:`ClaimBuilder.save`.
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ipywidgets as widgets

from lessonkit.model import journal
from lessonkit.model.calendar import DualDate
from lessonkit.model.data import ARTICLE_SOURCE, Dataset, dataset
from lessonkit.render.alt import table_html
from lessonkit.render.figures import CONFIDENCE_WORDS
from lessonkit.render.theme import GOOD, WARN
from lessonkit.teacher.printable import page, utf8_safe
from lessonkit.widgets.download import data_uri, download_link

STANCES = ("supports", "contradicts")
OWN = "own"
CONFIDENCE_ORDER = ("high", "medium", "low", "unverified", OWN)
CONFIDENCE_LABELS = {**CONFIDENCE_WORDS, OWN: "my own answer (not a source)"}
ANSWER_GROUP = "answers"
ALL_GROUP = "all"


@dataclass(frozen=True)
class Evidence:
    """One piece of evidence a student can cite."""

    id: str  # "fact:<id>", "event:<id>" or "answer:<lesson>/<kind>/<id>"
    kind: str  # "fact", "event" or "answer"
    lesson: str
    text: str
    source: str
    confidence: str  # high / medium / low / unverified, or "own" for the student's own answers
    date: str = ""
    source_ids: tuple[str, ...] = ()  # ids in data/sources.csv; none for the student's own answers

    def heading(self) -> str:
        """'[lesson] Kind (date): text', without the source."""
        kind = {"fact": "Fact", "event": "Event", "answer": "My answer"}[self.kind]
        when = f" ({self.date})" if self.date else ""
        return f"[{self.lesson}] {kind}{when}: {self.text}"

    def label(self, width: int = 120) -> str:
        """A one-line label for a selection list."""
        line = f"{self.heading()} | {self.source}, {CONFIDENCE_LABELS[self.confidence]}"
        return textwrap.shorten(line, width=width, placeholder="…")

    @property
    def article_only(self) -> bool:
        """True when the article itself is the only source, so it cannot corroborate the article."""
        return self.source_ids == (ARTICLE_SOURCE,)


def _date_label(date: str | None) -> str:
    return DualDate.parse(date).label if date else ""


def evidence_from_data(
    ds: Dataset | None = None, lessons: Iterable[str] | None = None, before: str | None = None
) -> list[Evidence]:
    """Facts and events as evidence, in lesson order (then by date).

    ``lessons`` keeps only rows tagged with one of those lessons; ``before`` keeps only rows
    tagged with a lesson earlier than it (e.g. ``before="10"`` gives lessons 00-09). A row
    tagged with several lessons is listed under the first one that is kept.
    """
    ds = ds or dataset()
    wanted = set(lessons) if lessons is not None else None

    def first_lesson(tags: Sequence[str]) -> str | None:
        kept = [t for t in tags if (wanted is None or t in wanted) and (before is None or t < before)]
        return min(kept) if kept else None

    out: list[tuple[str, str, Evidence]] = []
    for fact in ds.facts.values():
        lesson = first_lesson(fact.lessons)
        if lesson is None:
            continue
        text = fact.label if fact.unit == "statement" else f"{fact.label}: {fact.display()} {fact.unit}"
        source = ds.source(fact.source).short
        out.append(
            (
                lesson,
                fact.date or "",
                Evidence(
                    f"fact:{fact.id}",
                    "fact",
                    lesson,
                    text,
                    source,
                    fact.confidence,
                    _date_label(fact.date),
                    (fact.source,),
                ),
            )
        )
    for event in ds.events.values():
        lesson = first_lesson(event.lessons)
        if lesson is None:
            continue
        source = "; ".join(ds.source(s).short for s in event.sources)
        out.append(
            (
                lesson,
                event.date,
                Evidence(
                    f"event:{event.id}",
                    "event",
                    lesson,
                    event.title,
                    source,
                    event.confidence,
                    _date_label(event.date),
                    tuple(event.sources),
                ),
            )
        )
    out.sort(key=lambda t: (t[0], t[1], t[2].id))
    return [e for _, _, e in out]


def evidence_from_answers(records: Iterable[Mapping[str, Any]], exclude_lesson: str | None = None) -> list[Evidence]:
    """The student's own saved answers as evidence: discussion answers and claim-check verdicts.

    ``records`` are what :func:`lessonkit.model.journal.load_all` returns. Empty answers are skipped, and
    so is ``exclude_lesson`` (the debate's own lesson, whose argument is itself saved in the journal).
    """
    out = []
    for record in records:
        lesson, kind, item = str(record.get("lesson", "")), record.get("kind"), str(record.get("id", ""))
        if lesson == exclude_lesson:
            continue
        if kind == "prompt":
            answer = str(record.get("text", "")).strip()
            if not answer:
                continue
            question = str(record.get("question", "")).strip()
            text = f"{answer} (my answer to: {question})" if question else answer
        elif kind == "claim" and record.get("verdict"):
            text = f"My verdict on the claim check '{item}': {record['verdict']}"
        else:
            continue
        out.append(Evidence(f"answer:{lesson}/{kind}/{item}", "answer", lesson, text, "My answer", OWN))
    return out


def evidence_pool(
    lesson: str, ds: Dataset | None = None, root: Path | None = None
) -> tuple[list[Evidence], list[str]]:
    """Evidence from the data of the lessons before ``lesson`` plus the student's answers in other lessons
    (and the problems met reading them)."""
    records, problems = journal.load_all(root)
    return evidence_from_data(ds, before=lesson) + evidence_from_answers(records, exclude_lesson=lesson), problems


class ClaimBuilder(widgets.VBox):
    """Claim, evidence picker, corroboration matrix and export, saved in the answer journal."""

    def __init__(
        self,
        lesson: str,
        debate_id: str,
        motion: str,
        pool: Sequence[Evidence] | None = None,
        root: Path | None = None,
        ds: Dataset | None = None,
    ):
        self.lesson, self.debate_id, self.motion, self.root = lesson, debate_id, motion, root
        problems: list[str] = []
        if pool is None:
            pool, problems = evidence_pool(lesson, ds, root)
        self.pool: dict[str, Evidence] = {e.id: e for e in pool}
        self.stances: dict[str, str] = {}
        self.saved_path: Path | None = None
        self._restoring = False

        self.claim = widgets.Textarea(
            placeholder="Write your claim in one or two sentences, e.g. whether the revolution's fate was decided "
            "by what happened abroad.",
            description="My claim",
            continuous_update=False,
            layout=widgets.Layout(width="100%", height="5em"),
            style={"description_width": "initial"},
        )
        self.claim.add_class("lk-evidence-claim")
        groups = sorted({e.lesson for e in pool if e.kind != "answer"})
        options: list[tuple[str, str]] = [("All lessons", ALL_GROUP)]
        options += [(f"Lesson {g}", g) for g in groups]
        if any(e.kind == "answer" for e in pool):
            options.append(("My own saved answers", ANSWER_GROUP))
        self.group = widgets.Dropdown(
            options=options, value=ALL_GROUP, description="Evidence from", style={"description_width": "initial"}
        )
        self.choices = widgets.SelectMultiple(
            options=[],
            rows=9,
            description="Evidence",
            layout=widgets.Layout(width="100%"),
            style={"description_width": "initial"},
        )
        self.choices.add_class("lk-evidence-list")
        self.support_button = widgets.Button(
            description="Supports my claim",
            button_style="success",
            tooltip="Add the selected evidence as supporting your claim",
        )
        self.contradict_button = widgets.Button(
            description="Contradicts my claim",
            button_style="warning",
            tooltip="Add the selected evidence as contradicting your claim",
        )
        self.remove_button = widgets.Button(
            description="Remove from my argument", tooltip="Take the selected evidence out of your argument"
        )
        for button in (self.support_button, self.contradict_button, self.remove_button):
            button.add_class("lk-evidence-button")
            button.layout = widgets.Layout(width="auto")
        self.support_button.on_click(lambda _b: self.add(self.choices.value, "supports"))
        self.contradict_button.on_click(lambda _b: self.add(self.choices.value, "contradicts"))
        self.remove_button.on_click(lambda _b: self.remove(self.choices.value))
        self.matrix = widgets.HTML("")
        self.matrix.add_class("lk-evidence-matrix")
        self.export_button = widgets.Button(
            description="Export my argument",
            tooltip="Make Markdown and HTML files",
            layout=widgets.Layout(width="auto"),
        )
        self.export_button.add_class("lk-evidence-export")
        self.export_button.on_click(lambda _b: self.export())
        self.links = widgets.HTML("")
        self.status = widgets.HTML(
            "".join(f'<p role="status" style="color:{WARN}">{html.escape(p)}</p>' for p in problems)
        )

        self.group.observe(lambda change: self.show_group(change["new"]), names="value")
        self.claim.observe(lambda _change: self._changed(), names="value")
        self.show_group(ALL_GROUP)
        self._restore()
        self.refresh()
        super().__init__(
            children=[
                widgets.HTML(f'<p class="lk-evidence-motion"><strong>The motion:</strong> {html.escape(motion)}</p>'),
                self.claim,
                self.group,
                self.choices,
                widgets.HBox([self.support_button, self.contradict_button, self.remove_button]),
                self.matrix,
                widgets.HBox([self.export_button]),
                self.links,
                self.status,
            ]
        )
        self.add_class("lk-evidence-builder")

    # ------------------------------------------------------------ picking
    def group_items(self, group: str) -> list[Evidence]:
        """The evidence shown for a group: a lesson number, ``"answers"``, or ``"all"`` for everything."""
        if group == ALL_GROUP:
            return list(self.pool.values())
        if group == ANSWER_GROUP:
            return [e for e in self.pool.values() if e.kind == "answer"]
        return [e for e in self.pool.values() if e.lesson == group and e.kind != "answer"]

    def show_group(self, group: str) -> None:
        """Fill the selection list with one group's evidence."""
        self.choices.options = [(e.label(), e.id) for e in self.group_items(group)]

    def add(self, evidence_ids: Iterable[str], stance: str) -> None:
        """Add evidence to the argument with a stance ('supports' or 'contradicts'); re-adding moves it."""
        if stance not in STANCES:
            raise ValueError(f"stance must be one of {STANCES}, not {stance!r}")
        ids = list(evidence_ids)
        if not ids:
            self.status.value = '<p role="status">Select one or more pieces of evidence in the list first.</p>'
            return
        for evidence_id in ids:
            if evidence_id not in self.pool:
                raise KeyError(f"unknown evidence {evidence_id!r}")
            self.stances[evidence_id] = stance
        self._changed()

    def remove(self, evidence_ids: Iterable[str]) -> None:
        """Take evidence out of the argument."""
        for evidence_id in evidence_ids:
            self.stances.pop(evidence_id, None)
        self._changed()

    # ------------------------------------------------------------ weighing
    def rows(self) -> list[tuple[Evidence, str]]:
        """The argument's evidence with its stance: supporting first, then contradicting, strongest first."""
        rank = {c: i for i, c in enumerate(CONFIDENCE_ORDER)}
        chosen = [(self.pool[i], s) for i, s in self.stances.items() if i in self.pool]
        return sorted(chosen, key=lambda r: (STANCES.index(r[1]), rank[r[0].confidence], r[0].lesson, r[0].id))

    def weigh(self) -> dict[str, dict[str, int]]:
        """How many pieces of evidence of each confidence support and contradict the claim."""
        counts = {s: {c: 0 for c in CONFIDENCE_ORDER} for s in STANCES}
        for evidence, stance in self.rows():
            counts[stance][evidence.confidence] += 1
        return counts

    def verdict(self) -> str:
        """A plain-words reading of the matrix (not a judgement on the claim itself)."""
        counts = self.weigh()
        strong = {s: counts[s]["high"] + counts[s]["medium"] for s in STANCES}
        total = {s: sum(counts[s].values()) for s in STANCES}
        if not any(total.values()):
            return "No evidence yet: add some from the list."
        parts = [
            f"{total['supports']} supporting ({strong['supports']} of high or medium confidence)",
            f"{total['contradicts']} contradicting ({strong['contradicts']} of high or medium confidence)",
        ]
        text = "; ".join(parts) + "."
        if total["supports"] and not strong["supports"]:
            text += " None of your supporting evidence is well corroborated: look for stronger sources."
        if not total["contradicts"]:
            text += " A strong argument also answers the evidence against it: add some."
        article_only = [e for e, _ in self.rows() if e.article_only]
        if article_only:
            text += f" {len(article_only)} of your pieces come from the article itself, so they cannot corroborate it."
        return text

    def matrix_html(self) -> str:
        """The corroboration matrix: evidence × stance, with lesson, source and confidence."""
        rows = [
            (
                textwrap.shorten(evidence.heading(), width=200, placeholder="…"),
                "✔" if stance == "supports" else "",
                "✔" if stance == "contradicts" else "",
                evidence.source,
                CONFIDENCE_LABELS[evidence.confidence],
            )
            for evidence, stance in self.rows()
        ]
        if not rows:
            table = "<p><em>Your argument has no evidence yet.</em></p>"
        else:
            table = table_html(
                ("Evidence", "Supports", "Contradicts", "Source", "Confidence"),
                rows,
                "Corroboration matrix: my evidence",
            )
        return f'{table}<p role="status"><strong>Weighing it up:</strong> {html.escape(self.verdict())}</p>'

    def refresh(self) -> None:
        """Redraw the matrix."""
        self.matrix.value = self.matrix_html()

    # ------------------------------------------------------------ saving and export
    def payload(self) -> dict[str, Any]:
        """What is saved in the journal."""
        return {
            "motion": self.motion,
            "claim": self.claim.value,
            "supports": [e.id for e, s in self.rows() if s == "supports"],
            "contradicts": [e.id for e, s in self.rows() if s == "contradicts"],
            "text": self.to_markdown(),
        }

    def save(self) -> Path | None:
        """Save the argument now; returns the file (None if it could not be written)."""
        try:
            self.saved_path = journal.save(self.lesson, "argument", self.debate_id, self.payload(), self.root)
        except OSError as exc:
            message = journal.not_saved_message("argument", exc)
            self.status.value = f'<p role="alert" style="color:{WARN}">{html.escape(message)}</p>'
            return None
        self.status.value = (
            f'<p role="status" style="color:{GOOD}">Argument saved in '
            f"{html.escape(journal.display_path(self.saved_path))}.</p>"
        )
        return self.saved_path

    def _changed(self) -> None:
        if self._restoring:
            return
        self.refresh()
        self.save()

    def _restore(self) -> None:
        try:
            record = journal.load(self.lesson, "argument", self.debate_id, self.root)
        except journal.UnreadableAnswer as exc:
            self.status.value = f'<p role="status" style="color:{WARN}">{html.escape(str(exc))}</p>'
            return
        if not record:
            return
        self._restoring = True
        try:
            claim = record.get("claim", "")
            self.claim.value = claim if isinstance(claim, str) else ""
            missing = 0
            for stance in STANCES:
                chosen = record.get(stance)
                for evidence_id in chosen if isinstance(chosen, list) else []:
                    if isinstance(evidence_id, str) and evidence_id in self.pool:
                        self.stances[evidence_id] = stance
                    else:
                        missing += 1
        finally:
            self._restoring = False
        note = f" {missing} piece(s) of evidence are no longer available and were left out." if missing else ""
        self.status.value = f'<p role="status">Your saved argument is back.{html.escape(note)}</p>'

    def to_markdown(self) -> str:
        """The argument as Markdown: motion, claim, the evidence for and against, the weighing."""
        claim = self.claim.value.strip() or "(not written yet)"
        lines = [f"# My argument: {self.motion}", "", "## My claim", "", claim]
        for stance, heading in (
            ("supports", "Evidence that supports my claim"),
            ("contradicts", "Evidence that contradicts my claim"),
        ):
            lines += ["", f"## {heading}", ""]
            chosen = [e for e, s in self.rows() if s == stance]
            lines += [
                f"- {e.text}{f' ({e.date})' if e.date else ''}. Source: {e.source} "
                f"(lesson {e.lesson}; {CONFIDENCE_LABELS[e.confidence]})"
                for e in chosen
            ] or ["- (none yet)"]
        lines += ["", "## Weighing it up", "", self.verdict(), ""]
        return "\n".join(lines)

    def to_html(self) -> str:
        """The argument as a small stand-alone HTML page."""
        esc = html.escape
        claim = esc(self.claim.value.strip() or "(not written yet)")
        title = f"My argument: {self.motion}"
        body = f"<h1>{esc(title)}</h1><h2>My claim</h2><p>{claim}</p><h2>Corroboration matrix</h2>{self.matrix_html()}"
        return page(title, body)

    def export(self) -> tuple[str, str]:
        """Save, then offer the Markdown and HTML files as download links; returns (markdown, html)."""
        markdown, doc = utf8_safe(self.to_markdown()), self.to_html()
        self.save()
        stem = f"my_argument_lesson{journal.safe_name(self.lesson)}"
        links = [
            (f"{stem}.md", data_uri(markdown, "text/markdown")),
            (f"{stem}.html", data_uri(doc, "text/html")),
        ]
        self.links.value = "<p>" + " ".join(download_link(name, uri) for name, uri in links) + "</p>"
        return markdown, doc
