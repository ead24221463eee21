"""Rank applications by the basis the policy (or the office's configuration) chooses, breaking
ties only by stated rules, never by the order the data came in.

- The basis is one of ``mean``, ``median``, ``normalised``, ``consensus``
  (:class:`~qaward.core.review.aggregation.ApplicationScores`); higher ranks first.
- Tie-break rules are applied in order, each with its citation: a fact that puts ``true``
  first (e.g. ``sme_new_industry``), or a number where ``higher`` (or ``lower``) comes first
  (the score of a named category or item, the site-review total). The caller supplies each
  application's value per rule key; a missing value (or None) comes after every value.
- Applications still equal after every rule share a rank (competition ranking: 1, 1, 3) and
  the result lists them in ``unresolved_ties``; rows sharing a rank are listed by
  application id for display only.
- Each row says which rule separated it from the row above and from the row below
  (``basis`` or a tie-break key, with its citation and both values).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Literal, get_args

from qaward.core.criteria.scoring import ScoreSheet
from qaward.core.errors import QawardError
from qaward.core.policy.model import Policy, Silent

from .aggregation import Aggregation, ApplicationScores

Basis = Literal["mean", "median", "normalised", "consensus"]
BASES: tuple[str, ...] = get_args(Basis)
Prefer = Literal["true_first", "higher", "lower"]
PREFERENCES: tuple[str, ...] = get_args(Prefer)
TieValue = bool | int | Fraction | float | None
BASIS_RULE = "basis"


class RankingInputError(QawardError):
    """A ranking that cannot be made: names the rule or application and what is missing."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        lines = "\n".join(f"  - {p}" for p in problems)
        super().__init__(f"ranking: {len(problems)} problem(s)\n{lines}")


@dataclass(frozen=True)
class TieBreak:
    """One tie-break rule: the value ``key`` of each application, ``prefer`` which first."""

    key: str
    prefer: Prefer
    cite: str  # the article, or the office decision that configured it
    source: Literal["regulation", "configuration"] = "regulation"
    label_zh: str | None = None
    label_en: str | None = None


@dataclass(frozen=True)
class Separation:
    """What put one row before its neighbour: ``rule`` is ``basis`` or a tie-break key."""

    rule: str
    cite: str | None
    better: TieValue  # the value of the row ranked higher
    worse: TieValue


@dataclass(frozen=True)
class RankedRow:
    application_id: str
    rank: int
    value: Fraction | float  # the basis value
    tie_values: tuple[TieValue, ...]  # one per tie-break rule, in order
    shares_rank: bool
    separated_from_above: Separation | None  # None: first row, or same rank as the row above
    separated_from_below: Separation | None  # None: last row, or same rank as the row below


@dataclass(frozen=True)
class Ranking:
    basis: str
    basis_cite: str | None
    tie_breaks: tuple[TieBreak, ...]
    rows: tuple[RankedRow, ...]
    unresolved_ties: tuple[tuple[str, ...], ...]  # each group sharing one rank, by id
    # Set where the policy's tie-break rules are silent and were left out (the policy's
    # explanation): configure ``review.ranking.tie_breaks`` to separate equal scores.
    tie_breaks_open: str | None = None

    @property
    def order(self) -> tuple[str, ...]:
        return tuple(r.application_id for r in self.rows)

    def row(self, application_id: str) -> RankedRow:
        for r in self.rows:
            if r.application_id == application_id:
                return r
        raise KeyError(application_id)

    def rank_of(self, application_id: str) -> int:
        return self.row(application_id).rank

    @property
    def ranks(self) -> dict[str, int]:
        return {r.application_id: r.rank for r in self.rows}


def basis_value(scores: ApplicationScores, basis: str) -> Fraction | float | None:
    if basis == "mean":
        return scores.mean
    if basis == "median":
        return scores.median
    if basis == "normalised":
        return scores.normalised
    if basis == "consensus":
        return scores.consensus
    raise RankingInputError([f"basis `{basis}`: not one of {', '.join(BASES)}"])


def _rule_key(rule: TieBreak, value: TieValue) -> tuple[int, Fraction | float]:
    # (0, x) sorts before (1, 0): every value before a missing one.
    if value is None:
        return (1, 0)
    if rule.prefer == "true_first":
        return (0, 0 if value else 1)
    return (0, -value if rule.prefer == "higher" else value)


