"""Template helpers: bilingual data fields, audit actions in the reader's words. The
role-aware navigation is ``accounts``' library ``qaward_nav``."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

from qaward.core import states
from qaward.web.common.views import english

register = template.Library()


def bi(obj: Any, name: str) -> Any:
    """``obj.name_en`` in English, else ``obj.name_zh`` (dicts too): policy data and engine
    reasons carry both languages."""
    key = f"{name}_{'en' if english() else 'zh'}"
    fallback = f"{name}_zh"
    if isinstance(obj, dict):
        return obj.get(key) or obj.get(fallback, "")
    return getattr(obj, key, None) or getattr(obj, fallback, "")


def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


def rule_value(value: str) -> str:
    """A rule's value as ``qaward policy show`` writes it, in the reader's words: a silence
    (``— (why)``) needs the office's configuration, a ``none (why)`` is no rule at all."""
    if value.startswith("— (") and value.endswith(")"):
        return gettext("未定，须由评审办配置（%(why)s）") % {"why": value[3:-1]}
    if value.startswith("none (") and value.endswith(")"):
        return gettext("本办法无此规定（%(why)s）") % {"why": value[6:-1]}
    return value


# Registered by call rather than by decorator: Django is untyped here, and a decorator would
# make the functions untyped for mypy.
register.filter("bi", bi)
register.filter("get_item", get_item)
register.filter("rule_value", rule_value)


ACTION_LABELS = {
    "application_create": _("创建申报"),
    "transition": _("状态变更"),
    "recommendation_sign": _("签署推荐意见"),
    "eligibility_screen": _("系统资格审查"),
    "eligibility_decide": _("资格审查结论"),
    "manual_check_record": _("记录人工核实结果"),
    "eligibility_sign_off": _("负责人签批"),
    "eligibility_sign_off_refuse": _("负责人不同意签批"),
    "recommendation_decline": _("不予推荐"),
    "document_add": _("上传材料"),
    "profile_update": _("更新申报条件信息"),
    "consultation_record": _("书面征求意见"),
    "consultation_answer": _("登记书面回复"),
    "notice_publish": _("发布公示"),
    "objection_submit": _("提出异议"),
    "objection_assign": _("指定调查人"),
    "objection_decide": _("异议处理结论"),
    "objection_removal_decide": _("异议成立后的退出评审决定"),
    "objection_evidence_add": _("异议证明材料"),
    "invitation_create": _("第三方推荐"),
    "invitation_accept": _("确认申报意愿"),
    "invitation_decline": _("放弃申报"),
    "cycle_open": _("开启评选周期"),
    "cycle_repin": _("改按管理办法新版本执行"),
    "office_contact_update": _("修改评审办联系方式"),
    "policy_registered": _("登记管理办法新版本"),
    "policy_current": _("管理办法文件恢复为已登记的版本"),
    "appeal_file": _("提出申诉"),
    "appeal_decide": _("申诉处理结论"),
    "duty_done": _("勾选工作清单事项"),
    "token_create": _("创建接口令牌"),
    "token_revoke": _("吊销接口令牌"),
    "shortlist_fix": _("确定入围名单"),
    "report_release": _("发布评审报告"),
    # The review teams (issue 8)
    "teams_propose": _("生成评审组方案"),
    "teams_accept": _("采纳方案组建评审组"),
    "team_member_add": _("增加评审组成员"),
    "team_member_remove": _("调出评审组成员"),
    "team_member_replace": _("替换评审组成员"),
    "team_leader_change": _("指定评审组组长"),
    "team_member_recuse": _("评审组成员回避"),
    # The expert pool and the score sheets (issue 8)
    "conflict_decide": _("确认或排除回避情形"),
    "conflict_declare": _("专家申报利害关系"),
    "conflict_detected": _("系统比对发现回避情形"),
    "conflict_evidence_update": _("更新回避情形的比对依据"),
    "conflict_register": _("评审办登记回避情形"),
    "conflict_withdrawn": _("撤回系统比对的回避情形"),
    "conflicts_detect": _("比对专家与申报方的利害关系"),
    "consensus_close": _("确定评审组共识"),
    "consensus_record": _("记录评分项共识"),
    "expert_availability": _("设置专家本届评审安排"),
    "expert_create": _("专家入库"),
    "expert_relation_add": _("增加专家关联单位"),
    "expert_relation_remove": _("删除专家关联单位"),
    "expert_relation_update": _("修改专家关联单位"),
    "expert_sanction": _("专家处理决定"),
    "expert_update": _("修改专家信息"),
    "pledge_sign": _("签署保密和回避承诺"),
    "sheet_open": _("开始评分"),
    "sheet_save": _("保存评分表"),
    "sheet_submit": _("提交评分表"),
    "site_report_confirm": _("确认现场评审报告"),
    "site_report_object": _("对现场评审报告提出意见"),
    "staff_recusal_declare": _("工作人员申报回避"),
    "supervision_rating": _("双向监督评价"),
    "visit_plan_save": _("保存现场评审安排"),
}


