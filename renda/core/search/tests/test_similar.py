"""Similar texts: the keywords of a draft, and candidates ranked by how many and how rare the shared words are."""

import pytest

from renda.core.search.segmentation import keywords
from renda.core.search.selectors import similar_ids
from renda.org.models import Unit


def test_keywords_leave_out_generic_words_single_characters_and_numbers():
    words = keywords("关于加强老旧小区加装电梯工作的建议：我市 2026 年进一步推进加装电梯")
    assert "电梯" in words or "加装电梯" in words
    assert not {"建议", "加强", "我市", "进一步", "推进", "工作", "2026"} & set(words)
    assert all(len(w) >= 2 for w in words)
    assert keywords("") == [] and keywords(None) == []  # type: ignore[arg-type]


@pytest.mark.django_db
def test_documents_sharing_rarer_words_rank_first_and_other_congresses_are_left_out(make_unit, congresses):
    city, town = congresses
    for i in range(6):
        make_unit(f"社区服务中心{i}")
    lift = make_unit("社区加装电梯办公室")
    make_unit("加装电梯协调小组", congress=town)
    ids = similar_ids("社区加装电梯", model=Unit, congress_ids=[city.pk], per_term=4)
    assert ids[0] == lift.pk
    assert set(ids) <= set(Unit.objects.filter(congress=city).values_list("pk", flat=True))
    assert similar_ids("社区加装电梯", model=Unit, congress_ids=[]) == []
    assert similar_ids("的了吗", model=Unit, congress_ids=[city.pk]) == []


@pytest.mark.django_db
def test_one_rare_shared_word_outweighs_two_common_ones(make_unit, congresses):
    city, _town = congresses
    for i in range(6):
        make_unit(f"社区服务中心{i}")
    common = make_unit("社区服务站")
    rare = make_unit("电梯维修所")
    ids = similar_ids("社区 服务 电梯", model=Unit, congress_ids=[city.pk], per_term=8)
    assert ids.index(rare.pk) < ids.index(common.pk)
