"""Form pieces every app uses. A ``ServiceError`` is put on the field it names
(``show_service_error``) so the user sees it where they typed, with the article, and nothing
they typed is lost."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import ServiceError


def show_service_error(form: forms.Form, err: ServiceError) -> None:
    """Attach a service refusal to its field (or to the form when it names none here)."""
    field = err.field if err.field in form.fields else None
    form.add_error(field, str(err))


class VersionedForm(forms.Form):
    """Every action on an application carries the version the user saw: a stale form is
    refused by the service with "changed by someone else"."""

    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    # Several of these forms share a page: each gets its own element ids.
    id_prefix = "action"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}-%s")
        super().__init__(*args, **kwargs)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)



def confirm_field(label: Any) -> forms.BooleanField:
    """A required "我确认…" checkbox: an irreversible action asks for confirmation in the
    form itself, so it works without JavaScript."""
    return forms.BooleanField(label=label, required=True, error_messages={
        "required": _("请勾选确认后再提交。")})
