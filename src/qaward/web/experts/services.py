"""The expert pool's writes and the checks others call.

Every write runs in a transaction and records its audit event with the article it rests on.
Others call: :func:`blocked_pairs` (which (application, expert) pairs a team may not use),
:func:`staff_recused` (an office user declared an interest in an application),
:func:`pledge_signed_for` / :func:`pledge_sign`, :func:`available_experts`,
:func:`expert_can_serve`, :func:`review_applications`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Case, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from qaward.core.errors import ConfigurationRequired
from qaward.core.policy import Policy
from qaward.core.policy.model import Cited, NoRule, Silent, given
from qaward.core.review import conflicts as core
from qaward.core.states import NOTICE_SUFFIX, StageId
from qaward.web.accounts import rules
from qaward.web.audit.services import record_event as _record_event
from qaward.web.clock import now, today
from qaward.web.common.errors import ServiceError, in_language
from qaward.web.cycles.models import Application, Cycle
from qaward.web.policies.services import policy_of

from .models import Conflict, Expert, ExpertCycle, ExpertRelation, Sanction, StaffRecusal

# The stages in which experts review (their notice states included): detection and
# declarations concern the applications in these states.
REVIEW_STAGES = frozenset({StageId.MATERIAL_REVIEW, StageId.SITE_REVIEW, StageId.PRESENTATION,
                           StageId.RANKING, StageId.COMPREHENSIVE_EVALUATION})
REVIEW_STATES = frozenset({str(s) for s in REVIEW_STAGES}
                          | {f"{s}{NOTICE_SUFFIX}" for s in REVIEW_STAGES})
BLOCKING = (Conflict.Status.PENDING, Conflict.Status.CONFIRMED)
EXPERT_FIELDS = ("name", "employer_name", "employer_code", "title", "phone", "email",
                 "sectors", "qualifications", "can_lead", "note")
TEXT_MAX = 2000


def record_event(**kw: Any) -> Any:
    """``record_event`` with the data made JSON-plain (dates as ISO text)."""
    if kw.get("data") is not None:
        kw["data"] = json.loads(json.dumps(kw["data"], ensure_ascii=False, default=str))
    return _record_event(**kw)


def past_employer_years(policy: Policy) -> int:
    """Years within which a past employer counts: the policy's ``review.former_employer_years``
    (where silent, the product default 3, docs/conventions.md)."""
    return policy.former_employer_years


# ---------------------------------------------------------------------------------------------
# The policy's parts the pool needs


def recusal_relations(policy: Policy) -> dict[str, str]:
    """The policy's recusal relations with their articles; ConfigurationRequired when the
    regulation does not name them (the office must configure ``reviewers.recusal``)."""
    rec = policy.reviewers.recusal
    if isinstance(rec, Silent) and not policy.reviewers.recusal_elsewhere:
        raise ConfigurationRequired(policy.id, "reviewers.recusal", rec.silent)
    return policy.reviewers.recusal_relations()


def recusal_article(policy: Policy) -> str:
    rec = policy.reviewers.recusal
    return rec.cite if isinstance(rec, Cited) else (rec.cite or "")


def offered_sanctions(policy: Policy) -> list[str]:
    """The sanctions the policy lists (none when it is silent or has none)."""
    s = policy.reviewers.sanctions
    return list(s.value) if isinstance(s, Cited) else []


def sanctions_article(policy: Policy) -> str:
    s = policy.reviewers.sanctions
    return s.cite if isinstance(s, Cited) else ""


_NUMERALS = "一二三四五六"


def pledge_article(policy: Policy) -> str:
    v = policy.review.pledge
    return v.cite if isinstance(v, Cited) else ""


def pledge_text(policy: Policy) -> str:
    """The pledge (保密承诺、回避承诺) the policy requires (``review.pledge``), built from its
    articles: the confidentiality duty (the policy's ``confidentiality`` duty where it has
    one), the recusal relations with their articles, and the sanctions for breaking it.
    ConfigurationRequired where the regulation is silent on the pledge or the relations."""
    required = policy.pledge_required()
    sections: list[str] = []
    if "confidentiality" in required:
        duty = next((d for d in policy.duties if d.kind == "confidentiality"), None)
        if duty is not None:
            sections.append(_("保密：%(text)s（%(article)s）。") % {
                "text": in_language(duty.text_zh, duty.text_en), "article": duty.cite})
        else:
            sections.append(_("保密：对评审中知悉的申报材料、评审意见和评审结果严格保密，"
                              "不向任何人泄露，不用于评审以外的目的（%(article)s）。")
                            % {"article": pledge_article(policy)})
    if "recusal" in required:
        by_article: dict[str, list[str]] = {}
        for rel, art in recusal_relations(policy).items():
            by_article.setdefault(art, []).append(in_language(*core.relation_text(rel)))
        listed = _("；").join(_("%(rels)s（%(article)s）") % {"rels": _("、").join(r),
                                                             "article": a}
                             for a, r in by_article.items())
        sections.append(_("回避：与申报组织存在下列情形之一的，本人主动申报并回避：%(list)s。")
                        % {"list": listed})
        sections.append(_("如实申报本人工作单位、关联单位、业务往来单位、竞争对手单位、"
                          "曾任职单位和指导的组织；情况变化时及时更新。"))
    sanctions = offered_sanctions(policy)
    if sanctions and sections:
        names = _("、").join(str(Sanction.Kind(s).label) for s in sanctions)
        sections.append(_("违反上述承诺的，接受%(names)s等处理（%(article)s）。")
                        % {"names": names, "article": sanctions_article(policy)})
    lines = [_("本人作为本届%(award)s评审专家，郑重承诺：") % {"award": policy.award_name_zh}]
    lines += [in_language(f"{_NUMERALS[i]}、", f"{i + 1}. ") + text
              for i, text in enumerate(sections)]
    return "\n".join(lines)


# ---------------------------------------------------------------------------------------------
# Experts and their relations


def _require_office(actor: Any, obj: Any) -> None:
    if not rules.can_manage_pool(actor, obj):
        raise ServiceError(_("只有评审办可以维护专家库"))


def _clean_expert_fields(values: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in values.items():
        if k not in EXPERT_FIELDS:
            raise ServiceError(_("专家信息没有这一项：%(f)s") % {"f": k}, field=k)
        if isinstance(v, str):
            v = v.strip()
        if k in ("sectors", "qualifications"):
            v = [str(x).strip() for x in (v or []) if str(x).strip()]
        out[k] = v
    if "name" in out and not out["name"]:
        raise ServiceError(_("请填写专家姓名"), field="name")
    return out


def expert_create(*, jurisdiction: Any, actor: Any, **values: Any) -> Expert:
    _require_office(actor, jurisdiction)
    data = _clean_expert_fields(values)
    if not data.get("name"):
        raise ServiceError(_("请填写专家姓名"), field="name")
    with transaction.atomic():
        e = Expert.objects.create(jurisdiction=jurisdiction, **data)
        record_event(actor=actor, jurisdiction=jurisdiction, entity="expert", entity_id=e.pk,
                     action="expert_create", data={"name": e.name})
    return e


def expert_update(*, expert: Expert, actor: Any, reason: str = "", **values: Any) -> Expert:
    _require_office(actor, expert.jurisdiction)
    data = _clean_expert_fields(values)
    with transaction.atomic():
        e = Expert.objects.select_for_update().get(pk=expert.pk)
        changed = {k: [getattr(e, k), v] for k, v in data.items() if getattr(e, k) != v}
        if not changed:
            return e
        for k, v in data.items():
            setattr(e, k, v)
        e.save()
        record_event(actor=actor, jurisdiction=e.jurisdiction, entity="expert", entity_id=e.pk,
                     action="expert_update", reason=reason, data={"changed": changed})
    return e


def _clean_relation(kind: str, name: str, code: str, since: dt.date | None,
                    until: dt.date | None) -> None:
    if kind not in ExpertRelation.Kind.values:
        raise ServiceError(_("关系类型不正确：%(k)s") % {"k": kind}, field="kind")
    if not name.strip():
        raise ServiceError(_("请填写单位名称"), field="organization_name")
    if since and until and until < since:
        raise ServiceError(_("终止日期不能早于起始日期"), field="until")


def relation_add(*, expert: Expert, actor: Any, kind: str, organization_name: str,
                 organization_code: str = "", since: dt.date | None = None,
                 until: dt.date | None = None, note: str = "") -> ExpertRelation:
    _require_office(actor, expert.jurisdiction)
    _clean_relation(kind, organization_name, organization_code, since, until)
    with transaction.atomic():
        r = ExpertRelation.objects.create(
            expert=expert, kind=kind, organization_name=organization_name.strip(),
            organization_code=organization_code.strip(), since=since, until=until,
            note=note.strip())
        record_event(actor=actor, jurisdiction=expert.jurisdiction, entity="expert",
                     entity_id=expert.pk, action="expert_relation_add",
                     data={"relation": r.pk, "kind": kind, "organization": r.organization_name,
                           "code": r.organization_code, "since": since, "until": until})
    return r


def relation_update(*, relation: ExpertRelation, actor: Any, kind: str,
                    organization_name: str, organization_code: str = "",
                    since: dt.date | None = None, until: dt.date | None = None,
                    note: str = "") -> ExpertRelation:
    expert = relation.expert
    _require_office(actor, expert.jurisdiction)
    _clean_relation(kind, organization_name, organization_code, since, until)
    new = {"kind": kind, "organization_name": organization_name.strip(),
           "organization_code": organization_code.strip(), "since": since, "until": until,
           "note": note.strip()}
    with transaction.atomic():
        r = ExpertRelation.objects.select_for_update().get(pk=relation.pk)
        changed = {k: [getattr(r, k), v] for k, v in new.items() if getattr(r, k) != v}
        if not changed:
            return r
        for k, v in new.items():
            setattr(r, k, v)
        r.save()
        record_event(actor=actor, jurisdiction=expert.jurisdiction, entity="expert",
                     entity_id=expert.pk, action="expert_relation_update",
                     data={"relation": r.pk, "changed": changed})
    return r


def relation_remove(*, relation: ExpertRelation, actor: Any, reason: str = "") -> None:
    expert = relation.expert
    _require_office(actor, expert.jurisdiction)
    with transaction.atomic():
        record_event(actor=actor, jurisdiction=expert.jurisdiction, entity="expert",
                     entity_id=expert.pk, action="expert_relation_remove", reason=reason,
                     data={"relation": relation.pk, "kind": relation.kind,
                           "organization": relation.organization_name})
        relation.delete()


# ---------------------------------------------------------------------------------------------
# Status, sanctions


def expert_can_serve(expert: Expert, on: dt.date | None = None) -> bool:
    """Not disqualified on ``on`` (a disqualification ends the day after ``disqualified_until``)."""
    if expert.status != Expert.Status.DISQUALIFIED:
        return True
    day = on or today()
    return expert.disqualified_until is not None and expert.disqualified_until < day


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def sanction_record(*, expert: Expert, cycle: Cycle, actor: Any, kind: str, decision: str,
                    until: dt.date | None = None, on: dt.date | None = None) -> Sanction:
    """Record a sanction the policy lists, with the decision text; a warning sets the status
    to warned, a disqualification to disqualified until ``until`` — at least the policy's
    ban on rehiring after a disqualification, where it has one (the default then)."""
    if not rules.can_sanction_experts(actor, expert.jurisdiction):
        raise ServiceError(_("只有评审办负责人可以决定对专家的处理"))
    day = on or today()
    decision = decision.strip()
    if not decision:
        raise ServiceError(_("请写明处理决定（事实、依据和处理结果）"), field="decision")
    if cycle.jurisdiction_id != expert.jurisdiction_id:
        raise ServiceError(_("该专家不属于本辖区专家库"))
    policy = policy_of(cycle)
    offered = offered_sanctions(policy)
    if kind not in offered:
        names = _("、").join(str(Sanction.Kind(s).label) for s in offered) or _("（无）")
        raise ServiceError(_("管理办法规定的处理方式为：%(names)s") % {"names": names},
                           field="kind", article=sanctions_article(policy) or None)
    article = sanctions_article(policy)
    ban = policy.reviewers.rehire_ban_years_after_disqualification
    if kind == "disqualification":
        floor = add_years(day, ban.value) if isinstance(ban, Cited) else None
        if until is None:
            if floor is None:
                raise ServiceError(_("请填写取消评审资格的截止日期（管理办法未规定期限）"),
                                   field="until", article=article)
            until = floor
        if isinstance(ban, Cited) and floor is not None and until < floor:
            raise ServiceError(_("取消评审资格后%(n)s年内不得再聘请，截止日期不能早于%(d)s")
                               % {"n": ban.value, "d": floor.isoformat()},
                               field="until", article=ban.cite)
        if isinstance(ban, Cited):
            article = f"{article}；{ban.cite}" if ban.cite != article else article
    elif until is not None:
        raise ServiceError(_("只有取消评审资格才有截止日期"), field="until")
    with transaction.atomic():
        e = Expert.objects.select_for_update().get(pk=expert.pk)
        before = e.status
        s = Sanction.objects.create(expert=e, kind=kind, decision=decision, article=article,
                                    decided_on=day, until=until, decided_by=actor)
        if kind == "disqualification":
            e.status, e.disqualified_until = Expert.Status.DISQUALIFIED, until
        elif kind == "warning" and e.status == "active":
            e.status = Expert.Status.WARNED
        e.save(update_fields=["status", "disqualified_until"])
        record_event(actor=actor, jurisdiction=e.jurisdiction, entity="expert", entity_id=e.pk,
                     action="expert_sanction", from_state=before, to_state=e.status,
                     reason=decision, article=article,
                     data={"sanction": s.pk, "kind": kind, "until": until})
    expert.refresh_from_db()
    return s


# ---------------------------------------------------------------------------------------------
# Per cycle: availability, loads, pledge


def availability_set(*, expert: Expert, cycle: Cycle, actor: Any, available: bool = True,
                     min_load: int = 0, max_load: int = 10) -> ExpertCycle:
    _require_office(actor, cycle)
    if expert.jurisdiction_id != cycle.jurisdiction_id:
        raise ServiceError(_("该专家不属于本辖区专家库"), field="expert")
    if min_load < 0 or max_load < min_load:
        raise ServiceError(_("最多评审数不能少于最少评审数"), field="max_load")
    if available and not expert_can_serve(expert):
        raise ServiceError(_("该专家已被取消评审资格至%(d)s，期间不得聘请")
                           % {"d": expert.disqualified_until}, field="available",
                           article=_ban_article(cycle))
    with transaction.atomic():
        ec, created = ExpertCycle.objects.select_for_update().get_or_create(
            expert=expert, cycle=cycle,
            defaults={"available": available, "min_load": min_load, "max_load": max_load})
        before = None if created else [ec.available, ec.min_load, ec.max_load]
        if not created:
            ec.available, ec.min_load, ec.max_load = available, min_load, max_load
            ec.save(update_fields=["available", "min_load", "max_load"])
        if before != [available, min_load, max_load]:
            record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="expert",
                         entity_id=expert.pk, action="expert_availability",
                         data={"cycle": cycle.pk, "before": before,
                               "after": [available, min_load, max_load]})
    return ec


def _ban_article(cycle: Cycle) -> str | None:
    ban = policy_of(cycle).reviewers.rehire_ban_years_after_disqualification
    return ban.cite if isinstance(ban, Cited) else None


def available_experts(cycle: Cycle, on: dt.date | None = None) -> list[ExpertCycle]:
    """The experts available in the cycle and allowed to serve, with their loads."""
    rows = ExpertCycle.objects.filter(cycle=cycle, available=True).select_related("expert")
    return [ec for ec in rows if expert_can_serve(ec.expert, on)]


def pledge_signed_for(expert: Expert, cycle: Cycle) -> bool:
    return ExpertCycle.objects.filter(expert=expert, cycle=cycle,
                                      pledge_signed_at__isnull=False).exists()


def pledge_sign(expert: Expert, cycle: Cycle, actor: Any) -> ExpertCycle:
    """The expert signs the cycle's pledge (the text as shown now is kept); only the expert's
    own user signs. Signing twice keeps the first signature."""
    if expert.user_id is None or getattr(actor, "pk", None) != expert.user_id:
        raise ServiceError(_("承诺须由专家本人签署"))
    if expert.jurisdiction_id != cycle.jurisdiction_id:
        raise ServiceError(_("该专家不属于本辖区专家库"))
    policy = policy_of(cycle)
    text = pledge_text(policy)
    with transaction.atomic():
        ec, _created = ExpertCycle.objects.select_for_update().get_or_create(
            expert=expert, cycle=cycle)
        if ec.pledge_signed_at is not None:
            return ec
        if not ec.available or not expert_can_serve(expert):
            raise ServiceError(_("您未被列为本届可参加评审的专家，请联系评审办"))
        ec.pledge_signed_at, ec.pledge_text = now(), text
        ec.save(update_fields=["pledge_signed_at", "pledge_text"])
        articles = [pledge_article(policy)]
        if "recusal" in policy.pledge_required():
            articles += sorted(set(recusal_relations(policy).values()))
        articles = list(dict.fromkeys(a for a in articles if a))
        record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="expert",
                     entity_id=expert.pk, action="pledge_sign", article="；".join(articles),
                     data={"cycle": cycle.pk, "text": text})
    return ec


# ---------------------------------------------------------------------------------------------
# Conflicts


def review_applications(cycle: Cycle) -> QuerySet[Application]:
    return Application.objects.filter(cycle=cycle, state__in=REVIEW_STATES).select_related(
        "applicant")


def _orgs(raw: Any) -> tuple[core.Organization, ...]:
    out = []
    for x in raw if isinstance(raw, list) else []:
        if isinstance(x, dict) and str(x.get("name", "")).strip():
            out.append(core.Organization(str(x["name"]), str(x.get("credit_code")
                                                             or x.get("code") or "")))
        elif isinstance(x, str) and x.strip():
            out.append(core.Organization(x))
    return tuple(out)


def applicant_facts(app: Application) -> core.ApplicantFacts:
    a = app.applicant
    profile = app.profile_snapshot or a.profile or {}
    group = profile.get("group")
    employer = profile.get("employer") if a.kind == "individual" else None
    return core.ApplicantFacts(
        name=a.name, credit_code=a.credit_code, sector=a.sector,
        affiliates=_orgs(profile.get("affiliates")) + _orgs([group] if group else []),
        competitors=_orgs(profile.get("competitors")),
        employer=(core.Organization(str(employer.get("name", "")),
                                    str(employer.get("credit_code", "")))
                  if isinstance(employer, dict) and employer.get("name") else None))


def expert_facts(e: Expert) -> core.ExpertFacts:
    employer = (core.Organization(e.employer_name, e.employer_code)
                if e.employer_name or e.employer_code else None)
    return core.ExpertFacts(
        name=e.name, employer=employer, sectors=tuple(e.sectors or ()),
        relations=tuple(core.Relation(r.kind, core.Organization(r.organization_name,
                                                                r.organization_code),
                                      r.since, r.until) for r in e.relations.all()
                        if r.kind in core.RELATION_KINDS))


@dataclass
class DetectionReport:
    pairs: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    withdrawn: int = 0
    relations: dict[str, str] = field(default_factory=dict)


def detect_conflicts(cycle: Cycle, actor: Any = None, *, on: dt.date | None = None,
                     years: int | None = None) -> DetectionReport:
    """Compare every application in review with every available expert and store each
    suggestion as a Conflict (origin detected) with its evidence. Running it again creates
    nothing twice: a pending suggestion gets the new evidence, a decided one keeps its decision,
    and a pending suggestion no longer found is dismissed with that reason."""
    if actor is not None and not rules.is_office(actor, cycle):
        raise ServiceError(_("只有评审办可以进行利害关系比对"))
    policy = policy_of(cycle)
    relations = recusal_relations(policy)
    day = on or today()
    n_years = past_employer_years(policy) if years is None else years
    fixed = policy.review.former_employer_years
    if isinstance(fixed, Cited) and n_years != fixed.value:
        raise ServiceError(_("管理办法规定曾任职单位在%(n)s年内的应当回避") % {"n": fixed.value},
                           field="years", article=fixed.cite)
    report = DetectionReport(relations=dict(relations))
    apps = list(review_applications(cycle))
    experts = [ec.expert for ec in available_experts(cycle, day)]
    facts = {e.pk: expert_facts(e) for e in
             Expert.objects.filter(pk__in=[e.pk for e in experts]).prefetch_related("relations")}
    with transaction.atomic():
        # One check of a cycle at a time: a second one waits, then finds every row made.
        Cycle.objects.select_for_update().filter(pk=cycle.pk).exists()
        existing = {(c.application_id, c.expert_id, c.relation): c for c in
                    Conflict.objects.select_for_update().filter(
                        cycle=cycle, origin=Conflict.Origin.DETECTED)}
        seen: set[tuple[int, int, str]] = set()
        for app in apps:
            af = applicant_facts(app)
            for e in experts:
                report.pairs += 1
                for s in core.detect(facts[e.pk], af, relations, on=day,
                                     past_employer_years=n_years):
                    key = (app.pk, e.pk, s.relation)
                    seen.add(key)
                    evidence = s.evidence_dicts()
                    statement = in_language(s.reason_zh, s.reason_en)
                    c = existing.get(key)
                    if c is None:
                        c = Conflict.objects.create(
                            cycle=cycle, application=app, expert=e,
                            origin=Conflict.Origin.DETECTED, relation=s.relation,
                            article=s.article, evidence=evidence, statement=statement)
                        report.created += 1
                        record_event(actor=actor, jurisdiction=cycle.jurisdiction,
                                     entity="conflict", entity_id=c.pk,
                                     action="conflict_detected", to_state=c.status,
                                     article=s.article,
                                     data={"application": app.pk, "expert": e.pk,
                                           "relation": s.relation, "evidence": evidence})
                    elif c.status == Conflict.Status.PENDING and (
                            c.evidence != evidence or c.article != s.article):
                        c.evidence, c.article, c.statement = evidence, s.article, statement
                        c.save(update_fields=["evidence", "article", "statement"])
                        report.updated += 1
                        record_event(actor=actor, jurisdiction=cycle.jurisdiction,
                                     entity="conflict", entity_id=c.pk,
                                     action="conflict_evidence_update", article=s.article,
                                     data={"evidence": evidence})
                    else:
                        report.unchanged += 1
        for key, c in existing.items():
            if key not in seen and c.status == Conflict.Status.PENDING:
                reason = _("重新比对时不再发现（专家或申报资料已更新）")
                c.status, c.reason, c.decided_at = Conflict.Status.DISMISSED, reason, now()
                c.save(update_fields=["status", "reason", "decided_at"])
                report.withdrawn += 1
                record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="conflict",
                             entity_id=c.pk, action="conflict_withdrawn",
                             from_state="pending", to_state=c.status, reason=reason,
                             article=c.article)
        record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="cycle",
                     entity_id=cycle.pk, action="conflicts_detect",
                     article=recusal_article(policy),
                     data={"on": day, "past_employer_years": n_years, "pairs": report.pairs,
                           "created": report.created, "updated": report.updated,
                           "withdrawn": report.withdrawn})
    return report


# Called as hook(conflict, actor) inside the transaction that confirms a conflict (declared or
# decided): the review app, which sits above this one, registers the recusal of a member
# already on a team of that application (review.apps.ReviewConfig.ready).
ON_CONFIRMED: list[Callable[[Conflict, Any], object]] = []


def _confirmed(c: Conflict, actor: Any) -> None:
    for hook in ON_CONFIRMED:
        hook(c, actor)


def conflict_declare(*, expert: Expert, application: Application, relation: str,
                     statement: str, actor: Any) -> Conflict:
    """The expert declares a conflict with an application: confirmed at once (a declaration
    binds). Only the expert's own user, or the office on the expert's behalf, declares."""
    cycle = application.cycle
    own = expert.user_id is not None and getattr(actor, "pk", None) == expert.user_id
    if not own and not rules.is_office(actor, cycle):
        raise ServiceError(_("回避申报须由专家本人提交"))
    policy = policy_of(cycle)
    relations = recusal_relations(policy)
    if relation not in relations:
        offered = _("、").join(in_language(*core.relation_text(r)) for r in relations)
        raise ServiceError(_("请选择管理办法规定的回避情形：%(list)s") % {"list": offered},
                           field="relation", article=recusal_article(policy) or None)
    statement = statement.strip()
    if not statement:
        raise ServiceError(_("请说明具体情况（与申报组织的关系）"), field="statement")
    if len(statement) > TEXT_MAX:
        raise ServiceError(_("说明不能超过 %(n)s 个字") % {"n": TEXT_MAX}, field="statement")
    article = relations[relation]
    try:
        with transaction.atomic():
            c = Conflict.objects.create(
                cycle=cycle, application=application, expert=expert,
                origin=Conflict.Origin.DECLARED, relation=relation, article=article,
                statement=statement, status=Conflict.Status.CONFIRMED,
                reason=_("专家本人申报回避"), decided_by=actor if own else None,
                decided_at=now())
            record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="conflict",
                         entity_id=c.pk, action="conflict_declare", to_state=c.status,
                         reason=statement, article=article,
                         data={"application": application.pk, "expert": expert.pk,
                               "relation": relation})
            _confirmed(c, actor)
    except IntegrityError:
        raise ServiceError(_("已申报过这一回避情形"), field="relation") from None
    return c


def conflict_decide(*, conflict: Conflict, actor: Any, status: str, reason: str) -> Conflict:
    """The office confirms or dismisses a conflict, with a reason. A user who declared an
    interest in the application (staff recusal) cannot decide on it; a declaration by the
    expert stays confirmed."""
    cycle = conflict.cycle
    if not rules.can_decide_conflicts(actor, cycle):
        raise ServiceError(_("只有评审办可以确认或排除回避情形"))
    if staff_recused(actor, conflict.application):
        raise ServiceError(_("您已申报与该申报组织存在利害关系，不能处理与其有关的事项"),
                           article=_staff_article(cycle))
    if status not in ("confirmed", "dismissed"):
        raise ServiceError(_("请选择确认回避或不构成回避"), field="status")
    reason = reason.strip()
    if not reason:
        raise ServiceError(_("请写明确认或排除的理由"), field="reason")
    with transaction.atomic():
        c = Conflict.objects.select_for_update().get(pk=conflict.pk)
        if c.origin == "declared" and status != "confirmed":
            raise ServiceError(_("专家本人申报的回避不能排除"), field="status",
                               article=c.article or None)
        if c.status == status and c.reason == reason:
            return c
        before = c.status
        c.status, c.reason, c.decided_by, c.decided_at = status, reason, actor, now()
        c.save(update_fields=["status", "reason", "decided_by", "decided_at"])
        record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="conflict",
                     entity_id=c.pk, action="conflict_decide", from_state=before,
                     to_state=status, reason=reason, article=c.article,
                     data={"application": c.application_id, "expert": c.expert_id,
                           "relation": c.relation})
        if status == "confirmed":
            _confirmed(c, actor)
    return c


def conflict_register(*, expert: Expert, application: Application, relation: str,
                      statement: str, actor: Any) -> Conflict:
    """The office enters a conflict it learned of (origin office), pending its decision."""
    cycle = application.cycle
    if not rules.is_office(actor, cycle):
        raise ServiceError(_("只有评审办可以登记回避情形"))
    relations = recusal_relations(policy_of(cycle))
    if relation not in relations:
        raise ServiceError(_("管理办法未规定这一回避情形"), field="relation")
    if not statement.strip():
        raise ServiceError(_("请说明具体情况"), field="statement")
    try:
        with transaction.atomic():
            c = Conflict.objects.create(cycle=cycle, application=application, expert=expert,
                                        origin=Conflict.Origin.OFFICE, relation=relation,
                                        article=relations[relation],
                                        statement=statement.strip())
            record_event(actor=actor, jurisdiction=cycle.jurisdiction, entity="conflict",
                         entity_id=c.pk, action="conflict_register", to_state=c.status,
                         reason=c.statement, article=c.article,
                         data={"application": application.pk, "expert": expert.pk,
                               "relation": relation})
    except IntegrityError:
        raise ServiceError(_("已登记过这一回避情形"), field="relation") from None
    return c


def blocked_pairs(cycle: Cycle) -> set[tuple[int, int]]:
    """(application id, expert id) pairs no team may use: a conflict pending or confirmed."""
    return set(Conflict.objects.filter(cycle=cycle, status__in=BLOCKING)
               .values_list("application_id", "expert_id"))


def is_blocked(application: Application, expert: Expert) -> bool:
    return Conflict.objects.filter(application=application, expert=expert,
                                   status__in=BLOCKING).exists()


def conflicts_of(cycle: Cycle, status: str | None = None) -> QuerySet[Conflict]:
    pending_first = Case(When(status="pending", then=Value(0)), default=Value(1))
    qs = Conflict.objects.filter(cycle=cycle).select_related(
        "application__applicant", "expert", "decided_by").order_by(
        pending_first, "application_id", "expert__name", "relation")
    return qs.filter(status=status) if status else qs


# ---------------------------------------------------------------------------------------------
# Office staff recusal (工作人员回避)


def _staff_article(cycle: Cycle) -> str | None:
    s = policy_of(cycle).reviewers.staff_recuse_too
    return s.cite if isinstance(s, Cited) else None


def staff_recusal_declare(*, application: Application, user: Any,
                          statement: str) -> StaffRecusal:
    """An office staff member declares an interest in an application, where the policy makes
    staff recuse too; from then on :func:`staff_recused` is true for them."""
    cycle = application.cycle
    if not rules.is_office(user, cycle):
        raise ServiceError(_("只有评审办工作人员可以申报本人回避"))
    policy = policy_of(cycle)
    rule = policy.reviewers.staff_recuse_too
    if isinstance(rule, Silent):
        raise ConfigurationRequired(policy.id, "reviewers.staff_recuse_too", rule.silent)
    if isinstance(rule, NoRule) or not given(rule) or not rule.value:
        raise ServiceError(_("管理办法未规定工作人员回避"))
    statement = statement.strip()
    if not statement:
        raise ServiceError(_("请说明与该申报组织的利害关系"), field="statement")
    try:
        with transaction.atomic():
            r = StaffRecusal.objects.create(application=application, user=user,
                                            statement=statement, article=rule.cite,
                                            declared_at=now())
            record_event(actor=user, jurisdiction=cycle.jurisdiction, entity="application",
                         entity_id=application.pk, action="staff_recusal_declare",
                         reason=statement, article=rule.cite)
    except IntegrityError:
        raise ServiceError(_("您已申报对该申报组织回避")) from None
    return r


def staff_recused(user: Any, application: Application) -> bool:
    """The user declared an interest in the application: they may decide nothing on it."""
    if user is None or not getattr(user, "pk", None):
        return False
    return StaffRecusal.objects.filter(application=application, user_id=user.pk).exists()


def recused_application_ids(user: Any, cycle: Cycle) -> set[int]:
    return set(StaffRecusal.objects.filter(application__cycle=cycle, user_id=getattr(
        user, "pk", None)).values_list("application_id", flat=True))


def experts_of(jurisdiction: Any, *, sector: str = "", status: str = "",
               q: str = "") -> list[Expert]:
    """The pool, filtered (the sector among the expert's sectors; JSON lists are compared in
    Python, the same on SQLite and PostgreSQL)."""
    qs = Expert.objects.filter(jurisdiction=jurisdiction).order_by("name", "pk")
    if status:
        qs = qs.filter(status=status)
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employer_name__icontains=q))
    return [e for e in qs if not sector or sector in (e.sectors or [])]
