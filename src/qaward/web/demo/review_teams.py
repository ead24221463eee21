"""The demo's review teams (issue 8): for each review stage the applications are in, the office
asks the optimiser for teams and accepts the proposal, as an office would.

Call it after the pool exists (``demo.review_pool``: experts with their availability for the
cycle) and while the applications are in the stage, on the office clock::

    from qaward.web.demo import review_teams
    with clock.frozen(day):
        review_teams.run(cycle, office=office, head=head)              # every stage with apps
        review_teams.run(cycle, office=office, head=head, stages=[sid])  # one stage

Where the regulation leaves the team size open (``reviewers.team_min_size`` silent), the
demo office decides it (``configuration``): the value goes into the
policy's configuration file with the office's decision cited, the policy is registered again
and the office head moves the cycle to the configured version (``cycle_repin``) — the way an
office configures any silent value. ``builder.demo_configuration`` may merge
``configuration(policy)`` so the cycle opens configured and no move is needed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from qaward.core.policy import Policy
from qaward.core.policy.model import is_silent
from qaward.web.cycles.models import Application, Cycle
from qaward.web.cycles.services import cycle_repin
from qaward.web.policies.services import policy_of, sync_policies
from qaward.web.review import teams
from qaward.web.review.models import Team

DEMO_TEAM_SIZE = 3
DEMO_DECISION = "演示数据：评审办决定每个评审组由3名专家组成（管理办法未规定评审组人数）"


def configuration(policy: Policy) -> dict[str, Any]:
    """The configuration values the demo's teams need where the regulation is silent."""
    if is_silent(policy.reviewers.team_min_size):
        return {teams.TEAM_SIZE_KEY: {"value": DEMO_TEAM_SIZE, "cite": DEMO_DECISION}}
    return {}


def configure(cycle: Cycle, head: Any) -> Cycle:
    """Where the cycle's policy leaves the team size open: write the office's decision into
    the configuration file (keeping the values already there), register the policy again
    and move the cycle to that version (the office head, with the reason)."""
    policy = policy_of(cycle)
    values = configuration(policy)
    if not values:
        return cycle
    folder = Path(os.environ.get("QAWARD_CONFIG_DIR") or Path(settings.VAR_DIR) / "config")
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{policy.id}.yaml"
    current = (yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else None) \
        or {"policy": policy.id, "values": {}}
    current.setdefault("values", {}).update(values)
    path.write_text(yaml.safe_dump(current, allow_unicode=True), encoding="utf-8")
    os.environ["QAWARD_CONFIG_DIR"] = str(folder)
    version = next(pv for pv in sync_policies(head) if pv.policy_id == policy.id)
    if version.pk != cycle.policy_id:
        cycle = cycle_repin(cycle=cycle, to_version=version, actor=head,
                            reason="评审办决定评审组人数（管理办法未规定），本周期按配置后的版本执行")
    return cycle


def run(cycle: Cycle, *, office: Any, head: Any, stages: list[str] | None = None
        ) -> list[Team]:
    """Form the teams of each review stage (default: every review stage that has
    applications in it now and no teams yet); returns the teams formed."""
    cycle = configure(cycle, head)
    policy = policy_of(cycle)
    formed: list[Team] = []
    for stage in stages or teams.review_stages(policy):
        if not Application.objects.filter(cycle=cycle, state=stage).exists():
            continue
        if Team.objects.filter(cycle=cycle, stage=stage).exists():
            continue
        proposal = teams.propose_teams(cycle=cycle, stage=stage, actor=office)
        formed += teams.accept_proposal(proposal=proposal, actor=office)
    return formed
