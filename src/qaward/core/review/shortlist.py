"""The shortlist (入围名单) after a review stage, by the policy's method, checked against the
ranking.

Methods (policy ``shortlist.method``):

- ``ratio_of_awards`` — at most ``max_ratio_of_awards`` × the award places planned for the
  cycle, rounded down (docs/conventions.md, "The shortlist cap"). The places are the sum of
  the quota limits of the track's tiers, unless the call announces fewer. Without a choice,
  the proposal is the best of the ranking up to the cap.
- ``ranking`` — the best by the ranking: the shortlist is the top of the ranking; choosing a
  lower application over a higher one is not allowed.
- ``best_of_good`` (好中选优) — the office chooses; the choice is checked against the ranking.

For every method, a **departure** is a pair (a chosen application, one left out ranked above
it — or at the same rank, where the ranking does not decide between them); each needs a
reason (keyed by the pair ``(chosen, passed_over)``). A tie that the cap or size cuts
through is never settled by the order of the data: the proposal stops before it and the
result names the tie. Those not shortlisted are listed in rank order with the feedback the
policy provides (``shortlist.feedback_to_others``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal, get_args

from qaward.core.errors import ConfigurationRequired, QawardError
from qaward.core.policy.loader import require
from qaward.core.policy.model import Cited, Policy, Silent, is_none, plain

from .ranking import Ranking

ShortlistMethod = Literal["ratio_of_awards", "ranking", "best_of_good"]
METHODS: tuple[str, ...] = get_args(ShortlistMethod)


class ShortlistInputError(QawardError):
    """A shortlist request that cannot be answered: names what is missing or wrong."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"shortlist: {len(problems)} problem(s)\n{lines}")


@dataclass(frozen=True)
class Places:
    """The award places (获奖总数) planned for the cycle."""

    count: int
    cite: str  # the quota articles, or the call that announced fewer
    explanation: str
    announced: bool  # the call announced fewer than the quotas


@dataclass(frozen=True)
class Cap:
    limit: int
    ratio: Fraction
    places: Places
    cite: str  # the shortlist article

    @property
    def explanation(self) -> str:
        return (f"at most {self.ratio} × {self.places.count} places = "
                f"{self.ratio * self.places.count} → {self.limit} (rounded down; "
                f"{self.cite}; places: {self.places.explanation})")


@dataclass(frozen=True)
class Feedback:
    """What those not shortlisted receive (e.g. 资料评审报告), with its article."""

    text: str
    cite: str


@dataclass(frozen=True)
class Departure:
    chosen: str
    chosen_rank: int
    passed_over: str
    passed_over_rank: int
    reason: str | None

    @property
    def key(self) -> tuple[str, str]:
        return (self.chosen, self.passed_over)

    @property
    def within_tie(self) -> bool:
        """The two share a rank: the ranking does not decide between them."""
        return self.chosen_rank == self.passed_over_rank


@dataclass(frozen=True)
class NotShortlisted:
    application_id: str
    rank: int
    feedback: Feedback | None


@dataclass(frozen=True)
class ShortlistResult:
    method: str
    cite: str | None
    cap: Cap | None
    shortlisted: tuple[str, ...]  # in rank order
    not_shortlisted: tuple[NotShortlisted, ...]  # in rank order
    departures: tuple[Departure, ...]
    # A tie that the cap or size cuts through: the ranking cannot say who is in.
    boundary_tie: tuple[str, ...]
    proposed: bool  # no choice was given: this is the ranking's proposal
    problems: tuple[str, ...]

    @property
    def departures_needing_reason(self) -> tuple[Departure, ...]:
        return tuple(d for d in self.departures if d.reason is None)

    @property
    def ok(self) -> bool:
        """No problem and every departure has its reason."""
        return not self.problems and not self.departures_needing_reason


def shortlist_cap(ratio: Fraction | float | str, places: Places, cite: str) -> Cap:
    """⌊ratio × places⌋; a float ratio is read by its decimal text (1.5 → 3/2), exactly."""
    r = Fraction(str(ratio)) if isinstance(ratio, float) else Fraction(ratio)
    if r <= 0:
        raise ShortlistInputError([f"ratio {ratio}: must be above 0"])
    return Cap(math.floor(r * places.count), r, places, cite)


