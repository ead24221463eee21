"""Forms of the office console (cycles, one application) and the applicant portal.
Forms parse and check input; decisions stay in the services."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from qaward.core.eligibility import parse_profile
from qaward.core.errors import ProfileError
from qaward.web.common.forms import DateInput, VersionedForm, confirm_field
from qaward.web.common.uploads import EVIDENCE, INTERNAL_NOTICE, REPORT

from .models import Applicant, Application

# ---------------------------------------------------------------------------------------------
# Office


class CycleOpenForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    title = forms.CharField(label=_("名称"), max_length=200)
    opened_on = forms.DateField(label=_("发布申报通知日期"), widget=DateInput())
    applications_close_on = forms.DateField(label=_("申报截止日期"), widget=DateInput())
    override_reason = forms.CharField(
        label=_("提前开展评选的理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("仅在与上一周期间隔不足管理办法规定的年限时填写，须由评审办负责人提交。"))


class ApplicationFilterForm(forms.Form):
    q = forms.CharField(label=_("名称"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("状态"), required=False)
    track = forms.ChoiceField(label=_("类别"), required=False)
    sector = forms.ChoiceField(label=_("行业领域"), required=False)

    def __init__(self, *args: Any, states: list[tuple[str, str]], tracks: list[tuple[str, str]],
                 sectors: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("全部"))]
        self.fields["state"].choices = everything + states
        self.fields["track"].choices = everything + tracks
        self.fields["sector"].choices = everything + [(s, s) for s in sectors]


class TransitionForm(VersionedForm):
    id_prefix = "transition"
    target = forms.ChoiceField(label=_("转入"))
    reason = forms.CharField(label=_("说明"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, targets: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["target"].choices = targets


class ReturnForm(VersionedForm):
    id_prefix = "return"
    reason = forms.CharField(label=_("需补正的内容"), widget=forms.Textarea(attrs={"rows": 3}))


class EligibilityDecisionForm(VersionedForm):
    id_prefix = "decide"
    decision = forms.ChoiceField(label=_("审查结论"), widget=forms.RadioSelect,
                                 choices=[("eligible", _("符合申报条件")),
                                          ("ineligible", _("不符合申报条件"))])
    reason = forms.CharField(
        label=_("理由"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("与系统审查结论不一致时必填，并须经评审办负责人签批。"))


class ConcludeForm(VersionedForm):
    id_prefix = "conclude"


class BatchForm(forms.Form):
    """Several applications of the cycle's list at once."""

    applications = forms.ModelMultipleChoiceField(
        label=_("选中的申报"), queryset=Application.objects.none(),
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("请先勾选要办理的申报。")})
    action = forms.ChoiceField(label=_("批量操作"), choices=[
        ("next", _("转入下一阶段")), ("return", _("退回补正"))])
    reason = forms.CharField(label=_("说明（退回补正时必填：需补正的内容）"), required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, cycle: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "batch-%s")
        super().__init__(*args, **kwargs)
        field = self.fields["applications"]
        assert isinstance(field, forms.ModelMultipleChoiceField)
        field.queryset = Application.objects.filter(cycle=cycle).select_related(
            "cycle__jurisdiction", "cycle__policy", "applicant")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "return" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("退回补正须写明需补正的内容。"))
        return data


class OfficeContactForm(forms.Form):
    address = forms.CharField(label=_("评审办地址"), max_length=200, required=False)
    telephone = forms.CharField(label=_("联系电话"), max_length=40, required=False)
    objection_email = forms.EmailField(label=_("受理异议的电子邮箱"), required=False)


