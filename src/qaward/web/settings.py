"""Django settings. SQLite by default; PostgreSQL when QAWARD_DATABASE_URL says so.

    QAWARD_DATABASE_URL=postgresql://user@127.0.0.1:5432/qaward   (production)
    QAWARD_DATABASE_URL=sqlite:///path/to/qaward.sqlite3             (default: var/qaward.sqlite3)
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlparse

from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
VAR_DIR = Path(os.environ.get("QAWARD_VAR_DIR", Path.cwd() / "var"))

SECRET_KEY = os.environ.get("QAWARD_SECRET_KEY", "dev-only-not-secret-change-me")
DEBUG = os.environ.get("QAWARD_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("QAWARD_ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")


def database_from_url(url: str) -> dict[str, object]:
    parsed = urlparse(url)
    if parsed.scheme == "sqlite":
        path = unquote(parsed.path) or str(VAR_DIR / "qaward.sqlite3")
        if path.startswith("//"):
            path = path[1:]
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        return {"ENGINE": "django.db.backends.sqlite3", "NAME": path,
                "OPTIONS": {"transaction_mode": "IMMEDIATE", "timeout": 20}}
    if parsed.scheme in ("postgres", "postgresql"):
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": parsed.path.lstrip("/") or "qaward",
            "USER": unquote(parsed.username or "postgres"),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "127.0.0.1",
            "PORT": str(parsed.port or 5432),
            "CONN_MAX_AGE": 60,
        }
    raise ValueError(f"QAWARD_DATABASE_URL: unsupported scheme `{parsed.scheme}`")


DATABASES = {
    "default": database_from_url(
        os.environ.get("QAWARD_DATABASE_URL", f"sqlite:///{VAR_DIR / 'qaward.sqlite3'}")
    )
}

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",
    # The web apps, each on top of the ones before it (docs/architecture.md). The API
    # (qaward.web.api) is no Django app: it has no models, only routers mounted in urls.py.
    "qaward.web.common",
    "qaward.web.audit",
    "qaward.web.accounts",
    "qaward.web.policies",
    "qaward.web.cycles",
    "qaward.web.recommendations",
    "qaward.web.notices",
    "qaward.web.tokens",
    "qaward.web.appeals",
    "qaward.web.duties",
    "qaward.web.experts",
    "qaward.web.review",
    "qaward.web.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # vendored static files, no CDN
    "django.contrib.sessions.middleware.SessionMiddleware",
    "qaward.web.middleware.ChineseFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "qaward.web.urls"
WSGI_APPLICATION = "qaward.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Django's defaults: they apply where a person chooses a password (reset, set by invitation).
AUTH_PASSWORD_VALIDATORS: list[dict[str, str]] = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("简体中文")), ("en", _("English"))]
# One catalogue for every app: locale/en/LC_MESSAGES/django.po (and its compiled .mo).
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "/media/"

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
LOGIN_URL = "/accounts/login/"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

EMAIL_BACKEND = os.environ.get(
    "QAWARD_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_FILE_PATH = VAR_DIR / "mail"
DEFAULT_FROM_EMAIL = os.environ.get("QAWARD_FROM_EMAIL", "评审办 <award-office@example.gov.cn>")

# Uploads: limits the forms enforce with a clear message (bytes).
QAWARD_MAX_UPLOAD_BYTES = int(os.environ.get("QAWARD_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# A fixed "today" (YYYY-MM-DD) for demos and browser tests; unset in production.
QAWARD_TODAY = os.environ.get("QAWARD_TODAY") or None