def proposal(ranking: Ranking, size: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """The top ``size`` of the ranking, stopping before a tie the size cuts through.
    Returns (proposed, the tie cut through or ())."""
    if size < 0:
        raise ShortlistInputError([f"size {size}: must be 0 or more"])
    rows = ranking.rows
    if size >= len(rows):
        return ranking.order, ()
    boundary_rank = rows[size].rank
    if size and rows[size - 1].rank == boundary_rank:
        tie = tuple(r.application_id for r in rows if r.rank == boundary_rank)
        return tuple(r.application_id for r in rows if r.rank < boundary_rank), tie
    return ranking.order[:size], ()


def decide(
    ranking: Ranking,
    method: str,
    *,
    chosen: Sequence[str] | None = None,
    cap: Cap | None = None,
    size: int | None = None,
    reasons: Mapping[tuple[str, str], str] | None = None,
    feedback: Feedback | None = None,
    cite: str | None = None,
) -> ShortlistResult:
    """The shortlist by ``method``, from the office's choice (``chosen``) or, without one,
    the ranking's proposal (top ``cap.limit`` or ``size``).

    ``ratio_of_awards`` needs ``cap``; ``ranking`` and ``best_of_good`` propose only with
    ``size`` and otherwise need ``chosen``.
    """
    if method not in METHODS:
        raise ShortlistInputError([f"method `{method}`: not one of {', '.join(METHODS)}"])
    if method == "ratio_of_awards" and cap is None:
        raise ShortlistInputError(["method ratio_of_awards: the cap is needed "
                                   "(shortlist_cap, from the places planned for the cycle)"])
    problems: list[str] = []
    ranks = ranking.ranks
    boundary_tie: tuple[str, ...] = ()
    proposed = chosen is None
    if chosen is None:
        limit = cap.limit if cap is not None else size
        if limit is None:
            raise ShortlistInputError([
                f"method {method}: the office chooses the shortlist; give the choice, or a "
                "size for a proposal from the ranking" if method == "best_of_good" else
                f"method {method}: give how many go on (size), or the choice"])
        picked, boundary_tie = proposal(ranking, limit)
    else:
        seen: set[str] = set()
        for aid in chosen:
            if aid not in ranks:
                problems.append(f"application {aid}: not in the ranking")
            elif aid in seen:
                problems.append(f"application {aid}: chosen twice")
            seen.add(aid)
        picked = tuple(aid for aid in ranking.order if aid in seen)
        if cap is not None and len(picked) > cap.limit:
            problems.append(
                f"{len(picked)} chosen but {cap.cite} allows at most {cap.limit} "
                f"({cap.explanation})")
        if size is not None and len(picked) != size:
            problems.append(f"{len(picked)} chosen but the size given is {size}")

    chosen_set = set(picked)
    left = [r for r in ranking.rows if r.application_id not in chosen_set]
    given = {k: v.strip() for k, v in (reasons or {}).items() if v and v.strip()}
    departures = []
    for aid in picked:
        c_rank = ranks[aid]
        for r in left:
            if r.rank > c_rank:
                break
            key = (aid, r.application_id)
            departures.append(Departure(aid, c_rank, r.application_id, r.rank, given.get(key)))
    if method == "ranking":
        for d in departures:
            if not d.within_tie:
                problems.append(
                    f"application {d.chosen} (rank {d.chosen_rank}) chosen over "
                    f"{d.passed_over} (rank {d.passed_over_rank}): method `ranking` takes "
                    f"the best by the ranking{f' ({cite})' if cite else ''}")
    known = {d.key for d in departures}
    for key in sorted(set(given) - known):
        problems.append(f"reason for {key[0]} over {key[1]}: not a departure from the ranking")
    not_shortlisted = tuple(NotShortlisted(r.application_id, r.rank, feedback) for r in left)
    return ShortlistResult(method, cite, cap, picked, not_shortlisted, tuple(departures),
                           boundary_tie, proposed, tuple(problems))


# -- the policy's reading ---------------------------------------------------------------------


def planned_places(policy: Policy, track: str, *, announced: int | None = None,
                   announced_cite: str | None = None) -> Places:
    """The award places planned for the cycle for ``track``: the sum of the quota limits
    of every tier open to the track (a limit shared by several tracks counts once), unless
    the call announces fewer (``announced``, citing the call)."""
    limits = [lim for lim in policy.quotas.limit_list if track in lim.tracks]
    if isinstance(policy.quotas.limits, Silent):
        raise ConfigurationRequired(policy.id, "quotas.limits", policy.quotas.limits.silent)
    if not limits:
        raise ShortlistInputError([f"{policy.id}: no quota limit for track `{track}`"])
    total = 0
    parts = []
    cites = []
    for i, lim in enumerate(limits):
        if lim.per != "cycle" and announced is None:
            raise ShortlistInputError([
                f"{policy.id}: quota of `{lim.tier}` is per {lim.per} ({lim.cite}); give the "
                "places announced for the cycle (announced=…)"])
        mx = int(plain(require(policy, lim.max, f"quotas.limits.{i}.max")))  # type: ignore[call-overload]
        total += mx
        parts.append(f"{lim.tier} {mx}")
        cites.append(lim.cite)
    quota_text = " + ".join(parts) + f" = {total} ({'、'.join(dict.fromkeys(cites))})"
    if announced is None:
        return Places(total, "、".join(dict.fromkeys(cites)), quota_text, False)
    if type(announced) is not int or announced < 0:
        raise ShortlistInputError([f"announced places {announced!r}: a whole number ≥ 0"])
    if announced > total:
        raise ShortlistInputError([
            f"announced places {announced}: more than the quotas allow ({quota_text})"])
    if not (announced_cite or "").strip():
        raise ShortlistInputError(["announced places: cite the call that announced them"])
    assert announced_cite is not None
    return Places(announced, announced_cite,
                  f"{announced} announced ({announced_cite}); quotas {quota_text}", True)


def policy_feedback(policy: Policy) -> Feedback | None:
    """What the policy gives those not shortlisted, or None where it provides nothing.
    Silent: ConfigurationRequired naming ``shortlist.feedback_to_others``."""
    f = policy.shortlist.feedback_to_others
    if is_none(f):
        return None
    v = require(policy, f, "shortlist.feedback_to_others")
    return Feedback(v.value, v.cite)


def policy_method(policy: Policy) -> str:
    m = require(policy, policy.shortlist.method, "shortlist.method")
    return str(m.value if isinstance(m, Cited) else m)


def policy_cap(policy: Policy, track: str, *, announced: int | None = None,
               announced_cite: str | None = None) -> Cap | None:
    """The cap where the method is ``ratio_of_awards``; None otherwise."""
    if policy_method(policy) != "ratio_of_awards":
        return None
    ratio = policy.shortlist.max_ratio_of_awards
    if ratio is None:
        raise ShortlistInputError([f"{policy.id}: shortlist.max_ratio_of_awards is needed "
                                   "for the ratio_of_awards method"])
    places = planned_places(policy, track, announced=announced, announced_cite=announced_cite)
    return shortlist_cap(ratio, places, policy.shortlist.cite)


def shortlist_for_policy(
    policy: Policy,
    track: str,
    ranking: Ranking,
    *,
    chosen: Sequence[str] | None = None,
    size: int | None = None,
    reasons: Mapping[tuple[str, str], str] | None = None,
    announced: int | None = None,
    announced_cite: str | None = None,
) -> ShortlistResult:
    """:func:`decide` with the policy's method, cap, article and feedback."""
    return decide(
        ranking,
        policy_method(policy),
        chosen=chosen,
        cap=policy_cap(policy, track, announced=announced, announced_cite=announced_cite),
        size=size,
        reasons=reasons,
        feedback=policy_feedback(policy),
        cite=policy.shortlist.cite,
    )
