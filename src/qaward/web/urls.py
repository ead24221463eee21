from django.conf import settings
from django.conf.urls.static import static
from django.contrib.auth import views as auth_views
from django.http import HttpRequest, HttpResponse
from django.urls import include, path

from qaward.web.accounts import urls as accounts_urls
from qaward.web.api import api
from qaward.web.appeals import urls as appeals_urls
from qaward.web.audit import urls as audit_urls
from qaward.web.cycles import urls as cycles_urls
from qaward.web.duties import urls as duties_urls
from qaward.web.experts import urls as experts_urls
from qaward.web.notices import urls as notices_urls
from qaward.web.recommendations import urls as recommendations_urls
from qaward.web.review import urls as review_urls


def healthz(request: HttpRequest) -> HttpResponse:
    """A bare view: the baseline the load benchmarks compare the real pages against."""
    return HttpResponse("ok", content_type="text/plain")


# The pages of the office console, the applicant portal and the department share one URL
# namespace, ``awards``; each app owns its part.
console = [
    *accounts_urls.urlpatterns,
    *cycles_urls.urlpatterns,
    *audit_urls.urlpatterns,
    *notices_urls.urlpatterns,
    *recommendations_urls.urlpatterns,
    *appeals_urls.urlpatterns,
    *duties_urls.urlpatterns,
    *experts_urls.urlpatterns,
    *review_urls.urlpatterns,
]

urlpatterns = [
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Password reset with Django's own views (templates in common/templates/registration/).
    path("accounts/password-reset/", auth_views.PasswordResetView.as_view(),
         name="password_reset"),
    path("accounts/password-reset/sent/", auth_views.PasswordResetDoneView.as_view(),
         name="password_reset_done"),
    path("accounts/reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(),
         name="password_reset_confirm"),
    path("accounts/reset/done/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("notices/", include("qaward.web.notices.public_urls")),
    path("api/", api.urls),
    path("", include((console, "awards"))),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
