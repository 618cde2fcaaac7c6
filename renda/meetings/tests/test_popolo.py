"""The public Popolo export (renda/meetings/popolo.py, GET /api/public/popolo/{congress_id}): every item
validates against the Popolo JSON schemas, secret votes export counts only, nothing unpublished or
unannounced is in it, no personal data, and a fixed number of queries."""

import json
from pathlib import Path

import jsonschema_rs
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from renda.ballots import services as ballots
from renda.ballots.world import act, make_people, voter
from renda.meetings import services
from renda.meetings.popolo import popolo_export
from renda.meetings.world import mw

pytestmark = pytest.mark.django_db

# The Popolo project's own schemas (specification 1.0.1), kept read-only beside the project.
# A copy of the Popolo specification's JSON schemas (see popolo_schemas/NOTICE.md): tests need no
# files outside the repository.
SCHEMAS = Path(__file__).resolve().parent / "popolo_schemas"
BASE = "http://www.popoloproject.com/schemas/"
CLASSES = {"persons": "person", "organizations": "organization", "memberships": "membership", "posts": "post",
           "events": "event", "motions": "motion", "vote_events": "vote_event"}


@pytest.fixture(autouse=True)
def _no_throttles(settings):
    settings.RENDA_API_THROTTLE_RATES = {"anon": None, "auth": None}


def _draft4(node):
    """The schemas are JSON Schema draft-03, which jsonschema-rs (requirements/test.txt) does not read.
    The only draft-03 keyword they use is `required: true` inside a property, which draft-04 spells as
    a `required` list on the object; everything else (`type` lists, `$ref`, `pattern`, `format`, `id`)
    means the same in both."""
    if isinstance(node, list):
        return [_draft4(x) for x in node]
    if not isinstance(node, dict):
        return node
    out, required = {}, []
    for key, value in node.items():
        if key == "$schema":
            out[key] = "http://json-schema.org/draft-04/schema#"
        elif key == "properties":
            props = {}
            for name, prop in value.items():
                prop = _draft4(prop)
                if prop.pop("required", False) is True:
                    required.append(name)
                props[name] = prop
            out[key] = props
        else:
            out[key] = _draft4(value)
    if required:
        out["required"] = required
    return out


@pytest.fixture(scope="module")
def validators():
    schemas = {BASE + f.name: _draft4(json.loads(f.read_text(encoding="utf-8"))) for f in SCHEMAS.glob("*.json")}
    assert len(schemas) == 16

    def local(uri: str):
        # Every $ref is an absolute popoloproject.com URL: serve the local copy, never the network.
        return schemas[uri.split("#")[0]]

    return {key: jsonschema_rs.Draft4Validator(schemas[f"{BASE}{cls}.json"], validate_formats=True, retriever=local)
            for key, cls in CLASSES.items()}


def _publish(vote_id, chair):
    services.close_vote(actor=chair, vote_id=vote_id)
    return services.publish_vote(actor=chair, vote_id=vote_id)


