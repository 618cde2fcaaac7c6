"""docs/workflows/suggestions.md's state diagrams are the transition tables, arrow for arrow, and its
example deadlines are what the seeded calendar computes."""

import datetime as dt
import re
from pathlib import Path

import pytest

from renda.core.workdays.calendar import compute_due
from renda.core.workdays.models import DeadlinePolicy
from renda.core.workdays.selectors import calendar_load
from renda.suggestions.models import Assignment, Extension, Signer, Suggestion
from renda.suggestions.workflow import ASSIGNMENT_FLOW, EXTENSION_FLOW, SIGNER_FLOW, SUGGESTION_FLOW

DOC = Path(__file__).resolve().parents[3] / "docs" / "workflows" / "suggestions.md"
ARROW = re.compile(r"^\s*(\w+) --> (\w+) : (\w+)\s*$")
EXAMPLE = re.compile(r"^\| (\d{4}-\d{2}-\d{2}) \| (\w+) \| (\d{4}-\d{2}-\d{2}) \|", re.M)


def text() -> str:
    return DOC.read_text(encoding="utf-8")


def diagrams() -> list[set[tuple[str, str, str]]]:
    """The arrows of each mermaid block, in order; `[*]` arrows (start and end) are not transitions."""
    blocks = re.findall(r"```mermaid\n(.*?)```", text(), flags=re.S)
    return [{m.groups() for line in block.splitlines() if (m := ARROW.match(line))} for block in blocks]


def table(flow) -> set[tuple[str, str, str]]:
    return {(str(s), str(t.target), t.action) for t in flow.transitions for s in t.source}


FLOWS = [SUGGESTION_FLOW, ASSIGNMENT_FLOW, SIGNER_FLOW, EXTENSION_FLOW]  # the diagrams' order in the doc


def test_there_is_a_diagram_per_table():
    assert len(diagrams()) == len(FLOWS)


@pytest.mark.parametrize("index", range(len(FLOWS)), ids=["suggestion", "assignment", "signer", "extension"])
def test_diagram_matches_table(index):
    drawn, coded = diagrams()[index], table(FLOWS[index])
    assert drawn - coded == set(), "arrows in the doc that the table does not have"
    assert coded - drawn == set(), "transitions missing from the doc"


def test_the_parser_sees_a_wrong_arrow():
    """The comparison can fail: a changed action name is an arrow the table does not have."""
    arrows = diagrams()[0]
    assert ("accepted", "handling", "assign") in arrows
    assert ("accepted", "handling", "assign_all") not in table(SUGGESTION_FLOW)


@pytest.mark.parametrize(("flow", "model"), [(SUGGESTION_FLOW, Suggestion), (ASSIGNMENT_FLOW, Assignment),
                                             (SIGNER_FLOW, Signer), (EXTENSION_FLOW, Extension)])
def test_every_state_is_documented_with_its_label(flow, model):
    doc = text()
    labels = dict(model.Status.choices)
    assert flow.states() == set(labels), "a state the table never reaches, or one the model does not have"
    for state in flow.states():
        assert f"| {state} | {labels[state]} |" in doc, state


def test_every_automatic_transition_is_explained():
    doc = text()
    for flow in FLOWS:
        for t in flow.transitions:
            if t.permission == "suggestions.follow":
                assert f"`{t.action}`" in doc or f"**{t.action}" in doc, t.action


@pytest.mark.django_db
def test_every_policy_code_in_the_doc_exists_with_the_documented_rule():
    doc = text()
    rules = {"suggestion_sign": ("working_days", 7), "coop_views": ("calendar_months", 1),
             "suggestion_reply": ("calendar_months", 3), "suggestion_rehandle": ("calendar_months", 1)}
    for code, (unit, amount) in rules.items():
        assert f"`{code}`" in doc
        p = DeadlinePolicy.objects.get(code=code)
        assert (p.unit, p.amount) == (unit, amount), code
        assert p.unit == "working_days" or p.roll_to_workday, code


@pytest.mark.django_db
def test_the_documented_example_dates_are_what_the_calendar_computes():
    examples = EXAMPLE.findall(text())
    assert len(examples) >= 10
    cal = calendar_load()
    wrong = []
    for start, code, due in examples:
        p = DeadlinePolicy.objects.get(code=code)
        got, _explanation = compute_due(start=dt.date.fromisoformat(start), unit=p.unit, amount=p.amount,
                                        roll_to_workday=p.roll_to_workday, calendar=cal)
        if got.isoformat() != due:
            wrong.append((start, code, due, got.isoformat()))
    assert wrong == []
