"""Forms of the office console (cycles, one application) and the applicant portal.
Forms parse and check input; decisions stay in the services."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from typing import Any, get_args

from django import forms
from django.forms.utils import ErrorDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from qaward.core.eligibility import parse_profile
from qaward.core.errors import ProfileError
from qaward.core.policy.model import AwardLevel, IncidentKind, RevocationCause
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


class CycleRepinForm(forms.Form):
    """The office head moves a cycle to the policy file's newest content: the versions
    compared on the confirmation page travel with the form, the reason is recorded."""

    from_version = forms.IntegerField(widget=forms.HiddenInput)
    to_version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label=_("变更理由"), widget=forms.Textarea(attrs={"rows": 3}),
                             help_text=_("将记入审计日志。"))
    confirm = forms.BooleanField(
        label=_("我已核对上列变化的值，确认本周期改按新版本执行"))


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


class ManualFindingForm(forms.Form):
    """The office's finding on one manual check (需人工核实的事项): one form per check on the
    application page, each with its own element ids (``index``)."""

    key = forms.CharField(widget=forms.HiddenInput, max_length=200)
    met = forms.ChoiceField(label=_("核实结果"), widget=forms.RadioSelect,
                            choices=[("met", pgettext_lazy("finding", "符合")),
                                     ("not_met", pgettext_lazy("finding", "不符合"))])
    note = forms.CharField(label=_("核实说明"), required=False,
                           widget=forms.Textarea(attrs={"rows": 2}),
                           help_text=_("“不符合”时必填：写明不符合的事实。"))

    def __init__(self, *args: Any, index: int = 0, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"check{index}-%s")
        super().__init__(*args, **kwargs)


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


_PROBLEM = re.compile(r"field `([a-z_]+)(?:\.(\d+))?(?:\.([a-z_]+))?`")


RESULT_YEARS = 5


# The words of the core's vocabularies (qaward.core.policy.model); a test checks that every
# value of the core has its words here.
INCIDENT_KINDS: dict[str, Any] = {
    "quality": _("质量事故"),
    "safety": _("安全事故"),
    "environment": _("环境事故"),
    "public_health": _("公共卫生事件"),
    "food_safety": _("食品安全事故"),
    "drug_safety": _("药品安全事故"),
}
AWARD_LEVELS: dict[str, Any] = {
    "national": _("国家级"), "provincial": _("省级"), "city": _("市级"), "district": _("区级"),
}
REVOCATION_CAUSES: dict[str, Any] = {"fraud": _("弄虚作假"), "incident": _("发生事故")}


def _choices(values: Any, words: dict[str, Any], blank: Any) -> list[tuple[str, Any]]:
    return [("", blank), *((v, words.get(v, v)) for v in get_args(values))]


def _date_field(label: Any, required: bool = True) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput())


def _flag(label: Any, default: bool = True) -> forms.BooleanField:
    """A row's yes/no fact; ``initial`` is the core's default, so a blank new row whose box
    was left as shown counts as unchanged (and is ignored)."""
    return forms.BooleanField(label=label, required=False, initial=default)


class ProfileRow(forms.Form):
    """One row of a list field of the profile (docs/conventions.md "applicant profile
    fields"); a row left as shown is ignored."""

    def record(self) -> Any:
        out: dict[str, Any] = {}
        for name, value in self.cleaned_data.items():
            if name == "DELETE" or value is None or value == "":
                continue
            out[name] = value.isoformat() if isinstance(value, dt.date) else value
        return out


class IncidentRow(ProfileRow):
    date = _date_field(_("发生日期"))
    kind = forms.ChoiceField(label=_("事故类别"),
                             choices=_choices(IncidentKind, INCIDENT_KINDS, _("请选择")))
    major = _flag(_("重大（较大及以上）事故"))


class ComplaintRow(ProfileRow):
    date = _date_field(_("投诉日期"))
    major = _flag(_("重大投诉"))
    organization_at_fault = _flag(_("经查属实且责任在本单位"))


class InspectionRow(ProfileRow):
    date = _date_field(_("抽检不合格日期"))

    def record(self) -> Any:
        return self.cleaned_data["date"].isoformat()


class DishonestyRow(ProfileRow):
    date = _date_field(_("列入失信名单日期"))
    serious = _flag(_("严重失信"))


class ViolationRow(ProfileRow):
    date = _date_field(_("处罚日期"))
    serious = _flag(_("重大违法行为"))


class AwardRow(ProfileRow):
    level = forms.ChoiceField(label=_("级别"),
                              choices=_choices(AwardLevel, AWARD_LEVELS, _("请选择")))
    jurisdiction = forms.CharField(label=_("授奖地区"), required=False, max_length=100)
    tier = forms.CharField(label=_("奖项等级"), required=False, max_length=50,
                           help_text=_("例如 award（质量奖）或 nomination（提名奖）"))
    year = forms.IntegerField(label=_("获奖年度"), min_value=1900, max_value=2200)
    revoked_on = _date_field(_("被撤销日期"), required=False)
    revocation_cause = forms.ChoiceField(
        label=_("撤销原因"), required=False,
        choices=_choices(RevocationCause, REVOCATION_CAUSES, _("未被撤销")))


class OtherApplicationRow(ProfileRow):
    level = forms.ChoiceField(label=_("级别"),
                              choices=_choices(AwardLevel, AWARD_LEVELS, _("请选择")))
    jurisdiction = forms.CharField(label=_("评选地区"), required=False, max_length=100)
    year = forms.IntegerField(label=_("申报年度"), min_value=1900, max_value=2200)


class ProfileRowFormSet(forms.BaseFormSet):
    """Rows to add and remove. Every row may be left blank (it is then ignored); a row whose
    "delete" box is ticked is dropped on saving."""

    def _construct_form(self, i: int, **kwargs: Any) -> forms.Form:
        return super()._construct_form(
            i, empty_permitted=True, use_required_attribute=False, **kwargs)

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("删除此行")

    def kept(self) -> list[tuple[int, Any]]:
        """(index on the form, record) of the rows to store, in form order."""
        return [(i, f.record()) for i, f in enumerate(self.forms)
                if f.has_changed() and not self._should_delete_form(f)]


class ListField:
    """A list field of the profile as a formset."""

    def __init__(self, name: str, row: type[ProfileRow], legend: Any, row_label: Any) -> None:
        self.name = name
        self.row = row
        self.legend = legend
        self.row_label = row_label
        self.formset_class = forms.formset_factory(row, formset=ProfileRowFormSet, extra=0,
                                                   can_delete=True)


LIST_FIELDS: tuple[ListField, ...] = (
    ListField("incidents", IncidentRow, _("近年发生的事故（质量、安全、环境、公共卫生等）"),
              _("事故")),
    ListField("complaints", ComplaintRow, _("重大投诉"), _("投诉")),
    ListField("failed_inspections", InspectionRow, _("产品质量抽检不合格"), _("抽检不合格")),
    ListField("dishonesty", DishonestyRow, _("失信记录"), _("失信记录")),
    ListField("violations", ViolationRow, _("违法记录"), _("违法记录")),
    ListField("awards", AwardRow, _("已获质量奖"), _("获奖")),
    ListField("other_applications", OtherApplicationRow, _("本年度申报的其他质量奖"),
              _("其他申报")),
)
PROFILE_LABELS = {lf.name: lf.legend for lf in LIST_FIELDS}


# The profile's facts that are unknown unless stated (docs/conventions.md): yes, no or not
# stated, which the engine turns into a manual check where a rule needs the fact.
FACTS = ("legal_person", "pays_tax_locally", "licensed", "chief_quality_officer", "for_profit")


def _fact(label: Any) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label, required=False, empty_value=None, coerce=lambda v: v == "yes",
        choices=[("", _("未说明")), ("yes", _("是")), ("no", _("否"))])


