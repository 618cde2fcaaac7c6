"""Each kind of meeting as data: its notice period, its quorum, and where its members come from.

Defaults only: a meeting stores its own notice period and quorum when it is scheduled, and staff
can change its list of participants. Sources: 地方各级人民代表大会和地方各级人民政府组织法 (quorum of
a standing-committee session: more than half of all members; decisions: more than half of all
members); local rules of procedure (notice periods vary, 10 days is the Taicang practice for
standing-committee sessions)."""

from dataclasses import dataclass

from django.utils import timezone

from renda.ballots.rules import Base, Threshold

from .models import Meeting

K = Meeting.Kind
HALF_OF_ALL = Threshold(Base.SEATED, 1, 2, inclusive=False)
TWO_THIRDS_OF_ALL = Threshold(Base.SEATED, 2, 3, inclusive=True)


@dataclass(frozen=True)
class KindRule:
    notice_days: int
    quorum: Threshold
    members: str  # "committee", "directors", "deputies", "group"


KINDS = {
    K.STANDING: KindRule(10, HALF_OF_ALL, "committee"),
    K.DIRECTORS: KindRule(1, HALF_OF_ALL, "directors"),
    K.ZONE: KindRule(3, HALF_OF_ALL, "group"),
    K.JOINT: KindRule(3, HALF_OF_ALL, "group"),
    # 人民代表大会会议: two thirds of the deputies must be present (组织法).
    K.CONGRESS: KindRule(30, TWO_THIRDS_OF_ALL, "deputies"),
    K.PRESIDIUM: KindRule(3, HALF_OF_ALL, "committee"),
}


def default_members(kind: str, congress_id: int, *, group_id: int | None = None, on=None) -> list[tuple[int, str]]:
    """(person id, title) of the voting members of a meeting of this kind, in a stable order."""
    from renda.deputies.models import Deputy
    from renda.org.models import CommitteeMember

    on = on or timezone.localdate()
    source = KINDS[kind].members
    if source in ("committee", "directors"):
        qs = CommitteeMember.objects.filter(congress_id=congress_id, start_date__lte=on).exclude(end_date__lt=on)
        if source == "directors":
            qs = qs.filter(post__in=["director", "vice_director", "secretary_general"])
        post_order = {"director": 0, "vice_director": 1, "secretary_general": 2, "member": 3}
        rows = sorted(qs.values_list("person_id", "post", "id"), key=lambda r: (post_order.get(r[1], 9), r[2]))
        labels = dict(CommitteeMember.Post.choices)
        seen, out = set(), []
        for person_id, post, _id in rows:
            if person_id not in seen:
                seen.add(person_id)
                out.append((person_id, str(labels.get(post, ""))))
        return out
    deputies = Deputy.objects.filter(congress_id=congress_id, status=Deputy.Status.ACTIVE)
    if source == "group":
        if group_id is None:
            return []
        deputies = deputies.filter(group_id=group_id)
    return [(pid, str(_deputy_title())) for pid in deputies.order_by("id").values_list("person_id", flat=True)]


def _deputy_title():
    from django.utils.translation import gettext

    return gettext("人大代表")
