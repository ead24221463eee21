"""The pool's forms: the views pass their cleaned data to the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qaward.web.common.forms import DateInput

from .models import Conflict, Expert, ExpertRelation, Sanction


def _split(text: str) -> list[str]:
    return [x.strip() for x in text.replace("，", "、").replace(",", "、").split("、")
            if x.strip()]


class ExpertForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=100)
    employer_name = forms.CharField(label=_("工作单位"), max_length=200, required=False)
    employer_code = forms.CharField(label=_("工作单位统一社会信用代码"), max_length=32,
                                    required=False)
    title = forms.CharField(label=_("职务/职称"), max_length=100, required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)
    sectors = forms.CharField(label=_("专业领域（用、分隔）"), required=False)
    qualifications = forms.CharField(label=_("资质（用、分隔）"), required=False)
    can_lead = forms.BooleanField(label=_("可任评审组长"), required=False)
    note = forms.CharField(label=_("备注"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))

    @classmethod
    def initial_of(cls, e: Expert) -> dict[str, Any]:
        return {"name": e.name, "employer_name": e.employer_name,
                "employer_code": e.employer_code, "title": e.title, "phone": e.phone,
                "email": e.email, "sectors": "、".join(e.sectors),
                "qualifications": "、".join(e.qualifications), "can_lead": e.can_lead,
                "note": e.note}

    def values(self) -> dict[str, Any]:
        d = dict(self.cleaned_data)
        d["sectors"] = _split(d["sectors"])
        d["qualifications"] = _split(d["qualifications"])
        return d


class RelationForm(forms.Form):
    id = forms.IntegerField(widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(label=_("关系"), choices=ExpertRelation.Kind.choices)
    organization_name = forms.CharField(label=_("单位名称"), max_length=200)
    organization_code = forms.CharField(label=_("统一社会信用代码"), max_length=32,
                                        required=False)
    since = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    until = forms.DateField(label=_("终止日期"), required=False, widget=DateInput())


RelationFormSet = forms.formset_factory(RelationForm, extra=2, can_delete=True)


class AvailabilityForm(forms.Form):
    cycle = forms.IntegerField(widget=forms.HiddenInput)
    available = forms.BooleanField(label=_("本届可参加评审"), required=False)
    min_load = forms.IntegerField(label=_("最少评审数"), min_value=0, initial=0)
    max_load = forms.IntegerField(label=_("最多评审数"), min_value=0, initial=10)


class SanctionForm(forms.Form):
    cycle = forms.IntegerField(widget=forms.HiddenInput)
    kind = forms.ChoiceField(label=_("处理方式"), choices=())
    decision = forms.CharField(label=_("处理决定（事实、依据和处理结果）"),
                               widget=forms.Textarea(attrs={"rows": 3}))
    until = forms.DateField(label=_("取消资格至（留空按管理办法规定的期限）"), required=False,
                            widget=DateInput())

    def __init__(self, *args: Any, offered: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = [(k, Sanction.Kind(k).label) for k in offered]


class PoolFilterForm(forms.Form):
    q = forms.CharField(label=_("姓名或单位"), required=False)
    sector = forms.CharField(label=_("专业领域"), required=False)
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), *Expert.Status.choices])


class ImportForm(forms.Form):
    file = forms.FileField(label=_("专家库名册（.xlsx）"))


class ConflictFilterForm(forms.Form):
    status = forms.ChoiceField(label=_("状态"), required=False,
                               choices=[("", _("全部")), *Conflict.Status.choices])


class DecideForm(forms.Form):
    status = forms.ChoiceField(label=_("决定"), choices=[
        (Conflict.Status.CONFIRMED, _("确认回避")), (Conflict.Status.DISMISSED, _("不构成回避"))])
    reason = forms.CharField(label=_("理由"), widget=forms.Textarea(attrs={"rows": 2}))


class DeclareForm(forms.Form):
    application = forms.IntegerField(widget=forms.HiddenInput)
    relation = forms.ChoiceField(label=_("回避情形"), choices=())
    statement = forms.CharField(label=_("具体情况"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, relations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        rel = self.fields["relation"]
        assert isinstance(rel, forms.ChoiceField)
        rel.choices = relations


class StatementForm(forms.Form):
    statement = forms.CharField(label=_("与该申报组织的利害关系"),
                                widget=forms.Textarea(attrs={"rows": 2}))
