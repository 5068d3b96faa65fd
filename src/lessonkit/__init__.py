"""lessonkit: sourced data, figures, maps, quizzes and prompts for the 1917 lessons.

The public API is small and imported lazily, so ``import lessonkit`` is cheap:

- ``Lesson(id)`` — the lesson's header, timeline, claim checks, quiz, prompts, sources
- ``show(fig)`` — display a figure with its text alternative
- ``dataset()`` / ``load_dataset(path)`` — validated facts, events, places and sources
- ``DataError`` — the one error a malformed data file raises
- ``DualDate``, ``dual(text)``, ``calendar_converter()`` — both calendars
- ``estimates_figure``, ``quantity_figure``, ``timeline_figure`` — figure builders
- ``RotationCalculator`` — the Red Guard calculator (lesson 07)
- ``europe_1914``, ``world_map``, ``petrograd_map``, ``route_map``, ``InsurrectionMap`` — offline maps
- ``TimelineExplorer`` — a timeline with an Old Style / New Style toggle and filters
- lesson centrepieces: ``PowerExplorer`` (01), ``ShareExplorer`` (02), ``FebruaryDays`` (03),
  ``DualPowerExplorer`` (04), ``PartyComparison`` (05),
  ``date_check_figure`` (08), ``share_figure`` (06, 08), ``MatchingActivity`` (09), ``ClaimBuilder`` (10)
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

__version__ = "0.1.0"

_EXPORTS = {
    "Lesson": "lessonkit.lesson",
    "Bundle": "lessonkit.lesson",
    "show": "lessonkit.alt",
    "TextAlternative": "lessonkit.alt",
    "dataset": "lessonkit.data",
    "load_dataset": "lessonkit.data",
    "DataError": "lessonkit.schema",
    "DualDate": "lessonkit.calendar",
    "dual": "lessonkit.calendar",
    "calendar_converter": "lessonkit.calendar",
    "estimates_figure": "lessonkit.figures",
    "quantity_figure": "lessonkit.figures",
    "timeline_figure": "lessonkit.timeline",
    "RotationCalculator": "lessonkit.calculators",
    "TimelineExplorer": "lessonkit.timeline",
    "europe_1914": "lessonkit.maps",
    "world_map": "lessonkit.maps",
    "petrograd_map": "lessonkit.maps",
    "route_map": "lessonkit.maps",
    "InsurrectionMap": "lessonkit.maps",
    "power_figure": "lessonkit.power",
    "PowerExplorer": "lessonkit.power",
    "DualPowerExplorer": "lessonkit.dualpower",
    "PartyComparison": "lessonkit.parties",
    "date_check_figure": "lessonkit.datecheck",
    "share_figure": "lessonkit.crowds",
    "MatchingActivity": "lessonkit.matching",
    "ShareExplorer": "lessonkit.workforce",
    "FebruaryDays": "lessonkit.february",
    "ClaimBuilder": "lessonkit.evidence",
    "DiscussionPrompt": "lessonkit.prompts",
    "Quiz": "lessonkit.quiz",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        value = getattr(import_module(_EXPORTS[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'lessonkit' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(list(globals()) + __all__)