def _sort_values(values: Mapping[str, Fraction | float]) -> dict[str, int | Fraction | float]:
    """−value per application, as whole numbers over the common denominator when every value
    is exact (comparing ints is many times faster than comparing Fractions; same order)."""
    if all(isinstance(v, int | Fraction) for v in values.values()):
        exact = {aid: Fraction(v) for aid, v in values.items()}
        d = math.lcm(*(v.denominator for v in exact.values())) if exact else 1
        return {aid: -(v.numerator * (d // v.denominator)) for aid, v in exact.items()}
    return {aid: -v for aid, v in values.items()}


def _check_rules(tie_breaks: Sequence[TieBreak]) -> list[str]:
    problems = []
    keys = [t.key for t in tie_breaks]
    for k in sorted({k for k in keys if keys.count(k) > 1}):
        problems.append(f"tie-break `{k}`: listed twice")
    for t in tie_breaks:
        if t.key == BASIS_RULE:
            problems.append(f"tie-break `{t.key}`: the name is reserved for the basis")
        if t.prefer not in PREFERENCES:
            problems.append(f"tie-break `{t.key}`: prefer `{t.prefer}` is not one of "
                            f"{', '.join(PREFERENCES)}")
        if not t.cite.strip():
            problems.append(f"tie-break `{t.key}`: needs the article or office decision "
                            "that sets it")
    return problems


def rank_values(
    values: Mapping[str, Fraction | float],
    *,
    basis: str,
    basis_cite: str | None = None,
    tie_breaks: Sequence[TieBreak] = (),
    tie_values: Mapping[str, Mapping[str, TieValue]] | None = None,
) -> Ranking:
    """Rank applications by ``values`` (higher first), then the tie-break rules in order."""
    problems = _check_rules(tie_breaks)
    tv = tie_values or {}
    for aid in sorted(set(tv) - set(values)):
        problems.append(f"application {aid}: tie-break values but nothing to rank")
    rows_in: list[tuple[tuple[object, ...], str, Fraction | float, tuple[TieValue, ...]]] = []
    bad = [aid for aid, v in values.items()
           if isinstance(v, bool) or not isinstance(v, int | Fraction | float)]
    problems.extend(f"application {aid}: {basis} is {values[aid]!r}, not a number"
                    for aid in bad)
    sort_value = _sort_values(values) if not bad else {}
    for aid, value in values.items():
        if aid in bad:
            continue
        facts = tv.get(aid, {})
        rule_values: list[TieValue] = []
        for t in tie_breaks:
            v = facts.get(t.key)
            if t.prefer == "true_first" and v is not None and not isinstance(v, bool):
                problems.append(f"application {aid}: tie-break `{t.key}` needs true/false, "
                                f"got {v!r}")
            elif t.prefer != "true_first" and isinstance(v, bool):
                problems.append(f"application {aid}: tie-break `{t.key}` needs a number, "
                                f"got {v!r}")
            rule_values.append(v)
        rows_in.append((
            ((0, sort_value[aid]), *(_rule_key(t, v) for t, v in zip(tie_breaks, rule_values,
                                                              strict=True))),
            aid, value, tuple(rule_values)))
    if problems:
        raise RankingInputError(problems)

    # The id only orders rows that share a rank, for display; it never decides a rank.
    rows_in.sort(key=lambda r: (r[0], r[1]))
    n = len(rows_in)

    def separation(i: int) -> Separation | None:
        """Between row i−1 (better) and row i, or None when they are equal."""
        a, b = rows_in[i - 1], rows_in[i]
        for level, (ka, kb) in enumerate(zip(a[0], b[0], strict=True)):
            if ka != kb:
                if level == 0:
                    return Separation(BASIS_RULE, basis_cite, a[2], b[2])
                t = tie_breaks[level - 1]
                return Separation(t.key, t.cite, a[3][level - 1], b[3][level - 1])
        return None

    seps = [None, *(separation(i) for i in range(1, n))]
    ranks: list[int] = []
    for i in range(n):
        ranks.append(1 if i == 0 else ranks[-1] if seps[i] is None else i + 1)
    rows = []
    for i, (_, aid, value, rvs) in enumerate(rows_in):
        below = seps[i + 1] if i + 1 < n else None
        shares = (i > 0 and seps[i] is None) or (i + 1 < n and below is None)
        rows.append(RankedRow(aid, ranks[i], value, rvs, shares, seps[i], below))
    groups: dict[int, list[str]] = {}
    for r in rows:
        if r.shares_rank:
            groups.setdefault(r.rank, []).append(r.application_id)
    return Ranking(basis, basis_cite, tuple(tie_breaks), tuple(rows),
                   tuple(tuple(g) for _, g in sorted(groups.items())))


def rank(
    aggregation: Aggregation | Mapping[str, ApplicationScores],
    basis: str,
    *,
    basis_cite: str | None = None,
    tie_breaks: Sequence[TieBreak] = (),
    tie_values: Mapping[str, Mapping[str, TieValue]] | None = None,
) -> Ranking:
    """Rank every application of an aggregation by ``basis`` (mean, median, normalised,
    consensus). Ranking by consensus needs every application's consensus total."""
    apps = aggregation.applications if isinstance(aggregation, Aggregation) else aggregation
    if basis not in BASES:
        raise RankingInputError([f"basis `{basis}`: not one of {', '.join(BASES)}"])
    values: dict[str, Fraction | float] = {}
    missing = []
    for aid, scores in apps.items():
        v = basis_value(scores, basis)
        if v is None:
            missing.append(aid)
        else:
            values[aid] = v
    if missing:
        raise RankingInputError([
            f"application {aid}: no {basis} total recorded; rank by {basis} once every "
            "application has one" for aid in sorted(missing)])
    return rank_values(values, basis=basis, basis_cite=basis_cite, tie_breaks=tie_breaks,
                       tie_values=tie_values)


# -- the policy's reading ---------------------------------------------------------------------


def policy_tie_breaks(policy: Policy) -> tuple[TieBreak, ...]:
    """The policy's tie-break rules (``review.ranking.tie_breaks``), each with the list's
    citation; ConfigurationRequired where the text is silent and nothing is configured."""
    rules = policy.tie_break_rules()
    return tuple(TieBreak(r.key, r.prefer, rules.cite, rules.source, r.label_zh, r.label_en)
                 for r in rules.value)


def sheet_tie_values(sheet: ScoreSheet, tie_breaks: Sequence[TieBreak]) -> dict[str, TieValue]:
    """The values of ``category:<id>`` and ``item:<id>`` rules from an application's sheet
    (the team's combined or consensus sheet of the ranked stage), in points. Other keys
    (``fact:``, ``stage:``) come from the profile and the other stages; the caller adds them."""
    out: dict[str, TieValue] = {}
    categories = {c.category.id: c.points for c in sheet.categories}
    for t in tie_breaks:
        kind, _, name = t.key.partition(":")
        if kind == "category":
            if name not in categories:
                raise RankingInputError([f"tie-break `{t.key}`: no category `{name}` in "
                                         f"{sheet.criteria.id}"])
            out[t.key] = categories[name]
        elif kind == "item":
            try:
                out[t.key] = sheet.item(name).points
            except KeyError:
                raise RankingInputError([f"tie-break `{t.key}`: no item `{name}` in "
                                         f"{sheet.criteria.id}"]) from None
    return out


def rank_for_policy(
    policy: Policy,
    aggregation: Aggregation | Mapping[str, ApplicationScores],
    *,
    tie_values: Mapping[str, Mapping[str, TieValue]] | None = None,
    allow_silent_tie_breaks: bool = False,
) -> Ranking:
    """Rank by the policy's basis and tie-break rules (configured where the text is silent).

    The basis is required (ConfigurationRequired naming ``review.ranking.basis``). So are the
    tie-break rules, unless ``allow_silent_tie_breaks``: then, where the text is silent and
    nothing is configured, equal scores share a rank, the ranking lists them as unresolved
    ties and ``tie_breaks_open`` carries the policy's explanation (for a display before the
    office has configured its rules)."""
    basis = policy.ranking_basis()
    cite = getattr(policy.review.ranking.basis, "cite", None)
    open_rules = policy.review.ranking.tie_breaks
    if allow_silent_tie_breaks and isinstance(open_rules, Silent):
        ranking = rank(aggregation, basis, basis_cite=cite, tie_values=tie_values)
        return replace(ranking, tie_breaks_open=open_rules.silent)
    return rank(aggregation, basis, basis_cite=cite, tie_breaks=policy_tie_breaks(policy),
                tie_values=tie_values)
