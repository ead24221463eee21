"""The demo's ranking, shortlist and reports (issue 8), on the office's clock.

``run(cycle, office=..., day=...)`` does what the office does once a scored stage's sheets are
in, and may be called after each scored stage (it does each thing once):

- ranks every scored stage of the cycle (the overview the office and the committee see);
  where the regulation leaves the ranking basis and tie-break rules open, the demo's
  configuration (``builder.demo_configuration``: consensus, results category first, cited as
  the demo's assumption) is in the cycle's pinned policy;
- fixes the shortlist once the applications wait in the shortlisting stage and are scored:
  ``ratio_of_awards`` the ranking's proposal up to the cap, ``ranking`` the top, ``best_of_good``
  (好中选优) the office's choice with one departure from the ranking and its reason; the
  chosen go on — through the shortlist notice, published that day, where the policy requires
  one — and the others to not_shortlisted, with the feedback report where the policy gives it;
- releases the reports of every scored stage the applications have left.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from qaward.core.policy.model import Policy
from qaward.core.review.shortlist import policy_method
from qaward.web import clock
from qaward.web.cycles.models import Application, Cycle
from qaward.web.policies.services import policy_of
from qaward.web.review import ranking
from qaward.web.review.models import Shortlist


@dataclass
class RankingDemo:
    ranked: dict[str, int] = field(default_factory=dict)  # stage → applications ranked
    unranked: dict[str, str] = field(default_factory=dict)  # stage → why not
    shortlisted: list[int] = field(default_factory=list)
    not_shortlisted: list[int] = field(default_factory=list)
    notice: str = ""
    reports: dict[str, int] = field(default_factory=dict)  # stage → reports released


def _choice(policy: Policy, plan: ranking.ShortlistPlan) -> tuple[list[int], dict[str, str]]:
    ranked = plan.overview.ranking
    assert ranked is not None
    order = [int(a) for a in ranked.order]
    if plan.result is not None and plan.result.proposed:  # the cap's proposal
        proposed = [int(a) for a in plan.result.shortlisted]
        if len(proposed) == len(order) and len(order) > 2:
            # The cap is a ceiling: the office leaves out the last, whose score it finds
            # below the bar for a site visit (the demo shows the exit).
            proposed = proposed[:-1]
        return proposed, {}
    keep = max(1, len(order) - 1)
    chosen = order[:keep]
    if policy_method(policy) == "best_of_good" and len(order) >= 3:
        # The office prefers the last one to the one just above the line, and says why.
        chosen = [*order[:keep - 1], order[keep]]
        return chosen, {f"{order[keep]}:{order[keep - 1]}":
                        "演示：现场核查前补充的证实材料表明其改进成效更为突出，好中选优"}
    return chosen, {}


def run(cycle: Cycle, *, office: Any, day: dt.date) -> RankingDemo:
    """Rank, fix the shortlist, publish its notice where required and release the reports
    of the stages the applications have left, on ``day``."""
    out = RankingDemo()
    policy = policy_of(cycle)
    with clock.frozen(day):
        stages = ranking.scored_stages(cycle)
        for stage in stages:
            ov = ranking.ranking_overview(cycle, stage)
            if ov.ranking is not None:
                out.ranked[stage] = len(ov.ranking.rows)
            else:
                out.unranked[stage] = str(ov.needs_configuration or ov.problem)
        where = ranking.shortlist_stage(policy)
        waiting = where is not None and Application.objects.filter(
            cycle=cycle, state=where).exists()
        if where is not None and waiting and not Shortlist.objects.filter(
                cycle=cycle, stage=where).exists():
            tracks = set(Application.objects.filter(cycle=cycle, state=where)
                         .values_list("track", flat=True))
            for track in sorted(tracks):
                plan = ranking.shortlist_plan(cycle, track=track)
                if plan.overview.ranking is None:
                    out.unranked.setdefault(where, plan.error)
                    continue
                chosen, reasons = _choice(policy, plan)
                sl = ranking.shortlist_fix(cycle=cycle, chosen_ids=chosen, reasons=reasons,
                                           actor=office, track=track, notice_starts_on=day,
                                           today=day)
                out.shortlisted += [e.application_id for e in sl.entries.filter(chosen=True)]
                out.not_shortlisted += [e.application_id
                                        for e in sl.entries.filter(chosen=False)]
                if sl.notice is not None:
                    out.notice = sl.notice.title
        for stage in stages:
            if stage not in ranking.REPORT_KIND:
                continue
            left = not Application.objects.filter(cycle=cycle, state=stage).exists()
            if left:
                out.reports[stage] = ranking.reports_release(cycle=cycle, stage=stage,
                                                             actor=office)
    return out
