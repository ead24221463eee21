"""The audit log's filters: date from/to, person, action."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qaward.web.common.forms import DateInput


class AuditFilterForm(forms.Form):
    entity = forms.ChoiceField(label=_("对象"), required=False, choices=[
        ("", _("全部")), ("application", _("申报")), ("cycle", _("评选周期")),
        ("notice", _("公示")), ("objection", _("异议")), ("invitation", _("第三方推荐"))])
    date_from = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    person = forms.ChoiceField(label=_("操作人"), required=False)
    action = forms.ChoiceField(label=_("操作"), required=False)

    def __init__(self, *args: Any, people: list[tuple[str, str]],
                 actions: list[tuple[str, str]], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "audit-%s")
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", _("全部")), *people]
        self.fields["action"].choices = [("", _("全部")), *actions]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("截止日期不能早于起始日期，请调整日期范围。"))
        return data
