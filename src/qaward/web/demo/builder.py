"""A demo cycle built through the service layer, as an award office would run it.

The demo walks any policy generically: the stages, notices, exits, fast track, recommendation
and internal notice come from the policy data and the core's state machine
(``qaward.core.workflow``); nothing here names a district or a stage. Everything goes through
the apps' ``services`` (so every step is validated and audited), each step on its own day of
the office clock (``qaward.web.clock.frozen``): the call in March of the cycle's year,
applications until the end of April, the eligibility review after the window closes, each
notice published on the day it starts and left only after its last day, on working days.
"""

from __future__ import annotations

import datetime as dt
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from qaward.core.errors import ConfigurationRequired, UnknownPolicy
from qaward.core.policy import Policy, list_policies, load_policy
from qaward.core.policy.inspect import silent_values
from qaward.core.policy.model import FastTrack, Silent
from qaward.core.policy.model import Notice as NoticeRule
from qaward.core.states import End, Fixed, NoticeId, StageId
from qaward.core.workdays import load_default_calendar
from qaward.core.workflow import allowed_targets, main_line, state
from qaward.web import clock
from qaward.web.accounts.models import Department, Jurisdiction, Membership, Role
from qaward.web.common.uploads import INTERNAL_NOTICE
from qaward.web.cycles.models import Applicant, Application, Cycle
from qaward.web.cycles.services import (
    application_create,
    application_submit,
    application_transition,
    cycle_open,
    document_add,
    eligibility_conclude,
    eligibility_decide,
    eligibility_screen,
    manual_check_record,
    manual_checks_of,
)
from qaward.web.demo import review_pool, review_ranking, review_scores, review_teams
from qaward.web.notices.models import Notice
from qaward.web.notices.services import (
    notice_publish,
    objection_assign,
    objection_decide,
    objection_removal_decide,
    objection_submit,
)
from qaward.web.policies.services import policy_of, sync_policies
from qaward.web.recommendations.models import Recommendation
from qaward.web.recommendations.services import recommendation_sign
from qaward.web.review import ranking

DEMO_PASSWORD = "demo-2026"

_SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋"
             "唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈")
_GIVEN = ["建国", "海燕", "志强", "晓明", "丽华", "文涛", "雪梅", "国平", "俊杰", "秀英", "立新",
          "红霞", "永刚", "静怡", "子涵", "宏伟", "明辉", "春梅", "振华", "思远"]
_PREFIX = ["华", "创", "智", "信", "博", "恒", "联", "科", "东", "瑞", "鼎", "安", "中", "新", "汇",
           "宏", "嘉", "金", "天", "正"]
_MIDDLE = ["芯", "维", "数", "达", "通", "源", "航", "康", "泰", "晟", "锐", "弘", "睿", "盛", "益",
           "和", "方", "腾", "宇", "景"]
_KIND = [("科技有限公司", "数字经济"), ("精密机械股份有限公司", "先进制造业"),
         ("网络技术有限公司", "数字经济"), ("医疗器械有限公司", "医疗卫生"),
         ("电子科技股份有限公司", "先进制造业"), ("环保工程有限公司", "节能环保"),
         ("新材料有限公司", "新材料"), ("物流服务有限公司", "现代服务业"),
         ("智能装备有限公司", "先进制造业"), ("生物医药有限公司", "医疗卫生")]
# Recommending departments of every kind, named after the jurisdiction ("<place>第一街道" …).
_DEPARTMENTS = [("第一街道", Department.Kind.STREET), ("第二街道", Department.Kind.STREET),
                ("第三街道", Department.Kind.STREET),
                ("经济委员会", Department.Kind.COMPETENT),
                ("科学技术委员会", Department.Kind.COMPETENT),
                ("质量协会", Department.Kind.ASSOCIATION)]
# Flaws that make an applicant ineligible under any of the regulations' usual rules.
_FLAWS = ("young", "incident", "complaint", "inspection")

DEFAULT_YEAR = 2026


class DemoError(Exception):
    """The demo cannot be built as asked (unknown policy, a year the policy is not in force)."""


@dataclass
class DemoResult:
    cycle_id: int
    policy_id: str
    logins: list[tuple[str, str, str]]
    summary: dict[str, int]
    notices: list[str] = field(default_factory=list)
    review: list[str] = field(default_factory=list)  # what the expert review did, in lines


