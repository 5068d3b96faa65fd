"""Source quality: kinds are a closed vocabulary, claim checks rest on evidence, the share of good sources holds."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lessonkit.cli import main
from lessonkit.model import quality
from lessonkit.model.content import SCHOOLS, all_lessons, parse_lesson, schools
from lessonkit.model.data import ARTICLE_SOURCE, load_dataset
from lessonkit.model.schema import EVIDENCE_KINDS, SOURCE_KINDS, DataError

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "data"

SOURCES = (
    "id,short,author,title,year,kind,where_read,note\n"
    f"{ARTICLE_SOURCE},The Spark 1977,The Spark,The Russian Revolution,1977,article,,\n"
    "doc,Decree,Sovnarkom,A decree,1917,primary,,\n"
    "enc,Encyclopedia,Someone,An entry,,reference,,\n"
    "pipes,Pipes 1990,Richard Pipes,The Russian Revolution,1990,scholarly,,\n"
)

# Sites whose pages are blogs, machine-written text, flashcards, revision notes, forums or fan wikis.
FORBIDDEN_SITES = (
    "blogspot.", "wordpress.", "getrevising", "studystack", "grokipedia", "johndclare", "alphahistory",
    "angelfire", "fandom", "kidzsearch", "rallypoint", "globaltimeline", "triptipper", "bcoolguide", "okoguide",
    "frwiki.wiki", "clever-geek", "democracyvsdictatorship",
)


FACT_HEAD = "id,quantity,label,value,low,high,unit,date,place,source,confidence,lessons,note\n"
EVENT_HEAD = "id,date,time,title,description,place,lessons,sources,confidence,note\n"
PLACE_HEAD = "id,name,name_1917,kind,lat,lon,source,confidence,approximate,note\n"


def make_data(tmp_path: Path, sources: str, facts: str = FACT_HEAD, events: str = EVENT_HEAD,
              places: str = PLACE_HEAD) -> Path:
    """A small data folder with the four tables."""
    root = tmp_path / "data"
    (root / "facts").mkdir(parents=True)
    (root / "sources.csv").write_text(sources, encoding="utf-8")
    (root / "facts" / "one.csv").write_text(facts, encoding="utf-8")
    (root / "events.csv").write_text(events, encoding="utf-8")
    (root / "places.csv").write_text(places, encoding="utf-8")
    return root


def lesson(extra: str) -> str:
    return f"""