@pytest.fixture
def session(world):
    """mw's session, plus published votes of the other kinds: a named appointment of two, a secret
    票决, a named satisfaction vote and a secret score vote; and one vote closed but not published."""
    o = mw(world)
    staff, chair = act(world, "staff"), act(world, "director")
    people = o.committee.people[:20]
    judges = make_people(2, prefix="法官")

    def run(**config):
        vote = services.add_vote(actor=staff, item_id=o.item_done.pk, **config)
        services.open_vote(actor=chair, vote_id=vote.pk)
        return vote, [opt.pk for opt in vote.options.order_by("position")]

    o.appointment, (a, b) = run(kind="appointment", secret=False, title="任命审判员",
                                options=[{"label": f"任命{j.name}为审判员", "person_id": j.pk} for j in judges])
    for i, p in enumerate(people):
        ballots.cast(user=voter(p), vote_id=o.appointment.pk, marks={str(a): "yes", str(b): "no" if i % 2 else "yes"})
    _publish(o.appointment.pk, chair)
    o.choice, (x, y, z) = run(kind="choice", secret=True, title="民生实事项目票决", max_choices=2,
                              options=[{"label": "加装电梯"}, {"label": "农贸市场改造"}, {"label": "口袋公园"}])
    for i, p in enumerate(people):
        ballots.cast(user=voter(p), vote_id=o.choice.pk, marks={"chosen": [x, y] if i < 12 else [x, z]})
    _publish(o.choice.pk, chair)
    o.satisfaction, (s,) = run(kind="satisfaction", secret=False, title="满意度测评", options=[{"label": "市住建局"}])
    for i, p in enumerate(people[:10]):
        ballots.cast(user=voter(p), vote_id=o.satisfaction.pk, marks={str(s): "satisfied" if i < 7 else "basic"})
    _publish(o.satisfaction.pk, chair)
    o.score, targets = run(kind="score", secret=True, title="履职评议",
                           options=[{"label": "审判员甲"}, {"label": "审判员乙"}])
    for i, p in enumerate(people[:8]):
        ballots.cast(user=voter(p), vote_id=o.score.pk,
                     marks={str(targets[0]): [90 - i] * 6, str(targets[1]): [70 + i] * 6})
    _publish(o.score.pk, chair)
    o.closed, (c,) = run(kind="motion", secret=False, title="关于某事项的决定")
    for p in people[:15]:
        ballots.cast(user=voter(p), vote_id=o.closed.pk, marks={str(c): "yes"})
    services.close_vote(actor=chair, vote_id=o.closed.pk)
    return o


def _export(client, congress_id):
    r = client.get(f"/api/public/popolo/{congress_id}")
    assert r.status_code == 200, r.content
    return r.json()


def _vote_ids(doc) -> set[int]:
    return {e["extra"]["vote_id"] for e in doc["vote_events"]} | {m["extra"]["vote_id"] for m in doc["motions"]}


def test_every_item_validates_against_the_popolo_schemas(world, client, session, validators):
    doc = _export(client, world.city.pk)
    assert set(doc) == {*CLASSES, "extra"}
    for key, validator in validators.items():
        assert doc[key], key
        for item in doc[key]:
            errors = [e.message for e in validator.iter_errors(item)]
            assert errors == [], (key, item["id"], errors)
    # The validators do check: a count without its integer value is refused.
    bad = {**doc["vote_events"][0], "counts": [{"option": "yes", "value": "18"}]}
    assert not validators["vote_events"].is_valid(bad)
    assert not validators["events"].is_valid({**doc["events"][0], "start_date": "29/11/2026"})


def test_every_reference_points_into_the_document(world, client, session):
    doc = _export(client, world.city.pk)
    ids = {key: {x["id"] for x in doc[key]} for key in CLASSES}
    events = ids["events"] | {c["id"] for e in doc["events"] for c in e.get("children", [])}
    for m in doc["memberships"]:
        assert m["person_id"] in ids["persons"] and m["organization_id"] in ids["organizations"]
        assert m.get("post_id") is None or m["post_id"] in ids["posts"]
    for e in doc["events"]:
        assert e["organization_id"] in ids["organizations"]
    for m in doc["motions"]:
        assert m["legislative_session_id"] in events and m["organization_id"] in ids["organizations"]
    for v in doc["vote_events"]:
        assert v["motion_id"] in ids["motions"] and v["legislative_session_id"] in events
        assert {x["voter_id"] for x in v.get("votes", [])} <= ids["persons"]
    assert {p["organization_id"] for p in doc["posts"]} == {f"committee/{world.city.pk}"}


def test_only_published_votes_and_announced_meetings_are_exported(world, client, session):
    o = session
    doc = _export(client, world.city.pk)
    assert _vote_ids(doc) == {o.vote_published.pk, o.appointment.pk, o.choice.pk, o.satisfaction.pk, o.score.pk}
    for hidden in (o.vote_open, o.vote_draft, o.closed):
        assert hidden.pk not in _vote_ids(doc)
    assert [e["id"] for e in doc["events"]] == [f"meeting/{o.session.pk}"]  # the draft session is not announced
    assert [c["name"] for c in doc["events"][0]["children"]] == [o.item_open.title, o.item_done.title]
    # Publishing the closed vote puts it in.
    services.publish_vote(actor=act(world, "director"), vote_id=o.closed.pk)
    assert o.closed.pk in _vote_ids(_export(client, world.city.pk))
    # The town's meeting belongs to the town's export, once announced.
    town = _export(client, world.town.pk)
    assert town["events"] == [] and town["organizations"][1]["name"] == "沙溪镇人大主席团"


