"""Reading the notice board: the one query of notices (``notices_qs``) and what the public
sees of each notice. The board pages (``views.py``) and the API (``qaward.web.api``) both use
these functions, so they cannot disagree. Public data only: never an objector's."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.db.models.fields.json import KT
from django.utils.translation import gettext_lazy

from qaward.core.policy import Policy
from qaward.core.policy.model import Objections
from qaward.core.states import REMOVED_BY_OBJECTION
from qaward.web.common.views import english
from qaward.web.cycles.models import Application
from qaward.web.cycles.views.pages import notice_label
from qaward.web.policies.services import policy_of

from .models import Notice


def notices_qs() -> QuerySet[Notice]:
    """Notices with everything the board shows, in two queries whatever their number."""
    # Only what a listed name needs: no JSON column is decoded for a list of thousands.
    apps = (Application.objects.select_related("applicant")
            .only("pk", "state", "applicant__name", "applicant__kind")
            .annotate(employer_name=KT("profile_snapshot__employer__name"))
            .order_by("applicant__name", "pk"))
    return (Notice.objects.select_related("cycle__jurisdiction", "cycle__policy")
            .prefetch_related(Prefetch("applications", queryset=apps))
            .order_by("-starts_on", "-pk"))


def notice_status(notice: Notice, today: dt.date) -> str:
    """``current`` (objections taken), ``upcoming`` (published, not yet open) or ``past``."""
    if today < notice.starts_on:
        return "upcoming"
    return "current" if today <= notice.ends_on else "past"


STATUS_LABELS = {"current": gettext_lazy("公示中"), "upcoming": gettext_lazy("即将公示"),
                 "past": gettext_lazy("已结束")}




def filter_by_status(qs: QuerySet[Notice], status: str, today: dt.date) -> QuerySet[Notice]:
    if status == "current":
        return qs.filter(starts_on__lte=today, ends_on__gte=today)
    if status == "past":
        return qs.filter(ends_on__lt=today)
    if status == "upcoming":
        return qs.filter(starts_on__gt=today)
    return qs


def listed_name(app: Application) -> str:
    """The name a notice lists: the organization's name; for a person, name and employer."""
    applicant = app.applicant
    if applicant.kind != "individual":
        return str(applicant.name)
    employer_name = getattr(app, "employer_name", None)
    if employer_name is None:
        profile = app.profile_snapshot or applicant.profile or {}
        employer = profile.get("employer") if isinstance(profile, dict) else None
        employer_name = employer.get("name") if isinstance(employer, dict) else None
    return f"{applicant.name}（{employer_name}）" if employer_name else str(applicant.name)




@dataclass(frozen=True)
class ObjectionChannel:
    """How objections to a notice are handled, as the regulation states it."""

    regulation: str  # the regulation's title
    article: str  # where objections are regulated (or the notice article, where silent)
    procedure_in_regulation: bool  # False: the regulation has no objection article
    real_name: bool
    evidence_required: bool
    reported_to_committee: bool
    silent_note: str  # what the policy records where the regulation is silent


def objection_channel(policy: Policy, notice: Notice) -> ObjectionChannel:
    rule = policy.objections
    notice_rule = policy.notice(notice.stage)
    if isinstance(rule, Objections):
        return ObjectionChannel(policy.title_zh, rule.cite, True, rule.real_name,
                                rule.evidence_required, notice_rule.issues_reported_to_committee,
                                "")
    return ObjectionChannel(policy.title_zh, getattr(rule, "cite", None) or notice_rule.cite,
                            False, True, False, notice_rule.issues_reported_to_committee,
                            getattr(rule, "silent", "") or getattr(rule, "none", ""))


@dataclass(frozen=True)
class NoticeView:
    """One notice as the public sees it: no objector data at all."""

    notice: Notice
    status: str
    jurisdiction: str
    stage_label: str
    names: list[tuple[int, str]]  # (application id, listed name)
    channel: ObjectionChannel
    policy: Policy
    removed: frozenset[int] = frozenset()  # applications removed after an upheld objection

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def entries(self) -> list[tuple[int, str, bool]]:
        """(application id, listed name, removed after an upheld objection)"""
        return [(pk, name, pk in self.removed) for pk, name in self.names]


def notice_view(notice: Notice, today: dt.date) -> NoticeView:
    policy = policy_of(notice.cycle)
    jurisdiction = (policy.jurisdiction.name_en if english()
                    else notice.cycle.jurisdiction.name_zh)
    return NoticeView(
        notice=notice, status=notice_status(notice, today), jurisdiction=jurisdiction,
        stage_label=notice_label(policy, notice.stage),
        names=[(a.pk, listed_name(a)) for a in notice.applications.all()],
        channel=objection_channel(policy, notice), policy=policy,
        removed=frozenset(a.pk for a in notice.applications.all()
                          if a.state == REMOVED_BY_OBJECTION))