def action_label(action: str) -> str:
    """The audit action in the reader's words (the code stays in the title attribute)."""
    return str(ACTION_LABELS.get(action, action))


register.filter("action_label", action_label)


# An objection's statuses (the notices app's ``Objection.Status``, named here because the
# common app sits below it; the same Chinese source, so the same translation).
OBJECTION_STATUS_LABELS = {
    "received": _("已受理"),
    "investigating": _("调查中"),
    "upheld": _("异议成立"),
    "dismissed": _("异议不成立"),
}


def state_label(state_id: str, entity: str = "application") -> str:
    """A recorded state in the reader's words: an objection's status, or an application's
    state by its default label (``qaward.core.states``); the id only when unknown."""
    if not state_id:
        return ""
    if entity == "objection":
        return str(OBJECTION_STATUS_LABELS.get(state_id, state_id))
    try:
        lab = states.label(state_id)
    except (KeyError, ValueError):
        return state_id
    return lab.name_en if english() else lab.name_zh


def state_change(event: Any) -> str:
    """An audit event's state change in words (``已受理 → 调查中``), or ""."""
    if not (event.from_state or event.to_state):
        return ""
    src = state_label(event.from_state, event.entity) or "—"
    dst = state_label(event.to_state, event.entity) or "—"
    return f"{src} → {dst}"


register.filter("state_label", state_label)
register.filter("state_change", state_change)


def person(user: Any) -> str:
    """A person's real name for a signature (family name first, as written in Chinese), the
    login only when no name was recorded."""
    if user is None:
        return ""
    full = str(getattr(user, "full_name", "") or "").strip()
    if not full:
        last = str(getattr(user, "last_name", "") or "").strip()
        first = str(getattr(user, "first_name", "") or "").strip()
        ascii_name = (last + first).isascii()
        full = f"{first} {last}".strip() if ascii_name else f"{last}{first}"
    return full or str(user.get_username())


register.filter("person", person)


ENTITY_LABELS = {
    "application": _("申报"), "cycle": _("评选周期"), "notice": _("公示"),
    "objection": _("异议"), "invitation": _("第三方推荐"), "jurisdiction": _("评审办"),
}


def entity_label(entity: str) -> str:
    return str(ENTITY_LABELS.get(entity, entity))


register.filter("entity_label", entity_label)


NOTICE_RULE = re.compile(r"^(不少于)?(\d+)(个工作日|天)$")


def notice_rule(rule: str) -> str:
    """A notice's stored length rule (``7天``, ``不少于5个工作日``, as the core words it) in
    the reader's language."""
    m = NOTICE_RULE.match(rule or "")
    if not m:
        return rule
    n = int(m.group(2))
    if m.group(3) == "天":
        length = ngettext("%(n)s天", "%(n)s天", n) % {"n": n}
    else:
        length = ngettext("%(n)s个工作日", "%(n)s个工作日", n) % {"n": n}
    return gettext("不少于%(length)s") % {"length": length} if m.group(1) else length


register.filter("notice_rule", notice_rule)
