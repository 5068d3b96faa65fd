"""Checks on a lesson's prose: numbers must come from data, sentences must be our own.

- :func:`numbers_in_text` finds the figures written in prose (years and ordinals aside).
- :func:`allowed_numbers` collects every number the lesson's data states.
- :func:`copied_passages` finds runs of words shared with the article (quotations aside).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from fractions import Fraction
from pathlib import Path

from lessonkit.model.calendar import DualDate
from lessonkit.model.content import LessonContent
from lessonkit.model.data import Dataset

NUMBER_RE = re.compile(r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?(?![\w])")
ORDINAL_RE = re.compile(r"\b\d+(?:st|nd|rd|th)\b")
YEAR_MIN, YEAR_MAX = 1500, 2100
QUOTED_RE = re.compile(r"“[^”]*”|\"[^\"]*\"|‘[^’]*’")
WORD_RE = re.compile(r"[a-z0-9]+")
COPY_WINDOW = 8


def _strip_non_figures(text: str) -> str:
    """Remove what is not a figure: ordinals, lesson references, code spans, markdown links' URLs."""
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = ORDINAL_RE.sub(" ", text)
    text = re.sub(r"\b(?:[Ll]essons?)\s+\d{2}(?:\s*(?:,|and|or|–|-|to)\s*\d{2})*", " ", text)
    text = re.sub(r"^#+\s*\d{2}\s*·", " ", text, flags=re.M)
    return text


def numbers_in_text(text: str) -> list[Fraction]:
    """Every figure written in the text, as exact numbers; years (1500–2100) and ordinals are skipped."""
    out = []
    for match in NUMBER_RE.finditer(_strip_non_figures(text)):
        whole, decimals = match.groups()
        raw = whole.replace(",", "")
        if decimals is None and len(raw) == 4 and YEAR_MIN <= int(raw) <= YEAR_MAX and "," not in whole:
            continue
        out.append(Fraction(f"{raw}.{decimals}") if decimals else Fraction(int(raw)))
    return out


def _date_numbers(date: str) -> set[Fraction]:
    d = DualDate.parse(date)
    found = {Fraction(d.year)}
    if d.day is not None:
        jy, jm, jd = d.julian
        g = d.gregorian
        found |= {Fraction(jd), Fraction(g.day), Fraction(jy), Fraction(g.year)}
    return found


def allowed_numbers(content: LessonContent, ds: Dataset) -> set[Fraction]:
    """Every number the lesson's data states: its facts and events (both calendars), the rows its
    ``[[left_out]]`` items name as evidence, and its own file."""
    allowed: set[Fraction] = {Fraction(content.minutes)}
    allowed |= {Fraction(b.minutes) for b in content.teacher.time_plan}
    named = [ref.partition(":") for item in content.left_out for ref in item.evidence]
    evidence_facts = [ds.facts[i] for k, _, i in named if k == "fact" and i in ds.facts]
    evidence_events = [ds.events[i] for k, _, i in named if k == "event" and i in ds.events]
    for fact in ds.facts_for_lesson(content.id) + evidence_facts:
        allowed |= set(fact.numbers())
        allowed |= set(numbers_in_text(" ".join((fact.label, fact.unit, fact.note))))
        if fact.value is not None and fact.value.denominator != 1:
            allowed |= {Fraction(fact.value.numerator), Fraction(fact.value.denominator)}
        if fact.date:
            allowed |= _date_numbers(fact.date)
    for event in ds.events_for_lesson(content.id) + evidence_events:
        allowed |= _date_numbers(event.date)
        if event.time:
            hours, minutes = (int(p) for p in event.time.split(":"))
            allowed |= {Fraction(hours), Fraction(minutes), Fraction(hours % 12 or 12)}
        allowed |= set(numbers_in_text(" ".join((event.title, event.description, event.note))))
    return allowed


def unsourced_numbers(text: str, allowed: Iterable[Fraction]) -> list[Fraction]:
    """Figures in ``text`` that the data does not state."""
    pool = set(allowed)
    return [n for n in numbers_in_text(text) if n not in pool]


def lesson_texts(content: LessonContent) -> list[tuple[str, str]]:
    """The student-facing text of a lesson's data file, as (where, text) pairs."""
    texts = [("compelling_question", content.compelling_question)]
    texts += [(f"objectives[{i}]", o) for i, o in enumerate(content.objectives, 1)]
    texts += [(f"glossary[{i}]", f"{t.term}: {t.definition}") for i, t in enumerate(content.glossary, 1)]
    for i, q in enumerate(content.quiz, 1):
        texts.append((f"quiz[{i}]", q.question))
        texts += [(f"quiz[{i}].options[{j}]", f"{o.text} {o.feedback}") for j, o in enumerate(q.options, 1)]
    texts += [(f"prompts[{i}]", p.text) for i, p in enumerate(content.prompts, 1)]
    for i, c in enumerate(content.claim_checks, 1):
        texts.append((f"claim_checks[{i}]", f"{c.claim} {c.question} {c.title}"))
    for i, item in enumerate(content.left_out, 1):
        texts.append((f"left_out[{i}]", f"{item.title}. {item.text} {item.question}"))
    texts += [(f"historians[{i}]", r.answer) for i, r in enumerate(content.readings, 1)]
    if content.source_card:
        card = content.source_card
        texts.append(
            (
                "source_card",
                " ".join((card.author, card.written, card.audience, card.purpose, card.perspective, *card.questions)),
            )
        )
    return texts


def _words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower().replace("’", "'").replace("'", ""))


def article_ngrams(article: str, n: int = COPY_WINDOW) -> set[tuple[str, ...]]:
    """Every run of ``n`` consecutive words in the article."""
    words = _words(article)
    return {tuple(words[i : i + n]) for i in range(len(words) - n + 1)}


def copied_passages(text: str, ngrams: set[tuple[str, ...]], n: int = COPY_WINDOW) -> list[str]:
    """Runs of ``n`` or more words that the text shares with the article, outside quotation marks."""
    words = _words(QUOTED_RE.sub(" ", text))
    hits, i = [], 0
    while i <= len(words) - n:
        if tuple(words[i : i + n]) in ngrams:
            j = i + n
            while j < len(words) and tuple(words[j - n + 1 : j + 1]) in ngrams:
                j += 1
            hits.append(" ".join(words[i:j]))
            i = j
        else:
            i += 1
    return hits


def find_article(start: Path | None = None) -> Path | None:
    """The article text: ``LESSONKIT_ARTICLE`` or ``../shared/article/*.txt`` beside the repository."""
    import os

    env = os.environ.get("LESSONKIT_ARTICLE")
    if env:
        return Path(env)
    here = (start or Path(__file__)).resolve()
    for parent in here.parents:
        candidate = parent.parent / "shared" / "article" / "the-russian-revolution-spark-1977.txt"
        if candidate.is_file():
            return candidate
    return None
