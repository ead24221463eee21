"""Template helpers: bilingual data fields, audit actions in the reader's words. The
role-aware navigation is ``accounts``' library ``qaward_nav``."""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _

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


# Registered by call rather than by decorator: Django is untyped here, and a decorator would
# make the functions untyped for mypy.
register.filter("bi", bi)
register.filter("get_item", get_item)


ACTION_LABELS = {
    "application_create": _("创建申报"),
    "transition": _("状态变更"),
    "recommendation_sign": _("签署推荐意见"),
    "eligibility_screen": _("系统资格审查"),
    "eligibility_decide": _("资格审查结论"),
    "eligibility_sign_off": _("负责人签批"),
    "document_add": _("上传材料"),
    "profile_update": _("更新申报条件信息"),
    "consultation_record": _("书面征求意见"),
    "consultation_answer": _("登记书面回复"),
    "notice_publish": _("发布公示"),
    "objection_submit": _("提出异议"),
    "objection_assign": _("指定调查人"),
    "objection_decide": _("异议处理结论"),
    "objection_evidence_add": _("异议证明材料"),
    "invitation_create": _("第三方推荐"),
    "invitation_accept": _("确认申报意愿"),
    "invitation_decline": _("放弃申报"),
    "cycle_open": _("开启评选周期"),
}


def action_label(action: str) -> str:
    """The audit action in the reader's words (the code stays in the title attribute)."""
    return str(ACTION_LABELS.get(action, action))


register.filter("action_label", action_label)


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
