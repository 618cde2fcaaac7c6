"""docs/workflows/opinions.md's state diagrams are the transition tables, arrow for arrow."""

import re
from pathlib import Path

from renda.opinions.workflow import ASSIGNMENT_FLOW, OPINION_FLOW

DOC = Path(__file__).resolve().parents[3] / "docs" / "workflows" / "opinions.md"
ARROW = re.compile(r"^\s*(\w+) --> (\w+) : (\w+)\s*$")


def diagrams() -> list[set[tuple[str, str, str]]]:
    blocks = re.findall(r"```mermaid\n(.*?)```", DOC.read_text(encoding="utf-8"), flags=re.S)
    out = []
    for block in blocks:
        arrows = set()
        for line in block.splitlines():
            m = ARROW.match(line)
            if m:
                arrows.add(m.groups())
        out.append(arrows)
    return out


def table(flow) -> set[tuple[str, str, str]]:
    return {(str(s), str(t.target), t.action) for t in flow.transitions for s in t.source}


def test_opinion_diagram_matches_table():
    assert diagrams()[0] == table(OPINION_FLOW)


def test_assignment_diagram_matches_table():
    assert diagrams()[1] == table(ASSIGNMENT_FLOW)


def test_every_state_is_documented():
    text = DOC.read_text(encoding="utf-8")
    for flow in (OPINION_FLOW, ASSIGNMENT_FLOW):
        for state in flow.states():
            assert f"| {state} |" in text, state
