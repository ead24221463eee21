"""The demo's expert pool for a cycle whose applications are in review (issue 8).

``run(cycle, office=…, day=…)`` builds a pool of about twelve experts for any policy through
the pool's services, on the office clock ``day``: some related to the applicants the way
conflicts arise (employed by one, a business partner of another written with a different
legal form, a past employer inside and one outside the look-back window, a declared
competitor, a mentor where the policy makes mentors recuse, an affiliate of an applicant's
group), the others clean (one in an applicant's sector without any relation, which must not
be flagged). Every expert gets a reviewer login, availability and loads for the cycle and
signs the pledge; then the conflict check runs, the office decides every suggestion with a
reason (one dismissed after checking, the rest confirmed), and one expert declares an
interest; with ``head`` given, the head records a sanction the policy lists (a warning where
it has one) on one expert. Nothing here names a district: the relations and articles come from
the policy.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User

from qaward.core.errors import ConfigurationRequired
from qaward.web import clock
from qaward.web.accounts.models import Membership, Role
from qaward.web.cycles.models import Application, Cycle
from qaward.web.experts import services
from qaward.web.experts.models import Expert
from qaward.web.policies.services import policy_of

_NAMES = ["孙丽华", "钱国平", "周文涛", "吴雪梅", "郑永刚", "冯静怡", "陈宏伟", "褚明辉",
          "卫春梅", "蒋振华", "沈思远", "韩立新", "杨红霞", "朱俊杰"]
_TITLES = ["高级工程师", "教授", "研究员", "高级经济师", "正高级工程师", "副教授"]
_UNIVERSITIES = ["质量管理研究院", "标准化研究所", "理工大学管理学院", "质量技术服务中心",
                 "计量测试研究院", "大学经济管理学院"]
_SECTORS = ["先进制造业", "数字经济", "医疗卫生", "节能环保", "新材料", "现代服务业"]


@dataclass
class PoolDemo:
    experts: list[Expert] = field(default_factory=list)
    detected: int = 0
    confirmed: int = 0
    dismissed: int = 0
    declared: int = 0
    sanctioned: int = 0
    skipped: str = ""  # why detection did not run (the policy needs configuration)
    logins: list[tuple[str, str]] = field(default_factory=list)


def _variant(name: str) -> str:
    """The same organization written another way (legal form, spacing): matched by name."""
    if name.endswith("股份有限公司"):
        return name.replace("股份有限公司", "有限公司")
    if name.endswith("有限公司"):
        return name[: -len("有限公司")] + " 股份有限公司"
    return name


def run(cycle: Cycle, *, office: User, day: dt.date, head: User | None = None,
        password: str = "demo-2026", seed: int = 8, size: int = 12) -> PoolDemo:
    """Build and check the cycle's pool on ``day`` (see the module's documentation)."""
    rnd = random.Random(seed + cycle.pk)
    policy = policy_of(cycle)
    out = PoolDemo()
    with clock.frozen(day):
        apps = list(services.review_applications(cycle).order_by("pk"))
        try:
            relations = services.recusal_relations(policy)
        except ConfigurationRequired as err:
            relations, out.skipped = {}, str(err)
        years = services.past_employer_years(policy)
        tag = f"c{cycle.pk}"
        employers = [f"{cycle.jurisdiction.name_zh}{u}" for u in _UNIVERSITIES]
        for i in range(size):
            name = _NAMES[i % len(_NAMES)] + ("" if i < len(_NAMES) else str(i))
            e = services.expert_create(
                jurisdiction=cycle.jurisdiction, actor=office, name=name,
                employer_name=employers[i % len(employers)], title=rnd.choice(_TITLES),
                phone=f"139{cycle.pk:04d}{i:04d}", email=f"expert{i + 1}.{tag}@example.com",
                sectors=rnd.sample(_SECTORS, 2),
                qualifications=["卓越绩效评价师"] if i % 3 else [], can_lead=i % 3 == 0)
            username = f"expert{i + 1}-{tag}"
            u = User.objects.create_user(username, password=password, first_name=name)
            Membership.objects.create(user=u, jurisdiction=cycle.jurisdiction,
                                      role=Role.REVIEWER)
            e.user = u
            e.save(update_fields=["user"])
            out.experts.append(e)
            out.logins.append((username, name))
        _relate(out.experts, apps, day, years, relations, office)
        for i, e in enumerate(out.experts):
            services.availability_set(expert=e, cycle=cycle, actor=office,
                                      available=i != size - 1,
                                      min_load=1 if i % 2 else 0, max_load=6 + i % 3)
        if out.skipped:
            return out
        for e in out.experts[:-1]:
            services.pledge_sign(e, cycle, e.user)
        report = services.detect_conflicts(cycle, office, on=day, years=years)
        out.detected = report.created
        for c in services.conflicts_of(cycle, "pending"):
            by_name = any(ev.get("by") == "name" for ev in c.evidence)
            if by_name and c.relation in ("business_partner", "interest") and not out.dismissed:
                services.conflict_decide(
                    conflict=c, actor=office, status="dismissed",
                    reason="经电话核实，该专家与申报单位的业务往来已于上年终止，且名称相近的单位"
                           "并非同一主体（统一社会信用代码不同），不构成回避")
                out.dismissed += 1
            else:
                services.conflict_decide(
                    conflict=c, actor=office, status="confirmed",
                    reason=f"经核实，{c.statement}，确认回避")
                out.confirmed += 1
        offered = services.offered_sanctions(policy)
        if head is not None and offered and len(out.experts) > 10:
            kind = "warning" if "warning" in offered else offered[0]
            if kind != "disqualification":
                services.sanction_record(
                    expert=out.experts[10], cycle=cycle, actor=head, kind=kind, on=day,
                    decision="该专家在上届评审中未按时提交评分表，经评审办负责人研究，予以处理")
                out.sanctioned += 1
        if apps and len(out.experts) > 8:
            e = out.experts[8]
            rel = "interest" if "interest" in relations else next(iter(relations), "")
            if rel:
                services.conflict_declare(expert=e, application=apps[-1], relation=rel,
                                          statement="本人配偶在该单位担任财务负责人",
                                          actor=e.user)
                out.declared += 1
    return out


def _relate(experts: list[Expert], apps: list[Application], day: dt.date, years: int,
            relations: dict[str, Any], office: User) -> None:
    """Tie some experts to applicants the ways conflicts arise (and one way they do not)."""
    if not apps:
        return

    def app(k: int) -> Application:
        return apps[k % len(apps)]

    def add(e: Expert, kind: str, a: Application, **kw: Any) -> None:
        services.relation_add(expert=e, actor=office, kind=kind, **kw)

    employee = experts[0]
    services.expert_update(expert=employee, actor=office,
                           employer_name=app(0).applicant.name,
                           employer_code=app(0).applicant.credit_code,
                           sectors=[app(0).applicant.sector or "先进制造业"],
                           reason="演示：专家现任职于申报单位")
    add(experts[1], "partner", app(1), organization_name=_variant(app(1).applicant.name))
    add(experts[2], "past_employer", app(2), organization_name=app(2).applicant.name,
        organization_code=app(2).applicant.credit_code,
        since=services.add_years(day, -10), until=services.add_years(day, -1))
    # Left more than the window ago: not a conflict.
    add(experts[3], "past_employer", app(2), organization_name=app(2).applicant.name,
        since=services.add_years(day, -15), until=services.add_years(day, -(years + 2)))
    add(experts[4], "competitor", app(3), organization_name=app(3).applicant.name)
    if "mentor_of_applicant" in relations or "interest" in relations:
        add(experts[5], "mentee", app(4), organization_name=app(4).applicant.name,
            since=services.add_years(day, -2))
    # Same sector as an applicant, nothing else: never flagged.
    services.expert_update(expert=experts[6], actor=office,
                           sectors=[app(5).applicant.sector or "先进制造业"],
                           reason="演示：同一行业但无关联")
    add(experts[7], "affiliate", app(6), organization_name=app(6).applicant.name,
        organization_code=app(6).applicant.credit_code)
