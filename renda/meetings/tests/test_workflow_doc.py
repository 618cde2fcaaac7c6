"""docs/workflows/meetings.md and docs/ballots.md draw the transition tables, arrow for arrow."""

import re
from pathlib import Path

import pytest

from renda.ballots.workflow import VOTE_FLOW
from renda.meetings.workflow import MEETING_FLOW

DOCS = Path(__file__).resolve().parents[3] / "docs"
ARROW = re.compile(r"^\s*(\w+) --> (\w+) : (\w+)\s*$")


def arrows(doc: str) -> set[tuple[str, str, str]]:
    (block,) = re.findall(r"```mermaid\n(.*?)```", (DOCS / doc).read_text(encoding="utf-8"), flags=re.S)
    return {m.groups() for line in block.splitlines() if (m := ARROW.match(line))}


def table(flow) -> set[tuple[str, str, str]]:
    return {(str(s), str(t.target), t.action) for t in flow.transitions for s in t.source}


@pytest.mark.parametrize("doc,flow", [("workflows/meetings.md", MEETING_FLOW), ("ballots.md", VOTE_FLOW)],
                         ids=["meeting", "vote"])
def test_diagram_matches_table(doc, flow):
    drawn, coded = arrows(doc), table(flow)
    assert drawn - coded == set(), "arrows in the doc that the table does not have"
    assert coded - drawn == set(), "transitions missing from the doc"


def test_the_comparison_can_fail():
    drawn = arrows("ballots.md") | {("closed", "open", "reopen")}
    assert drawn - table(VOTE_FLOW) == {("closed", "open", "reopen")}
