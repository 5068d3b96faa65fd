"""The ``lessonkit`` command: list and check the lessons, and make the printable pages.

    lessonkit list                       the lessons and their state
    lessonkit check                      validate data, lesson files and notebooks (exit 1 on any problem)
    lessonkit portfolio [--answers DIR] [--out DIR]   a student's work as HTML + JSON
    lessonkit guide [--out DIR]          the teacher guide (answer keys, model points, time plans)
    lessonkit handouts [--out DIR]       one printable worksheet per lesson
    lessonkit collect FILES_OR_DIRS... --out DIR      merge students' JSON exports into a class report
    lessonkit copy-lessons DIR           put a fresh copy of the lessons in DIR (never over a student's edits)
    lessonkit --version                  the version (as in CITATION.cff and CHANGELOG.md)

Data comes from ``LESSONKIT_DATA`` (default: the checkout's ``data/``); answers
from ``LESSONKIT_ANSWERS`` (default: ``my_answers/`` in the current folder).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from lessonkit._version import __version__
from lessonkit.checks.report import check_data, check_lessons, check_verdict, lesson_table
from lessonkit.checks.survey import survey
from lessonkit.model import journal
from lessonkit.model.content import LessonContent
from lessonkit.model.data import Dataset, data_dir, load_dataset
from lessonkit.model.schema import DataError
from lessonkit.teacher.classreport import read_submissions, report_paths, report_rows, write_class_report
from lessonkit.teacher.printable import readable_lessons

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_NOTHING = 2
EXIT_CRASH = 3

EXIT_CODES = """exit codes:
  0  success (check: no problems; collect, portfolio: at least one answer was read)
  1  problems found in the data or the lessons (check; guide and handouts when the data cannot be read)
  2  wrong usage, or nothing to work on (portfolio: no answers folder or none readable; collect: no file
     could be read), or an output file that lessonkit did not write is in the way (use --force), or a
     file could not be written
  3  lessonkit stopped on an unexpected error (a bug: please report it; LESSONKIT_DEBUG=1 shows where)
