"""Small helpers every app's views use: typed decorators, the reader's language, 403, the
success message after an action on an application. No model is imported here."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, cast

from django.contrib import messages
from django.contrib.auth.decorators import login_required as _login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import get_language
from django.views.decorators.http import require_POST as _require_POST

PAGE_SIZE = 50

View = TypeVar("View", bound=Callable[..., HttpResponse])


def login_required(view: View) -> View:
    """Anonymous visitors go to the login page (typed wrapper of Django's decorator)."""
    return cast(View, _login_required(view))


def require_POST(view: View) -> View:
    """Only POST is allowed (typed wrapper of Django's decorator)."""
    return cast(View, _require_POST(view))


def english() -> bool:
    """The reader chose English (Chinese is the default)."""
    return (get_language() or "zh-hans").startswith("en")


def require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def done(request: HttpRequest, app: Any, message: str) -> HttpResponse:
    """After an office action on an application: say what happened, back to its page."""
    messages.success(request, message)
    return redirect("awards:application_detail", pk=app.pk)


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def wants_xlsx(request: HttpRequest) -> bool:
    """The list's "export" link: the same page, the same filters, ``export=xlsx``."""
    return request.GET.get("export") == "xlsx"


def xlsx_response(filename: str, title: str, header: list[str],
                  rows: list[list[Any]], widths: list[int] | None = None) -> HttpResponse:
    """A list as an xlsx download (``qaward.exports``), headers in the reader's language."""
    from qaward.exports import table_xlsx

    response = HttpResponse(table_xlsx(title, header, rows, widths or ()), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
