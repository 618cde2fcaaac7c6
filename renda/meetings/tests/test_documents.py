"""Minutes as .docx and PDF (renda/meetings/documents.py): the house style, attendance and the quorum,
each published vote's explained result and table, no figures of an unpublished vote, no network."""

import re

import pytest
from django.urls import reverse

from renda.ballots import services as ballots
from renda.ballots.world import act, make_people, voter
from renda.meetings import documents, selectors, services
from renda.meetings.world import adjourned, committee, mw, session
from renda.opinions.tests.test_public import pdf_font_names
from renda.suggestions.tests.test_documents import all_text, assert_official_layout, find_row, open_docx

pytestmark = pytest.mark.django_db

MOTION = "应到 35 人，出席 22 人，赞成 20 票，反对 1 票，弃权 0 票，未投票 1 人，超过全体组成人员 35 人的半数，通过"


@pytest.fixture
def closed(world):
    """The adjourned session the matrix rows use too (renda/meetings/matrix/documents.py)."""
    return adjourned(world)


def _cast(vote, people, marks_of):
    for i, p in enumerate(people):
        ballots.cast(user=voter(p), vote_id=vote.pk, marks=marks_of(i))


@pytest.fixture
def full(world):
    """A session with every kind of result: a choice of 2 of 4 projects, scores of two judges,
    satisfaction with two projects (all published, 5 papers each), and an appointment closed with
    7 against and 6 abstentions but not published; an attendee (列席) and an observer (旁听)."""
    c = committee(world)
    staff = act(world, "staff")
    m = session(world, title="太仓市第十七届人大常委会第七次会议")
    guest, visitor = make_people(2, prefix="来宾")
    services.set_participant(actor=staff, meeting_id=m.pk, person_id=guest.pk, role="attendee", title="副市长")
    services.set_participant(actor=staff, meeting_id=m.pk, person_id=visitor.pk, role="observer")
    services.reply(user=voter(c.people[-1]), meeting_id=m.pk, attending=False, reason="因病住院")
    services.convene(actor=staff, meeting_id=m.pk)
    for p in [*c.people[:20], guest, visitor]:
        services.staff_check_in(actor=staff, meeting_id=m.pk, person_id=p.pk)
    voters = c.people[:5]

    def run(vote, marks_of, people=voters, publish=True):
        services.open_vote(actor=staff, vote_id=vote.pk)
        _cast(vote, people, marks_of)
        services.close_vote(actor=staff, vote_id=vote.pk)
        return services.publish_vote(actor=staff, vote_id=vote.pk) if publish else vote

    projects = services.add_item(actor=staff, meeting_id=m.pk, title="2024年民生实事项目票决")
    choice = services.add_vote(actor=staff, item_id=projects.pk, kind="choice", max_choices=2,
                               options=[{"label": f"项目{i}"} for i in "甲乙丙丁"])
    o = [x.pk for x in choice.options.order_by("position")]
    run(choice, lambda i: {"chosen": [[o[0], o[1]], [o[0], o[2]], [o[0], o[1]], [o[1]], []][i]})
    judges = services.add_item(actor=staff, meeting_id=m.pk, title="审判员履职评议")
    score = services.add_vote(actor=staff, item_id=judges.pk, kind="score",
                              options=[{"label": "审判员甲"}, {"label": "审判员乙"}])
    a, b = (str(x.pk) for x in score.options.order_by("position"))
    pairs = [(90, 70), (88, 72), (60, 90), (95, 60), (86, 75)]
    run(score, lambda i: {a: [pairs[i][0]] * 6, b: [pairs[i][1]] * 6})
    rating = services.add_item(actor=staff, meeting_id=m.pk, title="民生实事项目满意度测评")
    satisfaction = services.add_vote(actor=staff, item_id=rating.pk, kind="satisfaction",
                                     options=[{"label": "老旧小区改造"}, {"label": "农贸市场提升"}])
    s1, s2 = (str(x.pk) for x in satisfaction.options.order_by("position"))
    marks = [("satisfied", "basic"), ("satisfied", "unsatisfied"), ("basic", "unsatisfied"),
             ("unsatisfied", "satisfied"), ("satisfied", "satisfied")]
    run(satisfaction, lambda i: {s1: marks[i][0], s2: marks[i][1]})
    people_item = services.add_item(actor=staff, meeting_id=m.pk, title="人事任免事项")
    hidden = services.add_vote(actor=staff, item_id=people_item.pk, kind="appointment", title="任命审判员",
                               options=[{"label": "任命赵建国为市人民法院审判员"}])
    h = str(hidden.options.get().pk)
    run(hidden, lambda i: {h: "no" if i < 7 else "abstain"}, people=c.people[:13], publish=False)
    services.set_minutes(actor=staff, meeting_id=m.pk, minutes="会议进行了票决和评议。",
                         decisions={projects.pk: "确定项目甲、项目乙为2024年民生实事项目。"})
    return services.adjourn(actor=staff, meeting_id=m.pk)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def pdf_text(minutes) -> str:
    """The text WeasyPrint laid out on the pages (no PDF text extractor is installed)."""
    from weasyprint.formatting_structure.boxes import TextBox

    document = documents.minutes_pdf_document(minutes)
    return "".join(box.text for page in document.pages for box in page._page_box.descendants()
                   if isinstance(box, TextBox))


