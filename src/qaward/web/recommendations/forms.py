"""Forms of recommendations: the department's opinion, a third-party invitation, a written
consultation and its answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _


class RecommendationForm(forms.Form):
    opinion = forms.CharField(label=_("推荐意见"), widget=forms.Textarea(attrs={"rows": 4}))


class DeclineForm(forms.Form):
    """The department declines to recommend (不予推荐)."""

    reason = forms.CharField(label=_("不予推荐理由"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "decline-%s")
        super().__init__(*args, **kwargs)


class InvitationForm(forms.Form):
    """A third-party recommendation (崇明 第二十条) recorded by the office."""

    applicant = forms.ModelChoiceField(label=_("被推荐组织"), queryset=None)
    recommender = forms.CharField(label=_("推荐方"), max_length=200)
    recommender_kind = forms.ChoiceField(label=_("推荐方类型"), choices=[
        ("unit", _("相关单位")), ("competent", _("行业主管部门")), ("association", _("行业协会")),
        ("expert", _("专家学者")), ("winner", _("获奖组织"))])
    reason = forms.CharField(label=_("推荐理由"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, applicants: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "invite-%s")
        super().__init__(*args, **kwargs)
        self.fields["applicant"].queryset = applicants


class ConsultationForm(forms.Form):
    department_name = forms.CharField(label=_("征求意见部门"), max_length=200)
    question = forms.CharField(label=_("征求意见事项"), widget=forms.Textarea(attrs={"rows": 3}))
    answer = forms.CharField(label=_("书面回复"), required=False,
                             widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("已收到回复的，可一并登记。"))


class ConsultationAnswerForm(forms.Form):
    answer = forms.CharField(label=_("书面回复"), widget=forms.Textarea(attrs={"rows": 3}))