[lesson]
id = "07"
slug = "demo"
title = "Demo"
article_section = "The Red Guard"
minutes = 10
compelling_question = "How strong was the guard?"
objectives = ["Know"]
{extra}
"""


def parse(extra: str):
    import tomllib

    path = Path("07_demo.toml")
    return parse_lesson(path, tomllib.loads(lesson(extra)))


def small_data(tmp_path: Path, facts: str) -> Path:
    events = EVENT_HEAD + "e1,1918-01-06,,Assembly dispersed,Closed by force.,,07,doc;enc,high,\n"
    places = PLACE_HEAD + "p1,Winter Palace,,site,59.94,30.31,enc,high,no,\n"
    return make_data(tmp_path, sources=SOURCES, facts=FACT_HEAD + facts, events=events, places=places)


# ---------------------------------------------------------------- the vocabulary


def test_a_kind_outside_the_vocabulary_names_file_row_and_field(tmp_path: Path) -> None:
    root = make_data(tmp_path, sources=SOURCES + "bl,Blog,Someone,A post,,blog,,\n")
    with pytest.raises(DataError) as info:
        load_dataset(root)
    message = str(info.value)
    assert "sources.csv, row 6, field 'kind'" in message and "'blog' is not a source kind" in message
    assert all(kind in message for kind in SOURCE_KINDS)


def test_only_the_article_has_kind_article() -> None:
    ds = load_dataset(DATA)
    assert [s.id for s in ds.sources.values() if s.kind == "article"] == [ARTICLE_SOURCE]


@pytest.mark.parametrize("site", FORBIDDEN_SITES)
def test_no_source_was_read_on_a_blog_or_revision_site(site: str) -> None:
    ds = load_dataset(DATA)
    found = [s.id for s in ds.sources.values() if site in s.where_read.lower()]
    assert found == [], f"sources read on {site}: replace them with a document or a historian's work"


def test_every_source_is_cited() -> None:
    ds = load_dataset(DATA)
    cited = {c.source for c in quality.citations(ds, all_lessons(), schools().values())}
    cited |= {lesson.source_card.source for lesson in all_lessons() if lesson.source_card}
    assert sorted(set(ds.sources) - cited) == []


# ---------------------------------------------------------------- the share


def test_evidence_share_counts_primary_and_scholarly_over_non_article(tmp_path: Path) -> None:
    facts = (
        "a,q,The article's figure,1,,,x,,,spark1977,unverified,07,\n"
        "b,q,A decree's figure,2,,,x,,,doc,high,07,\n"
        "c,q,An encyclopedia's figure,3,,,x,,,enc,medium,07,\n"
    )
    ds = load_dataset(small_data(tmp_path, facts))
    cites = quality.citations(ds)
    # facts: doc, enc (the article is left out); the event: doc, enc; the place: enc
    assert quality.evidence_share(cites) == (2, 5)
    assert quality.kind_counts(cites) == {"article": 1, "primary": 2, "reference": 3}


def test_at_least_half_of_all_citations_are_primary_or_scholarly() -> None:
    ds = load_dataset(DATA)
    good, total = quality.evidence_share(quality.citations(ds, all_lessons(), schools().values()))
    assert total > 300
    assert good / total >= quality.MIN_EVIDENCE_SHARE, f"{good} of {total} ({good / total:.0%})"


def test_check_reports_the_share(capsys: pytest.CaptureFixture[str]) -> None:
    main(["check"])
    out = capsys.readouterr().out
    line = next(line for line in out.splitlines() if "citations of sources other than the article" in line)
    good, total = (int(n) for n in re.findall(r"(\d+) of (\d+)", line)[0])
    ds = load_dataset(DATA)
    assert (good, total) == quality.evidence_share(quality.citations(ds, all_lessons(), schools().values()))


# ---------------------------------------------------------------- claim checks and silences


CHECK = """
[[claim_checks]]
id = "strength"
claim = "Twenty thousand."
quantity = "q"
question = "Does it hold?"
title = "How many?"
axis_title = "Members"
"""


def test_a_claim_check_with_only_a_reference_beside_the_article_is_a_problem(tmp_path: Path) -> None:
    facts = "a,q,Article,1,,,x,,,spark1977,unverified,07,\nc,q,Encyclopedia,3,,,x,,,enc,medium,07,\n"
    ds = load_dataset(small_data(tmp_path, facts))
    problems = quality.lesson_evidence_problems(parse(CHECK), ds)
    assert problems == [
        "claim check 'strength': no primary or scholarly source beside the article (other sources are: reference)"
    ]
    facts += "d,q,Historian,2,,,x,,,pipes,high,07,\n"
    assert quality.lesson_evidence_problems(parse(CHECK), load_dataset(small_data(tmp_path / "b", facts))) == []


def test_every_claim_check_sets_evidence_beside_the_article() -> None:
    ds = load_dataset(DATA)
    problems = [p for lesson in all_lessons() for p in quality.lesson_evidence_problems(lesson, ds, SCHOOLS)]
    assert problems == []


def test_every_claim_check_compares_the_article_with_a_good_source() -> None:
    ds = load_dataset(DATA)
    for lesson in all_lessons():
        for check in lesson.claim_checks:
            kinds = {ds.sources[f.source].kind for f in ds.quantity(check.quantity)}
            assert kinds & set(EVIDENCE_KINDS), f"lesson {lesson.id} claim check {check.id}"


SILENCE = """
[[left_out]]
id = "assembly"
title = "The Constituent Assembly"
text = "It was closed."
evidence = ["event:e1"]
sources = {sources}
question = "Why leave it out?"
"""


@pytest.mark.parametrize(
    ("sources", "evidence", "problem"),
    [
        ('["pipes"]', '["event:e1"]', None),
        ('["spark1977"]', '["event:e1"]', "cites the article"),
        ("[]", '["event:nothing"]', "no data row 'event:nothing'"),
        ('["enc"]', '["fact:c"]', "no primary or scholarly source"),
        ('["nobody"]', '["event:e1"]', "unknown source id 'nobody'"),
    ],
)
def test_left_out_rules(tmp_path: Path, sources: str, evidence: str, problem: str | None) -> None:
    facts = "c,q,Encyclopedia,3,,,x,,,enc,medium,07,\n"
    ds = load_dataset(small_data(tmp_path, facts))
    text = SILENCE.format(sources=sources).replace('["event:e1"]', evidence)
    problems = quality.lesson_evidence_problems(parse(text), ds)
    if problem is None:
        assert problems == []
    else:
        assert any(problem in p for p in problems), problems


@pytest.mark.parametrize(
    ("table", "where", "field", "reason"),
    [
        ('[[left_out]]\nid = "x"\ntitle = "T"\ntext = "T"\nquestion = "Q"\n', "left_out[1]", "evidence",
         "name at least one"),
        ('[[left_out]]\nid = "x"\ntitle = "T"\ntext = "T"\nquestion = "Q"\nevidence = ["e1"]\n', "left_out[1]",
         "evidence", "must look like 'event:<id>'"),
        ('[[historians]]\nschool = "whig"\nanswer = "A"\nworks = ["pipes"]\n', "historians[1]", "school",
         "not a school"),
        ('[[historians]]\nschool = "liberal"\nanswer = "A"\nworks = []\n', "historians[1]", "works",
         "missing or empty"),
        ('[[historians]]\nschool = "liberal"\nanswer = "A"\nworks = ["p"]\n'
         '[[historians]]\nschool = "liberal"\nanswer = "B"\nworks = ["p"]\n', "historians[2]", "school", "twice"),
    ],
)
def test_bad_left_out_and_historians_name_entry_and_field(table: str, where: str, field: str, reason: str) -> None:
    with pytest.raises(DataError) as info:
        parse(table)
    message = str(info.value)
    assert where in message and f"field '{field}'" in message and reason in message, message


def test_schools_file_names_all_four_schools_with_works_that_exist() -> None:
    ds = load_dataset(DATA)
    found = schools()
    assert list(found) == list(SCHOOLS)
    for school in found.values():
        assert school.works and all(w in ds.sources for w in school.works), school.id