class ProfileForm(forms.Form):
    """The scalar fields of the eligibility profile (申报条件信息); the list fields are
    the formsets of ``ProfileForms``."""

    jurisdiction = forms.CharField(label=_("注册地/工作地"), max_length=100)
    established_on = forms.DateField(label=_("成立日期"), widget=DateInput())
    sector = forms.CharField(label=_("行业领域"), max_length=100, required=False)
    legal_person = _fact(_("具有独立法人资格"))
    pays_tax_locally = _fact(_("在本区依法纳税"))
    licensed = _fact(_("具备相关生产经营许可"))
    chief_quality_officer = _fact(_("已设立首席质量官"))
    for_profit = _fact(_("从事生产、经营活动（非盈利性业务选“否”）"))
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
                label=_("%(year)s年属政策性亏损") % {"year": year}, required=False)
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
        for flag in FACTS:
            value = p.get(flag)
            initial[flag] = "yes" if value is True else "no" if value is False else ""
        initial["top_manager"] = bool(p.get("top_manager", True))
        for r in p.get("annual_results", []):
            if isinstance(r, dict) and "year" in r:
                initial[f"profit_{r['year']}"] = r.get("profit")
                initial[f"policy_loss_{r['year']}"] = bool(r.get("policy_loss", False))
        if p.get("employer"):
            initial["employer"] = json.dumps(p["employer"], ensure_ascii=False)
        return initial

    def result_rows(self) -> list[tuple[int, forms.BoundField, forms.BoundField]]:
        return [(y, self[f"profit_{y}"], self[f"policy_loss_{y}"]) for y in self.result_years]

    def json_fields(self) -> list[forms.BoundField]:
        return [self["employer"]] if "employer" in self.fields else []

    def clean_employer(self) -> Any:
        text = (self.cleaned_data.get("employer") or "").strip()
        if not text:
            return None
        try:
            value = json.loads(text)
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(
                _("JSON 格式有误：第%(line)s行第%(col)s列，%(msg)s。请检查引号、逗号和括号。")
                % {"line": exc.lineno, "col": exc.colno, "msg": exc.msg}) from None
        if not isinstance(value, dict):
            raise forms.ValidationError(_("这里须填写 JSON 对象 {...}"))
        return value

    def profile(self, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        """The scalar part of the profile to store; annual results of years not on the form
        are kept."""
        d = self.cleaned_data
        out: dict[str, Any] = {"jurisdiction": d["jurisdiction"].strip(),
                               "established_on": d["established_on"].isoformat()}
        if d.get("excellence_model_since"):
            out["excellence_model_since"] = d["excellence_model_since"].isoformat()
        if (d.get("sector") or "").strip():
            out["sector"] = d["sector"].strip()
        for flag in FACTS:
            if d.get(flag) is not None:  # not stated: left out, unknown to the engine
                out[flag] = d[flag]
        if "top_manager" in self.fields:
            out["top_manager"] = bool(d.get("top_manager"))
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
        if d.get("employer"):
            out["employer"] = d["employer"]
        return out


ADD_ROW = "add_row"


class ProfileForms:
    """The whole profile form: the scalar fields and a formset per list field, checked
    together by the core's ``parse_profile`` with each problem put on its row and field.

    A POST carrying ``add_row=<list field>`` (the "add a row" button without JavaScript)
    re-renders everything entered with one more blank row of that list, without judging it."""

    def __init__(self, data: Any = None, *, track: str, today: dt.date,
                 applicant: Applicant | None = None) -> None:
        self.adding = data.get(ADD_ROW) if data is not None else None
        if self.adding not in {lf.name for lf in LIST_FIELDS}:
            self.adding = None
        if self.adding:
            data = data.copy()
            key = f"{self.adding}-TOTAL_FORMS"
            try:
                data[key] = str(int(data.get(key, 0)) + 1)
            except ValueError:
                data[key] = "1"
        stored = dict(applicant.profile or {}) if applicant is not None else {}
        initial = (ProfileForm.initial_from(applicant, today)
                   if applicant is not None and data is None else None)
        self.form = ProfileForm(data, initial=initial, track=track, today=today)
        self.lists: list[tuple[ListField, ProfileRowFormSet]] = []
        for lf in LIST_FIELDS:
            rows = None
            if data is None:
                rows = [r if isinstance(r, dict) else {"date": r}
                        for r in stored.get(lf.name, [])]
            self.lists.append((lf, lf.formset_class(data, prefix=lf.name, initial=rows)))
        if self.adding:
            self._judge_nothing()

    def _judge_nothing(self) -> None:
        self.form._errors = ErrorDict()
        for _lf, fs in self.lists:
            fs._errors = []
            fs._non_form_errors = fs.error_class()
            for f in fs.forms:
                f._errors = ErrorDict()

    def formset(self, name: str) -> ProfileRowFormSet:
        return next(fs for lf, fs in self.lists if lf.name == name)

    def is_valid(self) -> bool:
        if self.adding:
            return False
        valid = self.form.is_valid()
        valid = all([fs.is_valid() for _lf, fs in self.lists]) and valid
        if not valid:
            return False
        self._check_with_engine()
        return not self.has_errors()

    def has_errors(self) -> bool:
        return bool(self.form.errors) or any(fs.total_error_count() for _lf, fs in self.lists)

    def _check_with_engine(self) -> None:
        """Parse the profile as the engine will at submission, and put its problems on the
        fields (and rows) they concern."""
        try:
            parse_profile({"id": "form", "kind": self.form.track, "name": "form",
                           **self.profile()})
        except ProfileError as err:
            for problem in err.problems:
                self._place(problem)

    def _place(self, problem: str) -> None:
        m = _PROBLEM.match(problem)
        field, index, sub = (m.group(1), m.group(2), m.group(3)) if m else (None, None, None)
        if field in {lf.name for lf in LIST_FIELDS} and index is not None:
            fs = self.formset(field)
            kept = fs.kept()
            if int(index) < len(kept):
                row = fs.forms[kept[int(index)][0]]
                row.add_error(sub if sub in row.fields else None, problem)
                return
        self.form.add_error(field if field in self.form.fields else None, problem)

    def profile(self, previous: dict[str, Any] | None = None) -> dict[str, Any]:
        """The profile to store, as the core reads it (docs/conventions.md)."""
        out = self.form.profile(previous)
        for lf, fs in self.lists:
            records = [r for _i, r in fs.kept()]
            if records:
                out[lf.name] = records
        return out


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