"""


def _out(*parts: object) -> None:
    print(*parts, flush=True)


def _err(*parts: object) -> None:
    print(*parts, file=sys.stderr, flush=True)


# ---------------------------------------------------------------- where things are


def notebooks_dir(explicit: str | None = None) -> Path:
    """Where the lesson notebooks are: ``--lessons``, else ``lessons/`` beside the data folder (a checkout),
    else the copy packed into the installed wheel (``lessonkit/_lessons``)."""
    if explicit:
        return Path(explicit)
    beside = data_dir().parent / "lessons"
    return beside if beside.is_dir() else packaged_lessons()


def packaged_lessons() -> Path:
    """The lesson notebooks that came with this installation (the checkout's ``lessons/`` in a checkout)."""
    here = Path(__file__).resolve().parent
    checkout = here.parent.parent
    if (checkout / "lessons").is_dir() and (checkout / "data" / "sources.csv").is_file():
        return checkout / "lessons"
    return here / "_lessons"


def _load_data() -> tuple[Dataset | None, str | None]:
    try:
        return load_dataset(), None
    except DataError as exc:
        return None, str(exc)


# ---------------------------------------------------------------- commands


def cmd_list(args: argparse.Namespace) -> int:
    ds, data_error = _load_data()
    rows = survey(notebooks_dir(args.lessons), ds, with_structure=not args.fast)
    for line in lesson_table(rows, data_error):
        _out(line)
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    ds, data_error = _load_data()
    problems = check_data(ds, data_error, _out)
    problems += check_lessons(notebooks_dir(args.lessons), ds, _out)
    check_verdict(problems, _out)
    return EXIT_PROBLEMS if problems else EXIT_OK


def cmd_portfolio(args: argparse.Namespace) -> int:
    from lessonkit.teacher.portfolio import export_names, portfolio_html, portfolio_json

    answers = Path(args.answers) if args.answers else journal.answers_dir()
    if not answers.is_dir():
        _err(f"No answers folder at {answers} (set --answers or LESSONKIT_ANSWERS).")
        return EXIT_NOTHING
    records, problems = journal.load_all(answers)
    if args.lesson:
        records = [r for r in records if r.get("lesson") == args.lesson]
    if not records and problems:
        for p in problems:
            _err(f"ERROR {p}")
        _err(f"No answer in {answers} could be read: nothing written.")
        return EXIT_NOTHING
    student = args.student if args.student is not None else journal.student_name(answers)
    lessons, _ = readable_lessons()
    out = Path(args.out) if args.out else answers
    out.mkdir(parents=True, exist_ok=True)
    html_name, json_name = export_names(args.lesson)
    journal.atomic_write_text(out / html_name, portfolio_html(records, lessons, student=student, problems=problems),
                              keep_previous=False)
    journal.atomic_write_text(out / json_name, portfolio_json(records, student=student, problems=problems),
                              keep_previous=False)
    for p in problems:
        _err(f"warning: {p}")
    _out(f"{len(records)} answers written to {out / html_name} and {out / json_name}")
    return EXIT_OK


def _in_the_way(paths: Sequence[Path], force: bool) -> bool:
    """Say so and return True when a file to be written exists and lessonkit did not write it (no --force)."""
    from lessonkit.teacher.printable import written_by_lessonkit

    if force:
        return False
    foreign = [p for p in paths if p.exists() and not written_by_lessonkit(p)]
    for p in foreign:
        _err(f"ERROR {p} exists and was not written by lessonkit: not replaced")
    if foreign:
        _err("Choose another --out folder, or add --force to replace these files.")
    return bool(foreign)


def _lessons_or_fail() -> tuple[list[LessonContent], Dataset] | None:
    ds, data_error = _load_data()
    lessons, problems = readable_lessons()
    for p in problems:
        _err(f"ERROR {p}")
    if data_error:
        _err(f"ERROR data: {data_error}")
    if data_error or problems or ds is None:
        _err("Fix the data first (`lessonkit check` lists every problem).")
        return None
    return lessons, ds


def cmd_guide(args: argparse.Namespace) -> int:
    from lessonkit.teacher.guide import teacher_guide_html

    if (loaded := _lessons_or_fail()) is None:
        return EXIT_PROBLEMS
    lessons, ds = loaded
    out = Path(args.out)
    path = out / "teacher_guide.html"
    if _in_the_way([path], args.force):
        return EXIT_NOTHING
    out.mkdir(parents=True, exist_ok=True)
    journal.atomic_write_text(path, teacher_guide_html(lessons, ds), keep_previous=False)
    _out(f"Teacher guide for {len(lessons)} lessons written to {path}")
    return EXIT_OK


def cmd_handouts(args: argparse.Namespace) -> int:
    from lessonkit.teacher.handouts import write_handouts

    if (loaded := _lessons_or_fail()) is None:
        return EXIT_PROBLEMS
    lessons, ds = loaded
    out = Path(args.out)
    if _in_the_way([out / f"{lesson.name}.html" for lesson in lessons] + [out / "index.html"], args.force):
        return EXIT_NOTHING
    written = write_handouts(out, lessons, ds)
    for path in written:
        _out(f"written {path}")
    return EXIT_OK


def cmd_collect(args: argparse.Namespace) -> int:
    subs, rejected, warnings = read_submissions(args.paths)
    for r in rejected:
        _err(f"rejected {r}")
    for w in warnings:
        _err(f"warning {w}")
    if not subs:
        _err("No student file could be read: no report written.")
        return EXIT_NOTHING
    lessons = {lesson.id: lesson for lesson in readable_lessons()[0]}
    rows = report_rows(subs, lessons)
    out = Path(args.out)
    if _in_the_way(report_paths(out), args.force):
        return EXIT_NOTHING
    csv_path, html_path = write_class_report(out, subs, rows, lessons, rejected, warnings)
    _out(f"{len(subs)} student file{'s' if len(subs) != 1 else ''} read ({len(rows)} answers); "
         f"{len(rejected)} rejected.")
    _out(f"written {csv_path}")
    _out(f"written {html_path}")
    return EXIT_OK


def cmd_copy_lessons(args: argparse.Namespace) -> int:
    from lessonkit.teacher.lessoncopy import copy_lessons

    source = packaged_lessons()
    outcomes = copy_lessons(source, Path(args.folder), force=args.force)
    for o in outcomes:
        _out(f"{o.action:14} {Path(args.folder) / o.name}")
    kept = [o for o in outcomes if o.action == "kept (edited)"]
    if kept:
        _out(f"\n{len(kept)} notebook(s) were changed since they were copied and were kept as they are "
             "(add --force to replace them with fresh copies).")
    _out(f"\nOpen {Path(args.folder) / outcomes[0].name} to begin.")
    return EXIT_OK


# ---------------------------------------------------------------- main


def build_parser() -> argparse.ArgumentParser:
    """The argument parser (exposed for the docs and the tests)."""
    parser = argparse.ArgumentParser(
        prog="lessonkit",
        description="Lessons on the Russian Revolution of 1917: check them, and make the printable pages. "
        "Data comes from $LESSONKIT_DATA (default: data/ of the checkout); student answers from "
        "$LESSONKIT_ANSWERS (default: ./my_answers).",
        epilog=EXIT_CODES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"lessonkit {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    def add(name: str, help_text: str, func: Callable[[argparse.Namespace], int]) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text, epilog=EXIT_CODES,
                           formatter_class=argparse.RawDescriptionHelpFormatter)
        p.set_defaults(func=func)
        return p

    p = add("list", "List the lessons: id, title, minutes, notebook present, questions, prompts, status.", cmd_list)
    p.add_argument("--lessons", metavar="DIR", help="folder of the lesson notebooks (default: lessons/ beside data/)")
    p.add_argument("--fast", action="store_true", help="skip the notebook structure check")

    p = add("check", "Validate the data, every lesson file and every notebook; exit 1 on any problem.", cmd_check)
    p.add_argument("--lessons", metavar="DIR", help="folder of the lesson notebooks (default: lessons/ beside data/)")

    p = add("portfolio", "Write a student's saved answers as a printable page and a JSON export.", cmd_portfolio)
    p.add_argument("--answers", metavar="DIR", help="the answers folder (default: $LESSONKIT_ANSWERS or ./my_answers)")
    p.add_argument("--out", metavar="DIR", help="where to write my_work_1917.html/.json (default: the answers folder)")
    p.add_argument("--lesson", metavar="NN", help="only this lesson's answers")
    p.add_argument("--student", metavar="NAME", help="the name printed on the page (default: the saved one)")

    p = add("guide", "Write the teacher guide (answer keys, model points, time plans) as teacher_guide.html.",
            cmd_guide)
    p.add_argument("--out", metavar="DIR", default="teacher_guide", help="output folder (default: teacher_guide)")
    p.add_argument("--force", action="store_true", help="replace files in the way that lessonkit did not write")

    p = add("handouts", "Write one printable worksheet per lesson (NN_slug.html) and an index.html.", cmd_handouts)
    p.add_argument("--out", metavar="DIR", default="handouts", help="output folder (default: handouts)")
    p.add_argument("--force", action="store_true", help="replace files in the way that lessonkit did not write")

    p = add("collect", "Merge students' JSON exports into class_report.csv and class_report.html.", cmd_collect)
    p.add_argument("paths", nargs="+", metavar="FILES_OR_DIRS",
                   help="exported my_work_1917*.json files, or folders holding them (each *.json inside is read)")
    p.add_argument("--out", metavar="DIR", required=True, help="output folder for the class report")
    p.add_argument("--force", action="store_true", help="replace files in the way that lessonkit did not write")

    p = add("copy-lessons", "Put a fresh copy of the lesson notebooks into a folder; a copy a student has changed "
            "is kept (use --force to replace it).", cmd_copy_lessons)
    p.add_argument("folder", metavar="DIR", help="where the notebooks go (created if needed)")
    p.add_argument("--force", action="store_true", help="replace copies that were changed since they were copied")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    import os

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.func(args))
    except DataError as exc:
        _err(f"ERROR {exc}")
        return EXIT_PROBLEMS
    except OSError as exc:
        _err(f"ERROR {exc}")
        return EXIT_NOTHING
    except Exception as exc:  # a bug: a short message for a teacher, the traceback only when asked for
        if os.environ.get("LESSONKIT_DEBUG"):
            raise
        _err(f"ERROR lessonkit stopped on an unexpected error: {type(exc).__name__}: {str(exc)[:500]}")
        _err("Please report it (with the command you ran); set LESSONKIT_DEBUG=1 to see where it happened.")
        return EXIT_CRASH


if __name__ == "__main__":
    sys.exit(main())
