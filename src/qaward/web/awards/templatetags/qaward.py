"""Template helpers: bilingual data fields, the role-aware navigation."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

register = template.Library()


def _english() -> bool:
    return (get_language() or "zh-hans").startswith("en")


def bi(obj: Any, name: str) -> Any:
    """``obj.name_en`` in English, else ``obj.name_zh`` (dicts too): policy data and engine
    reasons carry both languages."""
    key = f"{name}_{'en' if _english() else 'zh'}"
    fallback = f"{name}_zh"
    if isinstance(obj, dict):
        return obj.get(key) or obj.get(fallback, "")
    return getattr(obj, key, None) or getattr(obj, fallback, "")


def get_item(mapping: Any, key: Any) -> Any:
    try:
        return mapping[key]
    except (KeyError, IndexError, TypeError):
        return None


def nav_links(context: template.Context) -> list[tuple[str, str]]:
    """The navigation of the current user: their consoles, then the public notice board."""
    from qaward.web.awards.views import consoles

    request = context.get("request")
    user = getattr(request, "user", None)
    links: list[tuple[str, str]] = []
    if user is not None and user.is_authenticated:
        links = [(c.label, c.url) for c in consoles(user)]
    try:
        from django.utils.translation import gettext

        links.append((gettext("公示栏"), reverse("public:notice_list")))
    except NoReverseMatch:
        pass
    return links


# Registered by call rather than by decorator: Django is untyped here, and a decorator would
# make the functions untyped for mypy.
register.filter("bi", bi)
register.filter("get_item", get_item)
register.simple_tag(nav_links, takes_context=True, name="nav_links")