def demo_configuration(policy: Policy) -> dict[str, Any]:
    """Values the demo assumes where the regulation is silent and a step needs one (a notice
    length): a configuration file's ``values`` (docs/policy-guide.md §6), each cited as the
    demo's assumption. Empty when the policy needs none."""
    values: dict[str, Any] = {}
    for stage in (NoticeId.ELIGIBILITY, NoticeId.SHORTLIST, NoticeId.FINAL):
        notice = policy.notice_rule(stage)
        if isinstance(notice, NoticeRule) and notice.required \
                and isinstance(notice.length, Silent):
            values[f"notices.{stage}.length"] = {
                "value": 5, "unit": "working_days", "minimum": True,
                "cite": "演示数据：法规未规定，演示按5个工作日公示"}
    # The expert review: what the regulation leaves to the office, the demo decides as an
    # office would (its "decision" cited), only where the policy is silent.
    review_defaults: dict[str, Any] = {
        "reviewers.team_min_size": 3,
        "reviewers.team_leader": True,
        "review.ranking.basis": "consensus",
        "review.ranking.tie_breaks": [
            {"key": "category:4.7", "prefer": "higher", "label_zh": "结果类得分高者在前",
             "label_en": "Higher results score first"}],
        **{f"review.scoring.{stage}": True for stage in policy.review.scoring},
    }
    silent = {path for path, _ in silent_values(policy)}
    for path, value in review_defaults.items():
        if path in silent:
            values[path] = {"value": value,
                            "cite": "演示数据：法规未规定，评审办会议决定（演示）"}
    return values


def place_names(policy: Policy) -> tuple[str, str]:
    """The jurisdiction's short name with and without its last 区/县 ("<名>区", "<名>"), taken
    from ``jurisdiction.name_zh``: the city is dropped and a parenthesis too."""
    name = re.sub(r"[（(].*?[)）]", "", policy.jurisdiction.name_zh).strip()
    if "市" in name[:-1]:
        name = name[name.rindex("市", 0, len(name) - 1) + 1:]
    short = name[:-1] if len(name) > 2 and name[-1] in "区县" else name
    return name, short


def _person(rnd: random.Random) -> str:
    return rnd.choice(_SURNAMES) + rnd.choice(_GIVEN)


def _company(rnd: random.Random, place: str, used: set[str]) -> tuple[str, str]:
    while True:
        suffix, sector = rnd.choice(_KIND)
        name = f"{place}{rnd.choice(_PREFIX)}{rnd.choice(_MIDDLE)}{suffix}"
        if name not in used:
            used.add(name)
            return name, sector


def _profile(rnd: random.Random, jurisdiction: str, flaw: str | None, year: int,
             fast_track: FastTrack | None) -> dict[str, Any]:
    p: dict[str, Any] = {
        "jurisdiction": jurisdiction,
        # The facts the rules need, stated: only a real unknown becomes a manual check.
        "legal_person": True, "pays_tax_locally": True, "licensed": True,
        "chief_quality_officer": True, "for_profit": True,
        "established_on": dt.date(rnd.randint(1998, 2015), rnd.randint(1, 12),
                                  rnd.randint(1, 28)).isoformat(),
        "excellence_model_since": f"{rnd.randint(2015, year - 3)}-01-01",
        "annual_results": [{"year": y, "profit": round(rnd.uniform(300, 9000), 1)}
                           for y in range(year - 5, year)],
    }
    if flaw is not None:  # young, with a major incident and a complaint: ineligible anywhere
        p["established_on"] = f"{year - 2}-06-18"
        p["incidents"] = [{"date": f"{year - 1}-08-09", "kind": "safety", "major": True}]
        p["complaints"] = [{"date": f"{year - 2}-11-03", "major": True,
                            "organization_at_fault": True}]
        if flaw == "inspection":
            p["failed_inspections"] = [f"{year - 1}-04-21"]
    if fast_track is not None:
        counting = fast_track.awards[-1]
        award: dict[str, Any] = {"level": counting.level, "year": year - 1}
        if counting.jurisdictions:
            award["jurisdiction"] = counting.jurisdictions[0]
        if counting.tiers:
            award["tier"] = counting.tiers[0]
        p["awards"] = [award]
    return p


