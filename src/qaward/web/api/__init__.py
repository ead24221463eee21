"""The REST API (django-ninja), mounted at /api/: OpenAPI schema at /api/openapi.json, docs
at /api/docs.

Authentication
    Integrations send ``Authorization: Bearer <token>``. A token is a signed value
    (``django.core.signing``, salted, timestamped) naming a user; issue one with
    :func:`issue_token`::

        from django.contrib.auth.models import User
        from qaward.web.api import issue_token
        print(issue_token(User.objects.get(username="office")))

    No table is needed. A token stops working when it is older than
    ``settings.QAWARD_API_TOKEN_MAX_AGE`` seconds (default one year), when the user is
    deactivated, when the user's password changes, or when ``SECRET_KEY`` changes.
    Browsers may use their session instead (CSRF token required for writes).

Permissions are those of the UI: office staff, auditors and committee members see the
applications of their own jurisdiction; reviewers only those assigned to them (their tasks,
``/api/review/tasks``); applicants only their own; only the office moves
an application. Objects of another jurisdiction are reported as not found (404), never as
forbidden, so their existence does not leak. Notices and objections are public.

Every error is JSON ``{"detail": ..., "field": ..., "article": ...}``: 400 for a refusal of
the rules (with the article), 401/403/404, 409 for a stale ``expected_version``, 422 for a
malformed request; never a stack trace.
"""

from __future__ import annotations

import logging
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from qaward.core.errors import QawardError, UnknownPolicy
from qaward.web.common.errors import ServiceError, StaleVersion

from . import (
    appeals,
    cycles,
    notices,
    policies,
    portal,
    review_experts,
    review_ranking,
    review_sheets,
    review_teams,
)
from .auth import AUTH, issue_token, user_for_token

__all__ = ["api", "issue_token", "user_for_token"]

log = logging.getLogger(__name__)


class QawardAPI(NinjaAPI):
    def get_openapi_operation_id(self, operation: Any) -> str:
        """The operation ids of the first release, when the API was one module, kept so
        that clients generated from the schema do not change."""
        return f"qaward_web_awards_api_{operation.view_func.__name__}"


api = QawardAPI(
    title="qaward API",
    version="1",
    description="质量奖评审管理接口 / Quality award management. Errors are "
                '`{"detail", "field", "article"}`; see the module documentation of '
                "`qaward.web.api` for tokens.",
    auth=AUTH,
    urls_namespace="api",
)


# ---------------------------------------------------------------------------------------------
# Errors: always {"detail", "field", "article"}


def error_body(detail: str, *, field: str | None = None,
               article: str | None = None) -> dict[str, Any]:
    return {"detail": detail, "field": field, "article": article}


@api.exception_handler(ServiceError)
def _on_service_error(request: HttpRequest, exc: ServiceError) -> HttpResponse:
    status = 409 if isinstance(exc, StaleVersion) else 400
    return api.create_response(request, error_body(str(exc), field=exc.field,
                                                   article=exc.article), status=status)


@api.exception_handler(QawardError)
def _on_qaward_error(request: HttpRequest, exc: QawardError) -> HttpResponse:
    status = 404 if isinstance(exc, UnknownPolicy) else 400
    return api.create_response(request, error_body(
        str(exc), field=getattr(exc, "field", None), article=getattr(exc, "article", None)),
        status=status)


@api.exception_handler(Http404)
def _on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body(_("未找到，或您无权查看")),
                               status=404)


@api.exception_handler(HttpError)
def _on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    detail = str(exc)
    if isinstance(exc, AuthenticationError) and detail == "Unauthorized":
        detail = _("请登录，或提供有效的访问令牌（Authorization: Bearer …）")
    return api.create_response(request, error_body(detail), status=exc.status_code)


@api.exception_handler(ValidationError)
def _on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems, field = [], None
    for err in exc.errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path", "form",
                                                                 "file", "payload", "data")]
        where = ".".join(loc) or "request"
        field = field or (loc[-1] if loc else None)
        problems.append(f"{where}: {err.get('msg', 'invalid')}")
    return api.create_response(request, error_body(
        _("请求数据有误：%(problems)s") % {"problems": "; ".join(problems)}, field=field),
        status=422)


@api.exception_handler(Exception)
def _on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    log.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    return api.create_response(request, error_body(
        _("服务器内部错误，请稍后重试或联系管理员")), status=500)



api.add_router("/policies", policies.router)
api.add_router("/notices", notices.router)
api.add_router("/cycles", cycles.cycles)
api.add_router("/applications", cycles.applications)
api.add_router("/screen", cycles.screening)
api.add_router("/appeals", appeals.appeals)
api.add_router("/portal", portal.portal)
api.add_router("/experts", review_experts.router)
api.add_router("/review", review_ranking.review_ranking)
api.add_router("/review", review_sheets.router)
api.add_router("/review", review_teams.review_teams)
