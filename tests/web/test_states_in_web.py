"""The web layer spells no state id, state grouping or notice id as a bare string: it
imports them from qaward.core.states (and the workflow and notices modules built on it),
as tests/core/test_states.py requires of the core."""

from __future__ import annotations

import ast
from pathlib import Path

import qaward.web
from qaward.core.states import End, Fixed, NoticeId, Outcome, StageId, notice_state_id

# Stage ids that are also ordinary words of the web layer (an audit entity "application", the
# reverse relation "recommendation", the role "committee", a profile's award "tier"): a bare
# string equal to one of them names something else, so they are left out of the search.
ORDINARY_WORDS = {StageId.CALL, StageId.APPLICATION, StageId.RECOMMENDATION,
                  StageId.COMMITTEE, StageId.AWARD}
STATE_IDS = ({m.value for enum in (Fixed, End, Outcome, StageId) for m in enum}
             - {w.value for w in ORDINARY_WORDS})
NOTICE_STATE_IDS = {notice_state_id(s) for s in StageId}
SEARCHED = STATE_IDS | NOTICE_STATE_IDS | {n.value for n in NoticeId}

# (file, string) pairs that equal a state id but name something else.
NOT_STATE_IDS = {
    # The eligibility decision and the screening verdict: eligible / ineligible.
    ("cycles/models.py", "ineligible"),
    ("cycles/forms.py", "ineligible"),
    ("cycles/services.py", "ineligible"),
    ("api/cycles.py", "ineligible"),
    ("cycles/views/office.py", "ineligible"),
    # The number of conflict suggestions withdrawn by a new detection run (a count's name).
    ("experts/services.py", "withdrawn"),
    ("api/review_experts.py", "withdrawn"),
    # The shortlist's foreign key in the review's constraints, and the shortlist method
    # `ranking` (瀍河 第十八条), not the stage of that name.
    ("review/models.py", "shortlist"),
    ("review/views/ranking.py", "ranking"),
    # A score sheet's own status (submitted or not, 提交后只读): the field named in the
    # service's refusal of a second submission and the team page's context, not the
    # application's state of that name.
    ("review/sheets.py", "submitted"),
    ("review/views/sheets.py", "submitted"),
}


def bare_state_ids(path: Path, root: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_literal: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "Literal":
            in_literal.update(id(n) for n in ast.walk(node.slice))
    rel = path.relative_to(root).as_posix()
    return [f"{rel}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in SEARCHED
            and id(node) not in in_literal and (rel, node.value) not in NOT_STATE_IDS]


def web_modules() -> list[tuple[Path, Path]]:
    root = Path(qaward.web.__file__).parent
    return [(p, root) for p in sorted(root.rglob("*.py")) if "migrations" not in p.parts]


def test_no_module_of_the_web_layer_spells_a_state_id() -> None:
    offenders = [hit for path, root in web_modules() for hit in bare_state_ids(path, root)]
    assert offenders == []


def test_the_checker_would_catch_a_bare_state_id(tmp_path: Path) -> None:
    bad = tmp_path / "views.py"
    bad.write_text('if app.state == "eligibility":\n    pass\n'
                   'X = {"final": "拟奖名单"}\nY = ("draft", "returned")\n'
                   'Z = "site_review_notice"\nentity = "application"\n', encoding="utf-8")
    assert sorted(bare_state_ids(bad, tmp_path)) == [
        "views.py:1: 'eligibility'", "views.py:3: 'final'", "views.py:4: 'draft'",
        "views.py:4: 'returned'", "views.py:5: 'site_review_notice'"]
