"""The one table of states: every id a policy or the engine uses is named in
qaward.core.states, and the rest of the core spells no state id as a bare string."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import qaward.core
from qaward.core.policy import load_all
from qaward.core.states import (
    AWAITING_RECOMMENDATION,
    CYCLE_LEVEL,
    EDITABLE_BY_APPLICANT,
    ENDS,
    FINISHED,
    LABELS,
    SUCCESSFUL,
    UNSUCCESSFUL,
    End,
    ExitTarget,
    Fixed,
    Kind,
    NoticeId,
    Outcome,
    StageId,
    is_editable_by_applicant,
    is_finished,
    is_in_progress,
    kind_of,
    label,
    notice_state_id,
    stage_of_notice_state,
)
from qaward.core.workflow import states

ALL_STATE_IDS = {m.value for enum in (Fixed, End, Outcome, StageId) for m in enum}


def test_values_are_the_stored_strings() -> None:
    assert Fixed.DRAFT == "draft" and End.NOT_SHORTLISTED == "not_shortlisted"
    assert f"{StageId.MATERIAL_REVIEW}" == "material_review"
    assert ENDS == ("ineligible", "not_shortlisted", "not_awarded", "withdrawn",
                    "removed_by_objection")


def test_every_state_id_has_a_label_and_a_kind() -> None:
    assert set(LABELS) == ALL_STATE_IDS
    for sid in ALL_STATE_IDS:
        lb = label(sid)
        assert lb.name_zh and lb.name_en and lb.public_zh and lb.public_en
    assert {kind_of(e) for e in End} == {Kind.END}
    assert kind_of(Outcome.AWARDED) is Kind.END
    assert {kind_of(f) for f in Fixed} == {Kind.APPLICATION}
    assert kind_of(StageId.COMMITTEE) is kind_of(StageId.APPROVAL) is Kind.DECISION
    assert kind_of(StageId.SITE_REVIEW) is Kind.REVIEW
    assert kind_of("committee_notice") is Kind.NOTICE
    with pytest.raises(KeyError):
        kind_of("no_such_state")


def test_no_default_label_claims_a_government_decision() -> None:
    assert (label(StageId.APPROVAL).public_zh, label(StageId.APPROVAL).public_en) == \
        ("提请审定", "Submitted for approval")
    assert all("批准" not in lb.public_zh for lb in LABELS.values())


def test_notice_state_ids() -> None:
    assert notice_state_id("eligibility") == "eligibility_notice"
    assert stage_of_notice_state("material_review_notice") is StageId.MATERIAL_REVIEW
    assert stage_of_notice_state("material_review") is None
    assert stage_of_notice_state("bogus_notice") is None
    with pytest.raises(ValueError):
        notice_state_id("bogus")


def test_groupings() -> None:
    assert EDITABLE_BY_APPLICANT == ("draft", "returned")
    assert AWAITING_RECOMMENDATION == ("submitted", "recommendation")
    assert SUCCESSFUL == ("awarded",)
    assert set(FINISHED) == {*ENDS, "awarded"}
    assert "withdrawn" not in UNSUCCESSFUL and len(UNSUCCESSFUL) == 4
    assert is_editable_by_applicant("returned") and not is_editable_by_applicant("submitted")
    assert is_finished("not_awarded") and not is_finished("committee_notice")
    assert [s for s in ("draft", "submitted", "returned", "committee_notice", "awarded",
                        "withdrawn") if is_in_progress(s)] == \
        ["submitted", "returned", "committee_notice"]


def test_exit_targets_are_ends_or_the_return_to_the_applicant() -> None:
    assert {e.value for e in ExitTarget} <= {*ENDS, Fixed.RETURNED}


def test_the_catalogue_covers_every_policy_and_every_engine_state() -> None:
    used_stages = {s.id for p in load_all() for s in p.stages}
    assert used_stages <= set(StageId)
    assert {StageId.CALL, StageId.APPLICATION, StageId.AWARD} == CYCLE_LEVEL
    for p in load_all():
        for s in states(p):
            assert s.id in ALL_STATE_IDS or stage_of_notice_state(s.id) is not None
            assert s.step_kind in Kind


# ---------------------------------------------------------------------------------------------
# No bare state id in the core outside the table

def bare_state_ids(path: Path) -> list[str]:
    """String constants equal to a state or notice id, outside ``Literal[...]`` vocabularies
    of other fields (e.g. a shortlist ``method: ranking``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    in_literal: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Subscript) and getattr(node.value, "id", "") == "Literal":
            in_literal.update(id(n) for n in ast.walk(node.slice))
    ids = ALL_STATE_IDS | {n.value for n in NoticeId}
    return [f"{path.name}:{node.lineno}: {node.value!r}" for node in ast.walk(tree)
            if isinstance(node, ast.Constant) and node.value in ids
            and id(node) not in in_literal]


# Strings that equal a state id but name something else.
NOT_STATE_IDS = {
    ("engine.py", "'ineligible'"),  # the screening verdict (eligible / ineligible)
    ("workflow.py", "'awarded'"),  # the State.kind value the web layer reads
    ("appeals.py", "'application'"),  # the name of the refused field, not the stage
    ("model.py", "'recommendation'"),  # the policy key a ConfigurationRequired names
    ("shortlist.py", "'ranking'"),  # the shortlist method `ranking` (by the ranking)
}


def test_no_module_of_the_core_spells_a_state_id() -> None:
    core = Path(qaward.core.__file__).parent
    offenders = [hit for path in sorted(core.rglob("*.py")) if path.name != "states.py"
                 for hit in bare_state_ids(path)
                 if (path.name, hit.rsplit(": ", 1)[1]) not in NOT_STATE_IDS]
    assert offenders == []


def test_the_checker_would_catch_a_bare_state_id(tmp_path: Path) -> None:
    bad = tmp_path / "bad.py"
    bad.write_text('X = Literal["ranking"]\nif s == "not_awarded":\n    pass\n', encoding="utf-8")
    assert bare_state_ids(bad) == ["bad.py:2: 'not_awarded'"]