def test_secret_votes_are_counts_only_and_named_votes_list_each_voter(world, client, session):
    o = session
    doc = _export(client, world.city.pk)
    by_vote = {}
    for e in doc["vote_events"]:
        by_vote.setdefault(e["extra"]["vote_id"], []).append(e)
    for vote in (o.choice, o.score):
        for e in by_vote[vote.pk]:
            assert "votes" not in e and e["extra"]["secret"] is True
            assert "voter" not in json.dumps(e)
    [choice] = by_vote[o.choice.pk]
    assert choice["counts"] == [{"option": "加装电梯", "value": 20}, {"option": "农贸市场改造", "value": 12},
                                {"option": "口袋公园", "value": 8}]
    assert choice["extra"]["selected"] == ["加装电梯", "农贸市场改造"]
    # The named appointment: one motion and one vote event per person, each voter's option listed.
    first, second = by_vote[o.appointment.pk]
    assert [c["value"] for c in second["counts"]] == [10, 10, 0] and second["result"] == "fail"
    assert first["result"] == "pass" and len(first["votes"]) == 20
    people = o.committee.people
    assert {"voter_id": f"person/{people[1].pk}", "option": "no"} in second["votes"]
    assert {"voter_id": f"person/{people[0].pk}", "option": "yes"} in second["votes"]
    assert first["extra"]["explanation"].endswith("超过全体组成人员 35 人的半数，通过")
    [mv] = by_vote[o.vote_published.pk]
    assert [c["value"] for c in mv["counts"]] == [18, 0, 0] and len(mv["votes"]) == 18
    [sat] = by_vote[o.satisfaction.pk]
    assert sat["counts"] == [{"option": "satisfied", "value": 7}, {"option": "basic", "value": 3},
                             {"option": "unsatisfied", "value": 0}] and len(sat["votes"]) == 10
    grades = [e["result"] for e in by_vote[o.score.pk]]
    assert grades == ["满意", "基本满意"] and all(e["counts"] == [] for e in by_vote[o.score.pk])
    # Persons put to an appointment vote are named, nothing more.
    judge = next(p for p in doc["persons"] if p["name"].startswith("法官"))
    assert set(judge) == {"id", "name"}


def test_no_personal_data_is_exported(world, client, session):
    text = json.dumps(_export(client, world.city.pk), ensure_ascii=False)
    p = world.person
    for secret in (p.phone, p.email, p.id_number, p.birth_date.isoformat(), session.session.checkin_token):
        assert secret not in text
    assert "张建国" in text and "沙溪镇新港社区党委书记" in text  # the public profile is
    assert "leave_reason" not in text and "minutes" not in text


def test_the_export_costs_a_fixed_number_of_queries(world, session):
    with CaptureQueriesContext(connection) as few:
        popolo_export(congress_id=world.city.pk)
    staff, chair = act(world, "staff"), act(world, "director")
    item = services.add_item(actor=staff, meeting_id=session.session.pk, title="又一个议题")
    for i in range(3):
        vote = services.add_vote(actor=staff, item_id=item.pk, kind="motion", secret=bool(i % 2), title=f"决定{i}")
        services.open_vote(actor=chair, vote_id=vote.pk)
        key = str(vote.options.get().pk)
        for p in session.committee.people[:20]:
            ballots.cast(user=voter(p), vote_id=vote.pk, marks={key: "yes"})
        _publish(vote.pk, chair)
    with CaptureQueriesContext(connection) as many:
        doc = popolo_export(congress_id=world.city.pk)
    assert len(doc["vote_events"]) == len(popolo_export(congress_id=world.city.pk)["vote_events"])
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]
    assert len(few) <= 15


def test_an_unknown_congress_is_404(client, world):
    r = client.get("/api/public/popolo/999999")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.get("/api/public/popolo/0").status_code == 422