# --- the content --------------------------------------------------------------------------------------------
def test_the_minutes_say_who_came_and_the_quorum(world, closed):
    m = documents.minutes_content(closed.meeting)
    assert m.title == "太仓市第十七届人大常委会第四次会议纪要"
    assert (m.members, len(m.present), m.leave, len(m.absent)) == (35, 22, (("肖建建", "因公出差"),), 12)
    assert m.chair == closed.committee.director.name and m.place == "市人大常委会会议室"
    assert m.quorum == "出席 22 人，超过全体组成人员 35 人的半数，符合法定人数"
    assert m.attendance_line == "应出席组成人员 35 人，出席 22 人，请假 1 人，缺席 12 人。"
    (item,) = m.items
    motion, hidden = item.votes
    assert motion.published and motion.explanation == MOTION and motion.rows == ()
    assert not hidden.published and hidden.explanation == "结果未公布（已结束，待公布）"
    assert item.decision == "同意接受张某某辞去市人大代表职务。"
    assert m.text == ("会议听取了有关辞职请求的说明。", "会议依法进行了表决。")


def test_votes_not_yet_published_show_their_state_only(world):
    s = mw(world)
    m = documents.minutes_content(s.session)
    blocks = {v.title: v for item in m.items for v in item.votes}
    assert blocks[s.vote_open.title].explanation == "结果未公布（表决中）"
    assert blocks["任命审判员"].explanation == "结果未公布（待表决）"
    assert blocks["关于接受辞职的决定"].published
    assert not m.adjourned and m.status == "会议进行中"


# --- Word ---------------------------------------------------------------------------------------------------
def test_the_docx_keeps_the_house_style_and_carries_every_result(world, full):
    doc = open_docx(documents.minutes_docx(documents.minutes_content(full)))
    assert_official_layout(doc)  # A4, GB/T 9704 margins, w:eastAsia on the styles and on every run
    assert doc.paragraphs[0].text == "太仓市第十七届人大常委会第七次会议纪要"
    text = all_text(doc)
    assert "出席 20 人，超过全体组成人员 35 人的半数，符合法定人数" in text
    assert "请假：肖建建（因病住院）" in text
    assert "列席：来宾王建建" in text and "旁听：1 人" in text and "来宾李建芳" not in text  # observers: counted
    assert "应选 2 名，按得票多少依次当选：项目甲、项目乙" in text
    assert find_row(doc, "1")[1:] == ["项目甲", "3", "当选"]
    assert find_row(doc, "4")[1:] == ["项目丁", "0", "未当选"]
    assert find_row(doc, "审判员甲") == ["审判员甲", "88.00", "满意", "5"]
    assert find_row(doc, "老旧小区改造") == ["老旧小区改造", "3", "1", "1", "0", "80.00%"]
    assert "会议决定：确定项目甲、项目乙为2024年民生实事项目。" in text and "会议进行了票决和评议。" in text
    assert "表决：任命审判员（任免表决，无记名）。表决结果：结果未公布（已结束，待公布）。" in text
    assert "反对 7 票" not in text and "弃权 6 票" not in text and "任命赵建国" not in text


