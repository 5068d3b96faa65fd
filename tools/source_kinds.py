"""Citations by source kind, overall and per data file: ``python tools/source_kinds.py [LESSON ...]``.

With lesson numbers (``07 08``), only the data files and lesson files of those lessons are counted, and
each citation of a source that is not primary or scholarly is listed, so an author can see what to
replace. The share printed is primary + scholarly over every citation of a source other than the article.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

from lessonkit.model import quality
from lessonkit.model.content import all_lessons
from lessonkit.model.data import ARTICLE_SOURCE, load_dataset
from lessonkit.model.schema import EVIDENCE_KINDS


def main(argv: list[str]) -> int:
    ds = load_dataset()
    lessons = all_lessons()
    wanted = set(argv)
    where_file: dict[str, str] = {}
    for table, rows in (("facts", ds.facts), ("events", ds.events)):
        folder = ds.root / table
        for path in sorted(folder.glob("*.csv")):
            text = path.read_text(encoding="utf-8")
            for key in rows:
                if f"\n{key}," in text:
                    where_file[f"{table[:-1]} {key}"] = path.name
    cites = quality.citations(ds, lessons)
    by_file: dict[str, list[quality.Citation]] = {}
    for c in cites:
        name = where_file.get(c.where, c.where.split(" ")[0] if c.where.startswith("place") else c.where)
        if c.where.startswith("lesson "):
            name = f"lesson {c.where.split()[1]}"
        by_file.setdefault(name, []).append(c)
    selected = {
        name: cs
        for name, cs in by_file.items()
        if not wanted or any(name.startswith(w) or name == f"lesson {w}" for w in wanted)
    }
    for name, cs in sorted(selected.items()):
        good, total = quality.evidence_share(cs)
        share = f"{100 * good / total:.0f}%" if total else "-"
        counts = Counter(c.kind for c in cs)
        print(f"{name:45} {share:>5} of {total:3}  " + ", ".join(f"{k} {n}" for k, n in counts.most_common()))
        if wanted:
            for c in cs:
                if c.source != ARTICLE_SOURCE and c.kind not in EVIDENCE_KINDS:
                    print(f"      {c.kind:10} {c.source:28} {c.where}")
    all_selected = [c for cs in selected.values() for c in cs]
    good, total = quality.evidence_share(all_selected)
    print(f"\nprimary or scholarly: {good} of {total} non-article citations ({100 * good / max(total, 1):.1f}%)")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main(sys.argv[1:]))