def _pdf(lines: list[str]) -> bytes:
    """A small, valid one-page PDF (the internal notice's evidence)."""
    text = " ".join(f"({line}) Tj T*" for line in lines)
    stream = f"BT /F1 12 Tf 14 TL 56 780 Td {text} ET".encode("latin-1")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream
        + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{i} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{o:010d} 00000 n \n".encode() for o in offsets)
    out += (f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n"
            "%%EOF\n").encode()
    return bytes(out)


def _user(username: str, first_name: str) -> User:
    user, created = User.objects.get_or_create(username=username,
                                               defaults={"first_name": first_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


class _Calendar:
    """The demo's working days: every step on a working day, in order."""

    def __init__(self, start: dt.date) -> None:
        self.cal = load_default_calendar()
        self.day = self.cal.next_workday_on_or_after(start)

    def after(self, day: dt.date, workdays: int = 1) -> dt.date:
        """Move the clock to ``workdays`` working days after ``day`` (never back)."""
        target = self.cal.add_workdays(day, workdays) if workdays else day
        self.day = max(self.day, self.cal.next_workday_on_or_after(target))
        return self.day


def build_demo(*, policy_id: str, year: int = DEFAULT_YEAR, count: int = 10,
               seed: int = 2026) -> DemoResult:
    """Create users, departments, applicants and one cycle under ``policy_id`` (bundled or
    from QAWARD_POLICY_DIRS), and run it through the stages."""
    if count < 6:
        raise DemoError("the demo needs at least 6 applicants to reach the award and every exit")
    rnd = random.Random(seed)
    try:
        policy = load_policy(policy_id)
    except UnknownPolicy:
        raise DemoError(f"unknown policy `{policy_id}`; available: "
                        f"{', '.join(list_policies())}") from None
    sync_policies()
    j = Jurisdiction.objects.get(code=policy.jurisdiction.id)
    place, short = place_names(policy)
    cal = _Calendar(dt.date(year, 3, 2))

    logins: list[tuple[str, str, str]] = []

    def member(username: str, label: str, role: Any, **extra: Any) -> User:
        u = _user(username, label)
        Membership.objects.get_or_create(user=u, jurisdiction=j, role=role, defaults=extra)
        logins.append((username, DEMO_PASSWORD, label))
        return u

    with clock.frozen(cal.day), transaction.atomic():
        office = member("office", "评审办 王海燕", Role.OFFICE)
        head = member("head", "评审办负责人 李建国", Role.OFFICE_HEAD)
        member("auditor", "审计 周立新", Role.AUDITOR)
        member("reviewer", "评审专家 陈俊杰", Role.REVIEWER)
        member(str(Role.COMMITTEE), "评委会委员 赵振华", Role.COMMITTEE)  # login: committee
        departments = [Department.objects.get_or_create(jurisdiction=j, name=f"{place}{n}",
                                                        defaults={"kind": k})[0]
                       for n, k in _DEPARTMENTS]
        dept_users = [member(f"dept{i + 1}", f"推荐部门 {d.name}", Role.DEPARTMENT,
                             department=d) for i, d in enumerate(departments[:3])]

    close_on = dt.date(year, 4, 30)
    with clock.frozen(cal.day):
        cycle = cycle_open(jurisdiction=j, year=year, title=f"{year}年度{policy.award_name_zh}",
                           opened_on=cal.day, applications_close_on=close_on, actor=office)
    if cycle.policy.policy_id != policy.id:
        raise DemoError(f"{policy.id} is not the policy in force for {j.name_zh} on "
                        f"{cycle.opened_on}: {cycle.policy.policy_id} is")
    policy = policy_of(cycle)
    walker = _Walker(policy, cycle, office, head, cal)

    # Applications: drafted, evidenced and submitted on working days in April.
    # The organizations' track where the policy has one by that kind, else its first.
    track = next((t for t in policy.tracks if t == str(Applicant.Kind.ORGANIZATION)),
                 next(iter(policy.tracks)))
    n_flawed = min(len(_FLAWS), max(2, count - 5))
    plan: list[str | None] = [*_FLAWS[:n_flawed], *([None] * (count - n_flawed))]
    rnd.shuffle(plan)
    fast = policy.fast_track if isinstance(policy.fast_track, FastTrack) else None
    fast_index = next((i for i, f in enumerate(plan) if f is None), None) if fast else None
    days = sorted(cal.cal.add_workdays(dt.date(year, 4, 1), rnd.randint(0, 18))
                  for _ in plan)
    used: set[str] = set()
    apps: list[Application] = []
    for i, (flaw, day) in enumerate(zip(plan, days, strict=True)):
        name, sector = _company(rnd, short, used)
        with clock.frozen(cal.after(day, 0)):
            applicant = Applicant.objects.create(
                jurisdiction=j, kind=Applicant.Kind.ORGANIZATION, name=name, sector=sector,
                credit_code=f"91310000MA1{rnd.randint(10**6, 10**7 - 1)}{i % 10}",
                email=f"contact{i + 1}@example.com",
                profile=_profile(rnd, policy.jurisdiction.name_zh, flaw, year,
                                 fast if i == fast_index else None))
            user = _user(f"org{i + 1}", f"{name} {_person(rnd)}")
            Membership.objects.get_or_create(user=user, jurisdiction=j, role=Role.APPLICANT,
                                             defaults={"applicant": applicant})
            if i < 2:
                logins.append((user.username, DEMO_PASSWORD, f"申报单位 {name}"))
            app = application_create(cycle=cycle, applicant=applicant, track=track, actor=user)
            if policy.notice(NoticeId.INTERNAL).required:
                _internal_notice_evidence(app, user, name, cal.day)
            app = application_submit(application=app, actor=user, expected_version=app.version,
                                     report_chars=rnd.randint(8000, 12000), today=cal.day)
            if policy.recommendation_rule().required:
                dept = dept_users[i % len(dept_users)]
                Recommendation.objects.get_or_create(
                    application=app, defaults={"department": departments[i % len(dept_users)]})
                recommendation_sign(application=app, actor=dept,
                                    opinion="该单位质量管理成效显著，同意推荐。")
        apps.append(app)

    # After the window closes: the office walks the main line, stage by stage.
    cal.after(close_on)
    walker.walk(apps)
    logins += [(user, DEMO_PASSWORD, f"评审专家 {name}") for user, name in walker.expert_logins[:3]]

    summary = Counter(a.state for a in cycle.applications.all())
    notices = [f"{n.title} {n.starts_on}…{n.ends_on}"
               for n in Notice.objects.filter(cycle=cycle).order_by("starts_on")]
    return DemoResult(cycle.pk, policy.id, logins, dict(sorted(summary.items())), notices,
                      walker.review_log)


def _internal_notice_evidence(app: Application, user: User, name: str, day: dt.date) -> None:
    """The organization's own notice (内部公示), evidenced by a generated PDF."""
    pdf = _pdf([f"Internal notice of application {app.pk}", f"Posted {day.isoformat()}",
                "No objection was raised."])
    document_add(application=app, actor=user, kind=INTERNAL_NOTICE,
                 upload=SimpleUploadedFile(f"internal-notice-{app.pk}.pdf", pdf,
                                           content_type="application/pdf"))


class _Walker:
    """Moves the applications of a cycle along the policy's main line to the award, sending
    a few to each of the policy's exits and publishing each notice the line reaches."""

    def __init__(self, policy: Policy, cycle: Cycle, office: User, head: User,
                 cal: _Calendar) -> None:
        self.policy, self.cycle, self.office, self.head, self.cal = \
            policy, cycle, office, head, cal
        self.line = main_line(policy)
        self.exits_taken: set[str] = set()
        self.objection_done = False
        self.reviewed = False  # an expert review has scored a stage of this cycle
        self.review_log: list[str] = []
        self.expert_logins: list[tuple[str, str]] = []

    def walk(self, apps: list[Application]) -> None:
        live = [Application.objects.get(pk=a.pk) for a in apps]
        # From submitted to the first stage of the line (recommendation, eligibility …).
        while any(a.state == Fixed.SUBMITTED for a in live):
            live = self._move([a for a in live if a.state == Fixed.SUBMITTED],
                              allowed_targets(self.policy, Fixed.SUBMITTED)[0]) + \
                [a for a in live if a.state != Fixed.SUBMITTED]
        for sid in self.line:
            here = [a for a in live if a.state == sid]
            rest = [a for a in live if a.state != sid]
            if not here or sid == self.line[-1]:
                continue
            st = state(self.policy, sid)
            if sid == StageId.ELIGIBILITY:
                here = self._eligibility(here)
            elif st.notice is not None:
                here = self._leave_notice(here, st.notice or "")
            else:
                here = self._review(here, sid)
            live = [a for a in rest + here if a.state not in set(End)]
            self.cal.after(self.cal.day, 5)

    # -- steps ---------------------------------------------------------------------------

    def _move(self, apps: list[Application], target: str, reason: str = "") -> list[Application]:
        """Move ``apps`` to ``target``; a notice state is entered by publishing the notice."""
        if not apps:
            return []
        st = state(self.policy, target)
        with clock.frozen(self.cal.day):
            if st.notice is not None:
                notice = notice_publish(cycle=self.cycle, stage=st.notice or "",
                                        starts_on=self.cal.day, actor=self.office,
                                        applications=apps)
            else:
                return [application_transition(application=a, target=target,
                                               actor=self.office, reason=reason or st.name_zh,
                                               today=self.cal.day) for a in apps]
        # An objection during the last notice, upheld: one application is removed.
        if not self.objection_done and self._last_notice(notice.stage) and len(apps) > 1:
            self._objection_upheld(notice, apps[0])
            self.objection_done = True
        return [Application.objects.get(pk=a.pk) for a in apps]

    def _eligibility(self, apps: list[Application]) -> list[Application]:
        onward: list[Application] = []
        concluded: list[Application] = []
        with clock.frozen(self.cal.day):
            for app in apps:
                result = eligibility_screen(application=app, actor=self.office, on=self.cal.day)
                # Each manual check is the office's work: a finding before the decision.
                for check in manual_checks_of(app):
                    manual_check_record(
                        application=app, actor=self.office, key=check["key"], met=True,
                        note=f"演示：已核对申报材料和相关部门意见，符合（{check['article']}）")
                eligibility_decide(application=app, actor=self.office,
                                   decision=result["verdict"])
                app.refresh_from_db()
                nxt = state(self.policy, allowed_targets(self.policy, app.state)[0])
                if result["verdict"] == "eligible" and nxt.notice is not None \
                        and not app.fast_track:
                    onward.append(app)  # enters the eligibility notice when it is published
                else:
                    concluded.append(eligibility_conclude(application=app, actor=self.office,
                                                          today=self.cal.day))
        if onward:
            onward = self._move(onward, allowed_targets(self.policy, onward[0].state)[0])
        return concluded + onward

    def _review(self, apps: list[Application], sid: str) -> list[Application]:
        """A review stage. Where the policy scores it, the expert review runs: the pool (once),
        the teams, the sheets and consensus; the stage that fixes the shortlist does so from
        the ranking. Elsewhere one application leaves by each exit the policy gives the stage
        (while enough remain for the award and the objection), the others move on."""
        if self._scored(sid):
            self._expert_review(sid)
        if self.reviewed and sid == ranking.shortlist_stage(self.policy):
            with clock.frozen(self.cal.after(self.cal.day, 2)):
                self._rank(sid)
            after = [Application.objects.get(pk=a.pk) for a in apps]
            if any(a.state != sid for a in after):
                return after
            # Nothing ranked (the office has not configured the ranking basis): the office
            # moves the applications on by hand, as without a review.
        moved = self._exits_and_move(apps, sid)
        if self.reviewed:  # release the reports of the stage just left (and rank the next)
            self._rank(sid)
        return moved

    def _rank(self, sid: str) -> None:
        """Rank, fix the shortlist once applications wait in the shortlisting stage, release
        the reports of the stages left; the log says what the shortlist did."""
        done = review_ranking.run(self.cycle, office=self.office, day=self.cal.day)
        if done.shortlisted or done.not_shortlisted or done.unranked:
            self.review_log.append(
                f"{ranking.shortlist_stage(self.policy)}: shortlist {len(done.shortlisted)} "
                f"chosen, {len(done.not_shortlisted)} not shortlisted"
                + (f"; notice {done.notice}" if done.notice else "")
                + "".join(f"; {st} not ranked: {why}" for st, why in done.unranked.items()))

    def _scored(self, sid: str) -> bool:
        try:
            return self.policy.stage_scored(sid)
        except ConfigurationRequired:
            return False

    def _expert_review(self, sid: str) -> None:
        if not self.reviewed:
            pool = review_pool.run(self.cycle, office=self.office, head=self.head,
                                   day=self.cal.day, password=DEMO_PASSWORD)
            self.expert_logins = pool.logins
            self.review_log.append(
                f"pool: {len(pool.experts)} experts; conflicts {pool.detected} detected, "
                f"{pool.confirmed} confirmed, {pool.dismissed} dismissed, "
                f"{pool.declared} declared" + (f"; {pool.skipped}" if pool.skipped else ""))
        with clock.frozen(self.cal.day):
            formed = review_teams.run(self.cycle, office=self.office, head=self.head,
                                      stages=[sid])
        scores = review_scores.run(self.cycle, sid, day=self.cal.after(self.cal.day, 3))
        self.review_log.append(
            f"{sid}: {len(formed)} teams; {scores.sheets_submitted} sheets submitted, "
            f"{scores.flagged_items} items flagged for consensus, "
            f"{scores.consensus_closed} consensus closed"
            + "".join(f"; {why}" for why in scores.skipped))
        self.reviewed = True

    def _exits_and_move(self, apps: list[Application], sid: str) -> list[Application]:
        out: list[Application] = []
        stage = self.policy.stage(sid)
        for ex in stage.exits:
            end = str(ex.to)
            if end in self.exits_taken or end not in set(End) or len(apps) <= 2:
                continue
            leaving = apps.pop()
            with clock.frozen(self.cal.day):
                out.append(application_transition(
                    application=leaving, target=end, actor=self.office, today=self.cal.day,
                    reason=f"{state(self.policy, sid).name_zh}：综合评分未达到要求"))
            self.exits_taken.add(end)
        nxt = allowed_targets(self.policy, sid)[0]
        return out + self._move(apps, nxt, f"{state(self.policy, sid).name_zh}完成")

    def _leave_notice(self, apps: list[Application], stage: str) -> list[Application]:
        notice = Notice.objects.get(cycle=self.cycle, stage=stage)
        self.cal.after(notice.ends_on)  # leave the notice state after its last day
        if not apps:
            return []
        nxt = allowed_targets(self.policy, apps[0].state)[0]
        return self._move(apps, nxt, f"{notice.title}期满无异议")

    def _last_notice(self, stage: str) -> bool:
        notices = [s.notice for s in (state(self.policy, x) for x in self.line)
                   if s.notice is not None]
        return bool(notices) and notices[-1] == stage

    def _objection_upheld(self, notice: Notice, app: Application) -> None:
        with clock.frozen(self.cal.after(notice.starts_on)):
            obj = objection_submit(
                notice=notice, application=app, name="钱志远", id_number="330106198812120419",
                phone="13805710000", email="qianzy@example.com",
                statement="该单位去年发生一起产品质量事故，未在申报材料中如实说明，请核查。",
                today=self.cal.day)
            objection_assign(objection=obj, investigator=self.head, actor=self.office)
        with clock.frozen(self.cal.after(self.cal.day, 2)):
            objection_decide(objection=obj, actor=self.head, upheld=True,
                             findings="经向市场监管部门核实，该单位确有一起质量安全事故未如实申报。",
                             reason="申报材料不实，异议成立，退出本届评审。", today=self.cal.day)
        # The removal is decided by whom the policy names: the head signs off, or the office
        # records the committee's (or government's) resolution; then the application leaves.
        obj.refresh_from_db()
        by = obj.removal_by
        with clock.frozen(self.cal.after(self.cal.day)):
            objection_removal_decide(
                objection=obj, actor=self.head if by == "office_head" else self.office,
                approve=True, opinion="同意该申报退出本届评审。", resolution_on=self.cal.day,
                # a body outside the office (committee, government) decides by a resolution
                reference="" if by in ("office_head", "office") else "评审委员会会议纪要（演示）",
                today=self.cal.day)
