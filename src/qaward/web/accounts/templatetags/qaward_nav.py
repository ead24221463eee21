"""The role-aware navigation of every page (``{% load qaward_nav %}``)."""

from __future__ import annotations

from django import template
from django.urls import NoReverseMatch, reverse

from qaward.web.accounts.views import consoles

register = template.Library()


def nav_links(context: template.Context) -> list[tuple[str, str]]:
    """The navigation of the current user: their consoles, then the public notice board."""
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


register.simple_tag(nav_links, takes_context=True, name="nav_links")