class SignOffForm(forms.Form):
    """The head's answer to an override of the engine's verdict: an opinion, agree or refuse,
    and the confirmation."""

    answer = forms.ChoiceField(label=_("签批结论"), widget=forms.RadioSelect, choices=[
        ("approve", _("同意评审办的结论")), ("refuse", _("不同意，退回评审办重新审查"))])
    opinion = forms.CharField(label=_("负责人意见"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm = confirm_field(_("我确认以上签批意见；签批后记入审计日志，不能撤回。"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "signoff-%s")
        super().__init__(*args, **kwargs)



# ---------------------------------------------------------------------------------------------
# Applicant portal


class ApplicationCreateForm(forms.Form):
    choice = forms.ChoiceField(label=_("申报"))

    def __init__(self, *args: Any, offers: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["choice"].choices = offers

    def parsed(self) -> tuple[int, int, str]:
        applicant, cycle, track = self.cleaned_data["choice"].split(":")
        return int(applicant), int(cycle), track


_JSON_LISTS = {
    "incidents": ('[{"date": "2024-05-01", "kind": "safety", "major": true}]'),
    "complaints": '[{"date": "2024-05-01", "major": true, "organization_at_fault": true}]',
    "failed_inspections": '["2024-05-01"]',
    "dishonesty": '[{"date": "2024-05-01", "serious": true}]',
    "violations": '[{"date": "2024-05-01", "serious": true}]',
    "awards": '[{"level": "city", "jurisdiction": "上海市", "tier": "award", "year": 2022}]',
    "other_applications": '[{"level": "city", "jurisdiction": "上海市", "year": 2026}]',
}


_PROBLEM_FIELD = re.compile(r"field `([a-z_]+)")


RESULT_YEARS = 5


class ProfileForm(forms.Form):
    """The eligibility profile (申报条件信息) the engine screens, per track."""

    jurisdiction = forms.CharField(label=_("注册地/工作地"), max_length=100)
    established_on = forms.DateField(label=_("成立日期"), widget=DateInput())
    sector = forms.CharField(label=_("行业领域"), max_length=100, required=False)
    legal_person = forms.BooleanField(label=_("具有独立法人资格"), required=False)
    pays_tax_locally = forms.BooleanField(label=_("在本区依法纳税"), required=False)
    licensed = forms.BooleanField(label=_("具备相关生产经营许可"), required=False)
    chief_quality_officer = forms.BooleanField(label=_("已设立首席质量官"), required=False)
    excellence_model_since = forms.DateField(label=_("开始实施卓越绩效管理日期"),
                                             required=False, widget=DateInput())

    def __init__(self, *args: Any, track: str, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.track = track
        self.result_years = [today.year - i for i in range(RESULT_YEARS, 0, -1)]
        for year in self.result_years:
            self.fields[f"profit_{year}"] = forms.DecimalField(
                label=_("%(year)s年利润（万元）") % {"year": year}, required=False,
                max_digits=14, decimal_places=2)
            self.fields[f"policy_loss_{year}"] = forms.BooleanField(
                label=_("政策性亏损"), required=False)
        for name, example in _JSON_LISTS.items():
            self.fields[name] = forms.CharField(
                label=PROFILE_LABELS[name], required=False,
                widget=forms.Textarea(attrs={"rows": 2, "class": "json"}),
                help_text=_("JSON 数组，没有则留空。例如：%(example)s") % {"example": example})
        if track == "individual":
            self.fields["established_on"].label = _("开始在本区从事质量工作日期")
            self.fields["jurisdiction"].label = _("工作所在地")
            self.fields["top_manager"] = forms.BooleanField(label=_("是所在组织的最高管理者"),
                                                            required=False)
            self.fields["employer"] = forms.CharField(
                label=_("所在组织的申报条件信息"), required=False,
                widget=forms.Textarea(attrs={"rows": 4, "class": "json"}),
                help_text=_("JSON 对象，字段与组织相同（须含 id、kind、name、jurisdiction、"
                            "established_on）。"))

    @classmethod
    def initial_from(cls, applicant: Applicant, today: dt.date) -> dict[str, Any]:
        p = dict(applicant.profile or {})
        initial: dict[str, Any] = {
            "jurisdiction": p.get("jurisdiction") or applicant.jurisdiction.name_zh,
            "sector": p.get("sector") or applicant.sector,
            "established_on": p.get("established_on"),
            "excellence_model_since": p.get("excellence_model_since"),
        }
        for flag in ("legal_person", "pays_tax_locally", "licensed", "chief_quality_officer",
                     "top_manager"):
            initial[flag] = bool(p.get(flag, True))
        for r in p.get("annual_results", []):
            if isinstance(r, dict) and "year" in r:
                initial[f"profit_{r['year']}"] = r.get("profit")
                initial[f"policy_loss_{r['year']}"] = bool(r.get("policy_loss", False))
        for name in (*_JSON_LISTS, "employer"):
            if p.get(name):
                initial[name] = json.dumps(p[name], ensure_ascii=False)
        return initial

    def result_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(y, self[f"profit_{y}"], self[f"policy_loss_{y}"]) for y in self.result_years]

    def json_fields(self) -> list[forms.BoundField]:
        return [self[n] for n in (*_JSON_LISTS, "employer") if n in self.fields]

    def _parse_json(self, name: str, kind: type) -> Any:
        text = (self.cleaned_data.get(name) or "").strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("JSON 格式有误：第%(line)s行第%(col)s列，%(msg)s。请检查引号、逗号和括号。")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}) from None
        if not isinstance(value, kind):
            raise forms.ValidationError(_("这里须填写 JSON 数组 [...]") if kind is list
                                        else _("这里须填写 JSON 对象 {...}"))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for name in _JSON_LISTS:
            try:
                data[name] = self._parse_json(name, list)
            except forms.ValidationError as err:
                self.add_error(name, err)
        if "employer" in self.fields:
            try:
                data["employer"] = self._parse_json("employer", dict)
            except forms.ValidationError as err:
                self.add_error("employer", err)
        if not self.errors:
            self._check_with_engine()
        return data

    def _check_with_engine(self) -> None:
        """Parse the profile as the engine will at submission, and put its problems on
        the fields they concern."""
        try:
            parse_profile({"id": "form", "kind": self.track, "name": "form", **self.profile()})
        except ProfileError as err:
            for problem in err.problems:
                m = _PROBLEM_FIELD.match(problem)
                field = m.group(1) if m else None
                if field == "annual_results":
                    field = None
                self.add_error(field if field in self.fields else None, problem)

    def profile(self, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        """The profile to store; annual results of years not on the form are kept."""
        d = self.cleaned_data
        out: dict[str, Any] = {"jurisdiction": d["jurisdiction"].strip(),
                               "established_on": d["established_on"].isoformat()}
        if d.get("excellence_model_since"):
            out["excellence_model_since"] = d["excellence_model_since"].isoformat()
        if (d.get("sector") or "").strip():
            out["sector"] = d["sector"].strip()
        for flag in ("legal_person", "pays_tax_locally", "licensed", "chief_quality_officer",
                     "top_manager"):
            if flag in self.fields:
                out[flag] = bool(d.get(flag))
        kept = [r for r in (previous or {}).get("annual_results", [])
                if isinstance(r, dict) and r.get("year") not in self.result_years]
        entered = []
        for year in self.result_years:
            profit = d.get(f"profit_{year}")
            if isinstance(profit, Decimal):
                entered.append({"year": year, "profit": float(profit),
                                "policy_loss": bool(d.get(f"policy_loss_{year}"))})
        if kept or entered:
            out["annual_results"] = sorted(kept + entered, key=lambda r: r["year"])
        for name in (*_JSON_LISTS, "employer"):
            if d.get(name):
                out[name] = d[name]
        return out


PROFILE_LABELS = {
    "incidents": _("近年发生的事故（质量、安全、环境、公共卫生等）"),
    "complaints": _("重大投诉"),
    "failed_inspections": _("产品质量抽检不合格日期"),
    "dishonesty": _("失信记录"),
    "violations": _("违法记录"),
    "awards": _("已获质量奖"),
    "other_applications": _("本年度申报的其他质量奖"),
}


class DocumentUploadForm(forms.Form):
    kind = forms.ChoiceField(label=_("材料类别"))
    file = forms.FileField(label=_("文件"))

    def __init__(self, *args: Any, internal_notice: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kinds = [(REPORT, _("自我评价报告（.docx 或 .pdf）")), (EVIDENCE, _("证实性材料"))]
        if internal_notice:
            kinds.append((INTERNAL_NOTICE, _("内部公示证明")))
        self.fields["kind"].choices = kinds


class SubmitForm(VersionedForm):
    pass