def test_a_draft_says_so(world):
    doc = open_docx(documents.minutes_docx(documents.minutes_content(mw(world).session)))
    assert "会议状态：会议进行中" in doc.paragraphs[1].text


# --- PDF ----------------------------------------------------------------------------------------------------
def test_the_pdf_carries_the_same_results_in_noto_cjk(world, full):
    minutes = documents.minutes_content(full)
    content = documents.minutes_pdf(minutes)
    assert content.startswith(b"%PDF")
    assert re.search(rb"Noto-?S(ans|erif)-?CJK", pdf_font_names(content))
    text = squash(pdf_text(minutes))
    for expected in ("太仓市第十七届人大常委会第七次会议纪要", "出席20人，超过全体组成人员35人的半数，符合法定人数",
                     "肖建建（因病住院）", "应选2名，按得票多少依次当选：项目甲、项目乙", "审判员甲88.00满意5",
                     "老旧小区改造311080.00%", "结果未公布（已结束，待公布）", "—1—"):
        assert expected in text, expected
    assert "反对7票" not in text and "弃权6票" not in text and "任命赵建国" not in text


def test_the_pdf_explains_the_motion(world, closed):
    assert squash(MOTION) in squash(pdf_text(documents.minutes_content(closed.meeting)))


def test_the_pdf_renderer_fetches_nothing(monkeypatch):
    """Only data: URLs are fetched: http(s), ftp and file are refused before any connection."""
    import urllib.request

    from weasyprint import HTML

    opened = []
    real_open = urllib.request.OpenerDirector.open
    monkeypatch.setattr(urllib.request.OpenerDirector, "open",
                        lambda self, url, *a, **k: opened.append(url) or real_open(self, url, *a, **k))
    fetch = documents.pdf_fetcher()
    for url in ("http://example.org/a.png", "https://example.org/a.css", "file:///etc/passwd", "ftp://x/y"):
        with pytest.raises(ValueError):
            fetch(url)
    html = ('<link rel="stylesheet" href="https://example.org/x.css"><img src="http://example.org/x.png">'
            '<img src="file:///etc/hostname"><p>正文</p>')
    assert HTML(string=html, url_fetcher=fetch, base_url="data:,").write_pdf().startswith(b"%PDF")
    assert opened == []
    fetch("data:text/plain,ok").close()  # what the template may use


def test_user_text_is_escaped_in_the_pdf(world, closed):
    meeting = services.set_minutes(actor=act(world, "staff"), meeting_id=closed.meeting.pk,
                                   minutes='<img src="http://evil.example/x">')
    html = documents.minutes_html(documents.minutes_content(meeting))
    assert "<img" not in html and "&lt;img src=&quot;http://evil.example/x&quot;&gt;" in html


# --- the views ----------------------------------------------------------------------------------------------
def test_a_member_downloads_both_after_adjournment(world, closed, client_for):
    client = client_for("deputy")
    docx = client.get(reverse("meetings:minutes_docx", args=[closed.meeting.pk]))
    assert docx.status_code == 200 and docx["Content-Type"] == documents.DOCX_MIME
    assert "attachment" in docx["Content-Disposition"] and docx["Cache-Control"] == "private, no-store"
    assert MOTION in all_text(open_docx(docx.content))
    pdf = client.get(reverse("meetings:minutes_pdf", args=[closed.meeting.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


def test_a_member_waits_for_adjournment_and_outsiders_get_404(world, client_for):
    s = mw(world)
    assert client_for("deputy").get(reverse("meetings:minutes_docx", args=[s.session.pk])).status_code == 403
    assert client_for("staff").get(reverse("meetings:minutes_docx", args=[s.session.pk])).status_code == 200
    assert client_for("staff").get(reverse("meetings:minutes_pdf", args=[s.town_meeting.pk])).status_code == 404
    assert client_for("unit").get(reverse("meetings:minutes_pdf", args=[s.session.pk])).status_code == 404


def test_the_minutes_cost_a_fixed_number_of_queries(world, full, django_assert_num_queries):
    meeting = selectors.meeting_for_user(act(world, "staff"), full.pk)  # as the views read it
    with django_assert_num_queries(5):  # participants, attendance, items, their votes, their documents
        documents.minutes_content(meeting)
