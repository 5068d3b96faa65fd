""""Download my work": the student's portfolio as two links the browser saves, even offline.

The links are ``data:`` URIs inside an HTML widget, so they work without a
server round trip: on a laptop with no internet, on Binder and on JupyterHub.
The same two files are also written into the answers folder, so they show up
in the file browser.
"""

from __future__ import annotations

import base64
import html
from pathlib import Path

import ipywidgets as widgets

from lessonkit.model import journal
from lessonkit.render import theme
from lessonkit.teacher.portfolio import export_names, portfolio_html, portfolio_json
from lessonkit.teacher.printable import readable_lessons

# Inline, because JupyterLab gives links inside widget HTML no colour or underline of their own.
LINK_STYLE = (
    f"display:inline-block;margin:0.15em 0;padding:0.1em 0.6em;border:2px solid {theme.OTHER};border-radius:4px;"
    f"color:{theme.LINK};background:{theme.OTHER_TINT};font-weight:bold;text-decoration:underline"
)


def data_uri(text: str, mime: str) -> str:
    """A base64 ``data:`` URI holding UTF-8 text."""
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return f"data:{mime};charset=utf-8;base64,{payload}"


def download_link(name: str, uri: str) -> str:
    """An ``<a download>`` link styled as a button: '⬇ name'."""
    return f'<a download="{html.escape(name)}" href="{uri}" style="{LINK_STYLE}">⬇ {html.escape(name)}</a>'


def build_exports(
    lesson_id: str | None = None, root: Path | None = None, student: str = ""
) -> tuple[str, str, int, list[str]]:
    """(portfolio HTML, portfolio JSON, number of records, problems) from the journal."""
    records, problems = journal.load_all(root)
    if lesson_id is not None:
        records = [r for r in records if r.get("lesson") == lesson_id]
    lessons, _ = readable_lessons()
    page = portfolio_html(records, lessons, student=student, problems=problems)
    doc = portfolio_json(records, student=student, problems=problems)
    return page, doc, len(records), problems


class DownloadWork(widgets.VBox):
    """A name box, a "Download my work" button and, after a click, the two download links."""

    def __init__(self, lesson_id: str | None = None, root: Path | None = None):
        self.lesson_id = lesson_id
        self.root = root
        self.written: list[Path] = []
        self.name = widgets.Text(
            value=journal.student_name(root),
            placeholder="Optional: your name, printed on the page",
            description="Your name",
            style={"description_width": "initial"},
            layout=widgets.Layout(width="28em"),
        )
        self.name.add_class("lk-download-name")
        self.button = widgets.Button(
            description="Download my work", icon="download", button_style="primary",
            tooltip="Make a page of all your saved answers, to keep or print",
            layout=widgets.Layout(width="18em"),
        )
        self.button.add_class("lk-download-button")
        self.output = widgets.HTML("")
        self.output.add_class("lk-download-links")
        self.button.on_click(self._on_click)
        super().__init__(children=[self.name, self.button, self.output])
        self.add_class("lk-download")

    def _on_click(self, _button: widgets.Button | None = None) -> None:
        self.output.value = '<p role="status">Collecting your answers…</p>'
        try:
            self._collect()
        except Exception as exc:  # noqa: BLE001 - the student must see a message, never a page stuck "collecting"
            folder = self.root if self.root is not None else journal.answers_dir()
            self.output.value = (
                f'<p role="alert" style="color:{theme.WARN}">Your download could not be made '
                f"({html.escape(type(exc).__name__)}: {html.escape(str(exc)[:300])}). Your answers are still saved in "
                f"<code>{html.escape(journal.display_path(folder))}</code>; tell your teacher.</p>"
            )

    def _collect(self) -> None:
        """Gather the answers, write the two copies and show the links."""
        student = self.name.value.strip()
        folder = self.root if self.root is not None else journal.answers_dir()
        notes: list[str] = []
        if student != journal.student_name(self.root):
            try:
                journal.set_student_name(student, self.root)
            except OSError as exc:
                notes.append(html.escape(journal.not_saved_message("name", exc)))
        page, doc, count, problems = build_exports(self.lesson_id, self.root, student)
        html_name, json_name = export_names(self.lesson_id)
        self.written = []
        try:
            for name, text in ((html_name, page), (json_name, doc)):
                path = folder / name
                journal.atomic_write_text(path, text, keep_previous=False)
                self.written.append(path)
        except OSError as exc:
            notes.append(f"Copies could not be written to {html.escape(str(folder))} ({html.escape(str(exc))}); "
                         "use the links above.")
        else:
            shown = html.escape(journal.display_path(folder))
            notes.append(f"Copies were also saved as <code>{html.escape(html_name)}</code> and "
                         f"<code>{html.escape(json_name)}</code> in <code>{shown}</code> (see the file browser).")
        if problems:
            notes.append(f"{len(problems)} answer file(s) could not be read and were left untouched; "
                         "the page lists them.")
        scope = f"lesson {html.escape(self.lesson_id)}" if self.lesson_id else "all lessons"
        what = f"{count} saved answer{'s' if count != 1 else ''} from {scope}"
        if count == 0 and problems:
            what = f"Your saved answers from {scope} could not be read: {html.escape(problems[0])}"
        elif count == 0:
            what = f"No saved answers yet from {scope}: answer a prompt or a question first"
        self.output.value = (
            '<div class="lk-download-result" role="status">'
            f"<p><strong>{what}.</strong> Click a link to save a copy on your computer:</p><ul>"
            f"<li>{download_link(html_name, data_uri(page, 'text/html'))} — a page to read or print "
            "(or save as PDF)</li>"
            f"<li>{download_link(json_name, data_uri(doc, 'application/json'))} — the same answers as data, "
            "for your teacher</li></ul>"
            + "".join(f"<p>{n}</p>" for n in notes)
            + "<p><em>On Binder your files disappear when the session ends: download them before you leave.</em></p>"
            "</div>"
        )


def download_button(lesson_id: str | None = None, root: Path | None = None) -> DownloadWork:
    """The "Download my work" widget (class ``lk-download``).

    ``lesson_id`` limits the download to one lesson's answers (files
    ``my_work_1917_lessonNN.*``); without it every lesson is included
    (``my_work_1917.*``). ``root`` is the answers folder (default: the journal's).
    """
    return DownloadWork(lesson_id, root)
