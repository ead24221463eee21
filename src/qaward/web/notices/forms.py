"""Forms of notices: publishing (office), handling an objection (office), and the public
objection form of the notice board."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from qaward.web.common.forms import DateInput, confirm_field
from qaward.web.common.uploads import OBJECTION_EVIDENCE_TYPES, evidence_problems
from qaward.web.cycles.models import Application

# ---------------------------------------------------------------------------------------------
# Office


class NoticePublishForm(forms.Form):
    stage = forms.ChoiceField(label=_("公示阶段"))
    starts_on = forms.DateField(label=_("公示开始日期"), widget=DateInput())
    applications = forms.ModelMultipleChoiceField(
        label=_("公示名单"), queryset=Application.objects.none(),
        widget=forms.CheckboxSelectMultiple)
    sign_off_reason = forms.CharField(
        label=_("负责人确认理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("公示开始日期在30天以后或不在评选年度内时，须由评审办负责人发布并填写理由。"))
    confirm = confirm_field(_("我确认公示名单和日期无误；公示一经发布即对社会公开。"))

    def __init__(self, *args: Any, stages: list[tuple[str, str]], candidates: Any,
                 state_label: Callable[[str], str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["stage"].choices = stages
        field = self.fields["applications"]
        field.queryset = candidates
        field.label_from_instance = lambda app: f"{app.applicant.name}（{state_label(app.state)}）"


class ObjectionAssignForm(forms.Form):
    investigator = forms.ModelChoiceField(label=_("调查核实人"), queryset=None)

    def __init__(self, *args: Any, investigators: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["investigator"].queryset = investigators


class ObjectionDecideForm(forms.Form):
    outcome = forms.ChoiceField(label=_("处理结论"), widget=forms.RadioSelect,
                                choices=[("upheld", _("异议成立")),
                                         ("dismissed", _("异议不成立")),
                                         ("not_accepted", _("不予受理")),
                                         ("duplicate", _("重复异议"))])
    not_accepted_reason = forms.ChoiceField(
        label=_("不予受理的原因"), required=False,
        choices=[("", "—"), ("out_of_time", _("超出公示期")),
                 ("not_about_notice", _("与本次公示无关")),
                 ("no_evidence", _("未提供必要的证明材料"))])
    duplicate_of = forms.ModelChoiceField(label=_("重复的在先异议"), queryset=None,
                                          required=False)
    findings = forms.CharField(label=_("调查核实情况"),
                               widget=forms.Textarea(attrs={"rows": 4}))
    reason = forms.CharField(label=_("处理理由"), widget=forms.Textarea(attrs={"rows": 3}))
    confirm = confirm_field(_("我确认以上处理结论；结论作出后不能更改。"))

    def __init__(self, *args: Any, earlier: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["duplicate_of"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = earlier
        field.label_from_instance = lambda o: f"#{o.pk} {o.receipt_no}"


class RemovalDecideForm(forms.Form):
    """The removal decision of an upheld objection, by whom the policy names."""

    decision = forms.ChoiceField(label=_("是否退出评审"), widget=forms.RadioSelect,
                                 choices=[("approve", _("同意退出评审")),
                                          ("refuse", _("不同意退出评审"))])
    opinion = forms.CharField(label=_("意见"), widget=forms.Textarea(attrs={"rows": 3}))
    resolution_on = forms.DateField(label=_("决定日期"), required=False, widget=DateInput())
    reference = forms.CharField(label=_("会议纪要或文件编号"), max_length=200, required=False)

    def __init__(self, *args: Any, needs_resolution: bool, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "removal-%s")
        super().__init__(*args, **kwargs)
        if not needs_resolution:
            del self.fields["resolution_on"]
            del self.fields["reference"]


class ObjectionLookupForm(forms.Form):
    receipt_no = forms.CharField(label=_("受理编号"), max_length=32)
    id_number = forms.CharField(label=_("身份证号或统一社会信用代码"), max_length=32)



# ---------------------------------------------------------------------------------------------
# The public objection form


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(
            attrs={"accept": ",".join(OBJECTION_EVIDENCE_TYPES)}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(d, initial) for d in items]


class ObjectionForm(forms.Form):
    """The real-name fields are not required here on purpose: the service refuses an
    anonymous objection with its own message citing the article, and that message is what
    the objector must see."""

    name = forms.CharField(label=_("姓名或单位名称"), max_length=200, required=False)
    id_number = forms.CharField(label=_("身份证号或统一社会信用代码"), max_length=32,
                                required=False)
    phone = forms.CharField(label=_("联系电话"), max_length=32, required=False)
    email = forms.EmailField(label=_("电子邮箱（选填）"), required=False)
    application = forms.TypedChoiceField(label=_("异议针对的申报对象"), coerce=int,
                                         empty_value=None)
    statement = forms.CharField(label=_("异议内容"), required=False,
                                widget=forms.Textarea(attrs={"rows": 6}))
    evidence = MultipleFileField(label=_("证明材料"), required=False,
                                 help_text=_("PDF、JPG、PNG 或 DOCX，可多选"))
    # A token made when the form is rendered: a resubmitted form (back button, double click)
    # carries it again and finds the objection already received.
    token = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)

    def __init__(self, *args: Any, listed: Iterable[tuple[int, str]] = (), **kwargs: Any):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        field = self.fields["application"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", gettext("请选择")), *listed]

    def clean_evidence(self) -> list[UploadedFile]:
        files: list[UploadedFile] = self.cleaned_data.get("evidence") or []
        problems = evidence_problems(files)
        if problems:
            raise forms.ValidationError(problems)
        return files

