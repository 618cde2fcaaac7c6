"""The ballot engine's records. See docs/ballots.md for the secrecy design.

A Vote is one question put to one electorate: a motion, a paper of appointments (one option per
person), a choice of at most k of n (票决), a score paper, or a satisfaction paper. Its Roll lists
who was entitled and who has voted; its Ballots hold what was marked. In a secret vote the two
cannot be joined: a Ballot has a random id, no voter, and no time, and nothing links it to a Roll
row; casting writes no Event. The rule and the counts at opening and closing are stored with the
result, so a result can be recomputed and explained later (renda/ballots/rules.py).
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from renda.core.models import WorkflowModel


class Vote(WorkflowModel):
    class Kind(models.TextChoices):
        MOTION = "motion", _("议案表决")
        APPOINTMENT = "appointment", _("任免表决")
        CHOICE = "choice", _("票决")
        SCORE = "score", _("测评打分")
        SATISFACTION = "satisfaction", _("满意度测评")

    class Method(models.TextChoices):
        ELECTRONIC = "electronic", _("电子表决")
        PAPER = "paper", _("纸质票")

    class Status(models.TextChoices):
        DRAFT = "draft", _("待表决")
        OPEN = "open", _("表决中")
        CLOSED = "closed", _("已结束，待公布")
        PUBLISHED = "published", _("结果已公布")
        CANCELLED = "cancelled", _("已取消")

    class TieRule(models.TextChoices):
        RUNOFF = "runoff", _("对并列者再次投票")
        CHAIR = "chair", _("由主持人决定并记录")

    congress = models.ForeignKey("org.Congress", on_delete=models.PROTECT, related_name="votes")
    title = models.CharField(_("表决事项"), max_length=200)
    kind = models.CharField(_("表决类型"), max_length=20, choices=Kind.choices)
    method = models.CharField(_("表决方式"), max_length=20, choices=Method.choices, default=Method.ELECTRONIC)
    secret = models.BooleanField(_("无记名"), default=True)
    status = models.CharField(_("状态"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    # Rules as data (rules.Threshold / rules.ScoreConfig as dicts).
    rule = models.JSONField(_("通过规则"), null=True, blank=True)
    quorum = models.JSONField(_("法定人数规则"), null=True, blank=True)
    max_choices = models.PositiveSmallIntegerField(_("每票最多选"), null=True, blank=True)
    places = models.PositiveSmallIntegerField(_("应选名额"), null=True, blank=True)
    tie_rule = models.CharField(_("末位并列"), max_length=10, choices=TieRule.choices, default=TieRule.RUNOFF)
    score_config = models.JSONField(_("打分规则"), null=True, blank=True)
    seated = models.PositiveIntegerField(_("全体组成人员数"), default=0)
    # Who was entitled, present and voting at opening and at closing; the result and its explanation.
    snapshot = models.JSONField(_("表决时人数"), default=dict, blank=True)
    result = models.JSONField(_("表决结果"), null=True, blank=True, editable=False)
    # Paper votes: the ballots issued and the counted totals entered by the tellers.
    issued = models.PositiveIntegerField(_("发出选票"), null=True, blank=True)
    paper_counts = models.JSONField(_("计票结果"), null=True, blank=True)
    tie_decision = models.JSONField(_("并列处理"), null=True, blank=True)
    runoff_of = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="runoffs")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    opened_at = models.DateTimeField(_("开始表决"), null=True, blank=True)
    closed_at = models.DateTimeField(_("结束表决"), null=True, blank=True)
    published_at = models.DateTimeField(_("公布结果"), null=True, blank=True)

    class Meta:
        verbose_name = _("表决")
        verbose_name_plural = _("表决")
        ordering = ["-id"]
        indexes = [models.Index(fields=["congress", "status", "-id"], name="vote_congress_status")]

    def __str__(self) -> str:
        return self.title


class Option(models.Model):
    """What the paper lists: the motion itself, a person to appoint or evaluate, a project."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="options")
    position = models.PositiveSmallIntegerField(_("序号"))
    label = models.CharField(_("名称"), max_length=200)
    person = models.ForeignKey("deputies.Person", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="+")
    description = models.TextField(_("说明"), blank=True)

    class Meta:
        verbose_name = _("表决选项")
        verbose_name_plural = _("表决选项")
        ordering = ["vote", "position"]
        constraints = [models.UniqueConstraint(fields=["vote", "position"], name="option_position_unique")]

    def __str__(self) -> str:
        return self.label


class Roll(models.Model):
    """One entitled voter of one vote: present or not, voted or not. Never linked to a ballot.

    The rows are written once, in the order of the electorate, when the vote opens; voting flips
    `voted` in place. There is no time on this row."""

    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="roll")
    person = models.ForeignKey("deputies.Person", on_delete=models.PROTECT, related_name="+")
    present = models.BooleanField(_("出席"), default=False)
    voted = models.BooleanField(_("已投票"), default=False)

    class Meta:
        verbose_name = _("表决名单")
        verbose_name_plural = _("表决名单")
        constraints = [models.UniqueConstraint(fields=["vote", "person"], name="roll_vote_person_unique")]

    def __str__(self) -> str:
        return f"{self.vote_id}: {self.person_id}"


def _random_id() -> uuid.UUID:
    return uuid.uuid4()


class Ballot(models.Model):
    """One paper. No time, a random id; a voter only in a named (记名) vote, enforced by the schema."""

    id = models.UUIDField(primary_key=True, default=_random_id, editable=False)
    vote = models.ForeignKey(Vote, on_delete=models.CASCADE, related_name="ballots")
    secret = models.BooleanField()
    voter = models.ForeignKey("deputies.Person", on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    marks = models.JSONField()

    class Meta:
        verbose_name = _("选票")
        verbose_name_plural = _("选票")
        constraints = [
            models.CheckConstraint(condition=models.Q(secret=False) | models.Q(voter__isnull=True),
                                   name="secret_ballot_has_no_voter"),
            models.UniqueConstraint(fields=["vote", "voter"], name="ballot_one_per_named_voter"),
        ]

    def __str__(self) -> str:
        return str(_("选票"))  # nothing that could identify a paper
