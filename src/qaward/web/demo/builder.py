"""A demo cycle built through the service layer, as an award office would run it.

Everything goes through the apps' ``services`` (so every step is validated and audited); dates are
passed explicitly so the cycle reads like a real year: call in March, applications until
the end of April, eligibility review in May, and so on.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction

from qaward.core.policy import load_policy
from qaward.core.workflow import allowed_targets, main_line, states
from qaward.web.accounts.models import Department, Jurisdiction, Membership, Role
from qaward.web.cycles.models import Applicant
from qaward.web.cycles.services import (
    application_create,
    application_submit,
    application_transition,
    cycle_open,
    eligibility_conclude,
    eligibility_decide,
    eligibility_screen,
)
from qaward.web.notices.services import (
    notice_publish,
    objection_assign,
    objection_decide,
    objection_removal_decide,
    objection_submit,
)
from qaward.web.policies.services import sync_policies
from qaward.web.recommendations.models import Recommendation
from qaward.web.recommendations.services import recommendation_sign

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
_DEPARTMENTS = [("长河街道", "street"), ("西兴街道", "street"), ("浦沿街道", "street"),
                ("区经济和信息化局", "competent"), ("区科技局", "competent"),
                ("区软件行业协会", "association")]


@dataclass
class DemoResult:
    cycle_id: int
    logins: list[tuple[str, str, str]]
    summary: dict[str, int]


def _person(rnd: random.Random) -> str:
    return rnd.choice(_SURNAMES) + rnd.choice(_GIVEN)


def _company(rnd: random.Random, place: str, used: set[str]) -> tuple[str, str]:
    while True:
        suffix, sector = rnd.choice(_KIND)
        name = f"{place}{rnd.choice(_PREFIX)}{rnd.choice(_MIDDLE)}{suffix}"
        if name not in used:
            used.add(name)
            return name, sector


def _profile(rnd: random.Random, jurisdiction: str, flaw: str | None, year: int) -> dict[str, Any]:
    p: dict[str, Any] = {
        "jurisdiction": jurisdiction,
        "established_on": dt.date(rnd.randint(1998, 2019), rnd.randint(1, 12),
                                  rnd.randint(1, 28)).isoformat(),
        "excellence_model_since": f"{rnd.randint(2015, 2023)}-01-01",
        "annual_results": [{"year": y, "profit": round(rnd.uniform(300, 9000), 1)}
                           for y in range(year - 5, year)],
    }
    if flaw == "young":
        p["established_on"] = f"{year - 2}-06-18"
    elif flaw == "incident":
        p["incidents"] = [{"date": f"{year - 1}-08-09", "kind": "safety", "major": True}]
    elif flaw == "complaint":
        p["complaints"] = [{"date": f"{year - 2}-11-03", "major": True,
                            "organization_at_fault": True}]
    elif flaw == "winner":
        p["awards"] = [{"level": "district", "tier": "award", "year": year - 2}]
    elif flaw == "inspection":
        p["failed_inspections"] = [f"{year - 1}-04-21"]
    return p


def _user(username: str, first_name: str) -> User:
    user, created = User.objects.get_or_create(username=username,
                                               defaults={"first_name": first_name})
    if created:
        user.set_password(DEMO_PASSWORD)
        user.save()
    return user


def build_demo(*, policy_id: str = "binjiang-2020", year: int = 2026, count: int = 10,
               seed: int = 2026) -> DemoResult:
    """Create users, departments, applicants and one cycle, and run it through the stages."""
    rnd = random.Random(seed)
    sync_policies()
    policy = load_policy(policy_id)
    j = Jurisdiction.objects.get(code=policy.jurisdiction.id)
    place = policy.jurisdiction.aliases[0] if policy.jurisdiction.aliases else ""
    place = place.removesuffix("区")

    logins: list[tuple[str, str, str]] = []

    def member(username: str, label: str, role: Any, **extra: Any) -> User:
        u = _user(username, label)
        Membership.objects.get_or_create(user=u, jurisdiction=j, role=role, defaults=extra)
        logins.append((username, DEMO_PASSWORD, label))
        return u

    with transaction.atomic():
        office = member("office", "评审办 王海燕", Role.OFFICE)
        head = member("head", "评审办负责人 李建国", Role.OFFICE_HEAD)
        member("auditor", "审计 周立新", Role.AUDITOR)
        member("reviewer", "评审专家 陈俊杰", Role.REVIEWER)
        member("committee", "评委会委员 赵振华", Role.COMMITTEE)
        departments = [Department.objects.get_or_create(jurisdiction=j, name=n,
                                                        defaults={"kind": k})[0]
                       for n, k in _DEPARTMENTS]
        dept_users = [member(f"dept{i + 1}", f"推荐部门 {d.name}", Role.DEPARTMENT,
                             department=d) for i, d in enumerate(departments[:3])]

    cycle = cycle_open(jurisdiction=j, year=year, title=f"{year}年度{policy.award_name_zh}",
                         opened_on=dt.date(year, 3, 2),
                         applications_close_on=dt.date(year, 4, 30), actor=office)

    flaws = ["young", "incident", "complaint", "winner", "inspection"]
    plan = [flaws[i] if i < len(flaws) else None for i in range(count)]
    rnd.shuffle(plan)
    used: set[str] = set()
    apps = []
    for i, flaw in enumerate(plan):
        name, sector = _company(rnd, place, used)
        applicant = Applicant.objects.create(
            jurisdiction=j, kind="organization", name=name, sector=sector,
            credit_code=f"91330108MA2{rnd.randint(10**6, 10**7 - 1)}{i % 10}",
            email=f"contact{i + 1}@example.com",
            profile=_profile(rnd, policy.jurisdiction.name_zh, flaw, year))
        user = _user(f"org{i + 1}", f"{name} {_person(rnd)}")
        Membership.objects.get_or_create(user=user, jurisdiction=j, role=Role.APPLICANT,
                                         defaults={"applicant": applicant})
        if i < 2:
            logins.append((user.username, DEMO_PASSWORD, f"申报单位 {name}"))
        app = application_create(cycle=cycle, applicant=applicant, track="organization",
                                   actor=user)
        app = application_submit(application=app, actor=user, expected_version=app.version,
                                   report_chars=rnd.randint(12000, 28000),
                                   today=dt.date(year, 4, rnd.randint(1, 28)))
        app = application_transition(application=app, target="recommendation", actor=office,
                                       today=dt.date(year, 5, 4))
        dept = dept_users[i % len(dept_users)]
        Recommendation.objects.get_or_create(application=app,
                                             defaults={"department": departments[i % 3]})
        recommendation_sign(application=app, actor=dept,
                              opinion="该单位质量管理成效显著，同意推荐。")
        app = application_transition(application=app, target="eligibility", actor=office,
                                       today=dt.date(year, 5, 6))
        apps.append(app)

    # Eligibility review: the engine's verdict, the office's decision.
    review_day = dt.date(year, 5, 11)
    eligible = []
    for app in apps:
        result = eligibility_screen(application=app, actor=office, on=review_day)
        eligibility_decide(application=app, actor=office, decision=result["verdict"])
        app = eligibility_conclude(application=app, actor=office, today=review_day)
        if app.state != "ineligible":
            eligible.append(app)

    # Move the eligible ones along the main line up to the government's approval,
    # publishing each notice the policy requires; the award itself comes with later stages.
    line = main_line(policy)
    day = dt.date(year, 6, 1)
    for target in line[line.index("eligibility") + 1:line.index("awarded")]:
        st = next(x for x in states(policy) if x.id == target)
        if st.kind == "notice":
            notice = notice_publish(cycle=cycle, stage=st.notice or "", starts_on=day,
                                      actor=office, applications=eligible)
            if st.notice == "final" and eligible:
                _objection_upheld(notice, eligible[0], office, head)
                eligible = eligible[1:]
            day = notice.ends_on + dt.timedelta(days=3)
            continue
        moved = []
        for app in eligible:
            app.refresh_from_db()
            if target in allowed_targets(policy, app.state):
                app = application_transition(application=app, target=target, actor=office,
                                               reason=f"{st.name_zh}完成", today=day)
            moved.append(app)
        eligible = moved
        day += dt.timedelta(days=14)

    summary: dict[str, int] = {}
    for app in cycle.applications.all():
        summary[app.state] = summary.get(app.state, 0) + 1
    return DemoResult(cycle.pk, logins, summary)


def _objection_upheld(notice: Any, app: Any, office: User, head: User) -> None:
    obj = objection_submit(
        notice=notice, application=app, name="钱志远", id_number="330106198812120419",
        phone="13805710000", email="qianzy@example.com",
        statement="该单位去年发生一起产品质量事故，未在申报材料中如实说明，请核查。",
        today=notice.starts_on + dt.timedelta(days=1))
    objection_assign(objection=obj, investigator=head, actor=office)
    objection_decide(objection=obj, actor=head, upheld=True,
                       findings="经向区市场监管局核实，该单位确有一起质量安全事故未如实申报。",
                       reason="申报材料不实，异议成立，退出本届评审。",
                       today=notice.starts_on + dt.timedelta(days=4))
    # The removal is decided by whom the policy names: the head signs off, or the office
    # records the committee's (or government's) resolution.
    decided_on = notice.starts_on + dt.timedelta(days=5)
    obj.refresh_from_db()
    by = obj.removal_by
    objection_removal_decide(
        objection=obj, actor=head if by == "office_head" else office, approve=True,
        opinion="同意该申报退出本届评审。", resolution_on=decided_on,
        reference="评审委员会会议纪要（演示）" if by in ("committee", "government") else "",
        today=decided_on)
