"""The cycle page tells the office what its regulation does not settle (silent: the office
must configure it before a step needs it) from what it does not have (none: 本办法无此规定),
in Chinese and English (issue 7)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from qaward.web.common.templatetags.qaward import rule_value
from tests.web.office_world import World, client_for

pytestmark = pytest.mark.django_db


def test_the_cycle_page_lists_silences_and_rules_the_regulation_does_not_have(w: World) -> None:
    c = client_for(w.office)
    body = c.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    gaps = body[body.index('class="policy-gaps"'):]
    gaps = gaps[:gaps.index("</details>")]
    silent, none = gaps.split("本办法无此规定</h3>")
    assert "未定，须由评审办配置" in silent and "<code>appeals.time_limit</code>" in silent
    assert "<code>fast_track</code>" in none
    assert "<code>revocation.incident.lockout_years</code>" in none
    assert "七、（五） revokes the award for an incident but sets no bar" in none
    assert "<code>fast_track</code>" not in silent


def test_in_english_the_page_says_configure_and_no_such_rule(w: World) -> None:
    c = client_for(w.office)
    c.post("/i18n/setlang/", {"language": "en", "next": "/"})
    body = c.get(reverse("awards:cycle_detail", args=[w.cycle.pk])).content.decode()
    assert "Not settled: the office must configure it" in body
    assert "The regulation has no such rule" in body
    c.post("/i18n/setlang/", {"language": "zh-hans", "next": "/"})


@pytest.mark.parametrize(("value", "zh", "en"), [
    ("— (第五条 gives no length)", "未定，须由评审办配置（第五条 gives no length）",
     "not settled: the office must configure it (第五条 gives no length)"),
    ("none (no fast track)", "本办法无此规定（no fast track）",
     "the regulation has no such rule (no fast track)"),
    ("5", "5", "5"),
])
def test_a_rule_value_reads_in_the_readers_words(value: str, zh: str, en: str) -> None:
    with translation.override("zh-hans"):
        assert rule_value(value) == zh
    with translation.override("en"):
        assert rule_value(value) == en
