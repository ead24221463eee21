"""Reading policies as rules: flatten to (rule key → value, article), diff, and validate.

Validation (``validate_file``, run by ``qaward policy validate``) reports at once every
schema problem, every inconsistency of the policy with itself (``consistency_problems``) and
every citation of an article that is not in ``source.txt``.

The flat form keys list items by their identity, not their position (eligibility rules by
rule kind, tiers by id, quotas by tier and tracks, prizes by tier and track), so a diff
between two districts lines up rule by rule.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from qaward.core.criteria.loader import list_criteria
from qaward.core.errors import PolicyFileError
from qaward.core.policy.loader import config_file, load_policy_file, policy_files
from qaward.core.policy.model import (
    NATIONAL_AWARD_TIERS,
    PLACEHOLDERS,
    ManualCheck,
    NoRule,
    Notices,
    Policy,
    Silent,
    given,
)
from qaward.core.policy.source import Resolved, SourceText
from qaward.core.states import ExitTarget, NoticeId, StageId

SILENT = "—"
# How a rule the regulation does not have reads in a listing ({none: ...}).
NO_RULE = "none"


@dataclass(frozen=True)
class FlatRule:
    key: str
    value: str
    cite: str


def _identity(item: Mapping[str, Any]) -> str | None:
    if "rule" in item:
        return str(item["id"]) if item["rule"] == "manual" else str(item["rule"])
    if "tier" in item and "track" in item:
        return f"{item['tier']}/{item['track']}"
    if "tier" in item and "tracks" in item:
        return f"{item['tier']}/{'+'.join(item['tracks'])}"
    if "level" in item and "tier" in item:
        return f"{item['level']}/{item['tier']}"
    if "level" in item and "name_zh" in item:  # an award the fast track counts
        return f"{item['level']}/{item['name_zh']}"
    if "tier" in item and "previously" in item:
        return f"{item['tier']}-after-{'+'.join(item['previously'])}"
    if "id" in item:
        return str(item["id"])
    if "to" in item:  # a stage's exit
        return str(item["to"])
    if "relations" in item:  # recusal relations set by another article
        return "+".join(item["relations"])
    return None


def _fmt(value: Any) -> str:
    if isinstance(value, list | tuple) and not value:
        return "none"
    if isinstance(value, list | tuple):
        return ", ".join(_fmt(v) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


# Keys a rule listing leaves out: citations (shown beside each rule), notes and English names.
_NOT_SHOWN = frozenset({"cite", "note", "name_en", "public_name_en", "text_en", "title_en",
                        "title_cite"})


def flatten(policy: Policy) -> dict[str, FlatRule]:
    """Every leaf of the policy as key → (value, nearest citation); silence shows as
    ``— (why)``, a rule the regulation does not have as ``none (why)``."""
    out: dict[str, FlatRule] = {}

    def walk(obj: Any, key: str, cite: str) -> None:
        if isinstance(obj, Mapping):
            cite = str(obj.get("cite") or cite)
            if "silent" in obj:
                out[key] = FlatRule(key, f"{SILENT} ({obj['silent']})", cite)
                return
            if "none" in obj and set(obj) <= {"none", "cite"}:
                out[key] = FlatRule(key, f"{NO_RULE} ({obj['none']})", cite)
                return
            if set(obj) <= {"value", "cite", "note", "source"} and "value" in obj:
                out[key] = FlatRule(key, _fmt(obj["value"]), cite)
                return
            for k, v in obj.items():
                if k in _NOT_SHOWN or v is None or (k == "source" and v == "regulation"):
                    continue
                # A notice's title has its own article (title_cite).
                at = str(obj.get("title_cite") or cite) if k.startswith("title_") else cite
                walk(v, f"{key}.{k}" if key else str(k), at)
        elif isinstance(obj, list | tuple) and obj and all(isinstance(i, Mapping) for i in obj):
            for i, item in enumerate(obj):
                walk(item, f"{key}[{_identity(item) or i}]", cite)
        else:
            out[key] = FlatRule(key, _fmt(obj), cite)

    dumped = policy.model_dump(mode="json", by_alias=True, exclude={"configured"})
    walk(dumped, "", "")
    return out


@dataclass(frozen=True)
class DiffRow:
    key: str
    left: FlatRule | None
    right: FlatRule | None


def diff(left: Policy, right: Policy) -> list[DiffRow]:
    """Rules that differ (by value) between two policies, in a stable order."""
    a, b = flatten(left), flatten(right)
    skip = {"id"}
    rows = []
    for key in sorted(set(a) | set(b)):
        if key in skip:
            continue
        la, rb = a.get(key), b.get(key)
        if la is not None and rb is not None and la.value == rb.value:
            continue
        rows.append(DiffRow(key, la, rb))
    return rows


# ---------------------------------------------------------------------------------------------
# Validation beyond the schema: citations must exist in the regulation's own text.

_ARTICLE = re.compile(r"第([〇零一二三四五六七八九十百]+)条")
_SECTION = re.compile(r"^([一二三四五六七八九十]+)、(?:（([一二三四五六七八九十]+)）)?")


def cited_articles_missing(policy: Policy, source_text: str) -> list[str]:
    """Citations whose article (第N条) or section (三、（六）) is not in the source text."""
    text = source_text.replace("(", "（").replace(")", "）")
    problems = []
    seen: set[str] = set()
    for key, rule in flatten(policy).items():
        cite = rule.cite
        if not cite or cite in seen:
            continue
        seen.add(cite)
        for num in _ARTICLE.findall(cite):
            if f"第{num}条" not in text:
                problems.append(f"{key}: cites 第{num}条, which is not in the regulation's text")
        m = _SECTION.match(cite)
        if m and not re.search(rf"(^|\n)\s*{m.group(1)}、", text):
            problems.append(f"{key}: cites section {m.group(1)}、, which is not in the text")
    return problems


def cited_parts_missing(policy: Policy, source: SourceText) -> list[str]:
    """Citations whose paragraph (款) or item (项) is not in the text (their article is:
    ``cited_articles_missing`` reports a missing article)."""
    problems = []
    seen: set[str] = set()
    for key, rule in flatten(policy).items():
        if not rule.cite or rule.cite in seen:
            continue
        seen.add(rule.cite)
        found = source.resolve(rule.cite)
        if found is not None and not found.precise:
            problems.append(f"{key}: cites {rule.cite}, but {found.note}")
    return problems


def source_of(policy_id: str) -> SourceText | None:
    """The parsed ``source.txt`` beside a known policy's file, or None when it has none."""
    path = policy_files()[policy_id].parent / "source.txt"
    return SourceText.parse(path.read_text(encoding="utf-8")) if path.is_file() else None


def with_text(policy: Policy, source: SourceText) -> list[tuple[list[FlatRule], Resolved | None]]:
    """The policy's values (``flatten``) in runs sharing one citation, each run with the text
    its citation names (None: not found in the text, or the run has no citation)."""
    runs: list[tuple[list[FlatRule], Resolved | None]] = []
    for rule in flatten(policy).values():
        if runs and runs[-1][0][-1].cite == rule.cite:
            runs[-1][0].append(rule)
            continue
        runs.append(([rule], source.resolve(rule.cite) if rule.cite else None))
    return runs


# ---------------------------------------------------------------------------------------------
# Validation beyond the schema: consistency of a policy with itself. Each check returns
# messages "dotted.key: problem"; docs/policy-guide.md section 7 lists them.

# The order the main stages must keep where present; other stages may sit anywhere between.
STAGE_ORDER: tuple[StageId, ...] = (
    StageId.CALL,
    StageId.APPLICATION,
    StageId.ELIGIBILITY,
    StageId.MATERIAL_REVIEW,
    StageId.SITE_REVIEW,
    StageId.COMMITTEE,
    StageId.APPROVAL,
    StageId.AWARD,
)

# Rule kinds that only make sense for one track.
TRACK_ONLY_RULES: dict[str, str] = {
    "employer_record": "individual",
    "independent_legal_person": "organization",
    "chief_quality_officer": "organization",
    "excellence_model": "organization",
    "no_losses": "organization",
    "no_failed_inspections": "organization",
}

SILENT_MIN_CHARS = 5
SILENT_PLACEHOLDERS = PLACEHOLDERS


def _stage_order_problems(policy: Policy) -> list[str]:
    ids = [s.id for s in policy.stages]
    present = [s for s in STAGE_ORDER if s in ids]
    problems = []
    for n, later in enumerate(present):
        # the first main stage that should come before `later` but is listed after it
        earlier = next((e for e in present[:n] if ids.index(e) > ids.index(later)), None)
        if earlier is not None:
            problems.append(
                f"stages: `{later}` comes before `{earlier}`; keep the order "
                f"{' → '.join(STAGE_ORDER)} (other stages may sit anywhere between)"
            )
    return problems


def _stage_notice_problems(policy: Policy) -> list[str]:
    # A notice that is not required is already refused by the model (Policy._consistent).
    problems = []
    seen: dict[str, str] = {}
    for stage in policy.stages:
        if stage.notice is None:
            continue
        if stage.notice in seen:
            problems.append(
                f"stages.{stage.id}.notice: the `{stage.notice}` notice is already published "
                f"at the end of `{seen[stage.notice]}`; a notice belongs to one stage"
            )
        else:
            seen[stage.notice] = stage.id
        if stage.notice == NoticeId.INTERNAL and stage.id != StageId.APPLICATION:
            problems.append(
                f"stages.{stage.id}.notice: the `internal` notice belongs to the `application` "
                "stage (published by the applicant before applying) or to no stage (published "
                "with the final notice)"
            )
    for name in (NoticeId.ELIGIBILITY, NoticeId.SHORTLIST, NoticeId.FINAL):
        if policy.notice_required(name) and name not in seen:
            problems.append(
                f"notices.{name}: required, but no stage publishes it "
                f"(set `notice: {name}` on the stage it ends)"
            )
    return problems


# Exits that end or return an application before the comparative review begins, and those
# that only a later stage can take.
_EARLY_EXITS = (ExitTarget.INELIGIBLE, ExitTarget.RETURNED)


def _exit_problems(policy: Policy) -> list[str]:
    problems = []
    ids = [s.id for s in policy.stages]
    at = ids.index(StageId.ELIGIBILITY) if StageId.ELIGIBILITY in ids else len(ids)
    for n, stage in enumerate(policy.stages):
        for e in stage.exits:
            early = e.to in _EARLY_EXITS
            if early and n > at:
                problems.append(
                    f"stages.{stage.id}.exits: `{e.to}` is an exit of the eligibility review "
                    "or a stage before it; a later stage ends an application with "
                    "`not_shortlisted` or `not_awarded`"
                )
            if not early and n <= at:
                problems.append(
                    f"stages.{stage.id}.exits: `{e.to}` is an exit of a stage after the "
                    "eligibility review; before it, an application is `ineligible` or "
                    "`returned`"
                )
    if StageId.ELIGIBILITY in ids and \
            policy.stages[at].exit(ExitTarget.INELIGIBLE) is None:
        problems.append(
            "stages.eligibility.exits: the eligibility review must be able to end an "
            "application: add `ineligible`"
        )
    return problems


def _fast_track_problems(policy: Policy) -> list[str]:
    ft = policy.fast_track
    if not given(ft):
        return []
    ids = [s.id for s in policy.stages]
    if ft.skips_to not in ids:
        return [f"fast_track.skips_to: `{ft.skips_to}` is not one of the policy's stages"]
    problems = []
    if StageId.ELIGIBILITY in ids and \
            ids.index(ft.skips_to) <= ids.index(StageId.ELIGIBILITY):
        problems.append(
            f"fast_track.skips_to: `{ft.skips_to}` is not after `eligibility`, "
            "so the fast track skips nothing"
        )
    if StageId.COMMITTEE in ids and ids.index(ft.skips_to) > ids.index(StageId.COMMITTEE):
        problems.append(
            f"fast_track.skips_to: `{ft.skips_to}` comes after `committee`; "
            "a fast track may not skip the committee"
        )
    for award in ft.awards:
        odd = [t for t in award.tiers or () if t not in NATIONAL_AWARD_TIERS]
        if award.level == "national" and odd:
            problems.append(
                f"fast_track.awards[{award.name_zh}].tiers: a national award record's tier is "
                f"`award` or `nomination`, not {', '.join(f'`{t}`' for t in odd)}"
            )
    return problems


def _tier_problems(policy: Policy) -> list[str]:
    problems = []
    offered = {track for tier in policy.tiers for track in tier.tracks}
    for track in policy.tracks:
        if track not in offered:
            problems.append(
                f"tracks.{track}: no tier is awarded to this track (add it to a tier's `tracks`)"
            )
    for tier in policy.tiers:
        if len(set(tier.tracks)) != len(tier.tracks):
            problems.append(f"tiers.{tier.id}.tracks: a track is listed twice")
    ranks = sorted(t.rank for t in policy.tiers)
    if ranks != list(range(1, len(ranks) + 1)):
        problems.append(
            "tiers: ranks must be 1, 2, … one per tier, 1 the highest honour "
            f"(got {', '.join(map(str, ranks))})"
        )
    return problems


def _tracks_of(policy: Policy) -> dict[str, tuple[str, ...]]:
    return {t.id: tuple(t.tracks) for t in policy.tiers}


def _quota_problems(policy: Policy) -> list[str]:
    problems = []
    tracks_of = _tracks_of(policy)
    for i, lim in enumerate(policy.quotas.limit_list):
        if lim.tier not in tracks_of:
            continue  # unknown tier: reported by the model
        for track in lim.tracks:
            if track not in tracks_of[lim.tier]:
                problems.append(
                    f"quotas.limits.{i}: tier `{lim.tier}` is not awarded to the `{track}` track "
                    f"(its tracks: {', '.join(tracks_of[lim.tier])})"
                )
        if len(set(lim.tracks)) != len(lim.tracks):
            problems.append(f"quotas.limits.{i}.tracks: a track is listed twice")
    return problems


def _prize_problems(policy: Policy) -> list[str]:
    problems = []
    tracks_of = _tracks_of(policy)
    seen: set[tuple[str, str]] = set()
    for i, prize in enumerate(policy.prizes.award_list):
        pair = (prize.tier, prize.track)
        if prize.tier in tracks_of and prize.track not in tracks_of[prize.tier]:
            problems.append(
                f"prizes.awards.{i}: tier `{prize.tier}` is not awarded to the `{prize.track}` "
                f"track (its tracks: {', '.join(tracks_of[prize.tier])})"
            )
        if pair in seen:
            problems.append(
                f"prizes.awards.{i}: a second prize entry for {prize.tier}/{prize.track}"
            )
        seen.add(pair)
        amount = prize.amount_yuan
        if given(amount) and amount.value > 0 and "money" not in prize.items:
            problems.append(
                f"prizes.awards.{i}.items: an amount is given but `money` is not among the items"
            )
    for tier in policy.tiers if given(policy.prizes.awards) else ():
        for track in tier.tracks:
            if (tier.id, track) not in seen:
                problems.append(
                    f"prizes.awards: no entry for tier `{tier.id}` × track `{track}` "
                    "(give its items and amount_yuan, or amount_yuan: {silent: ...})"
                )
    if given(policy.prizes.repeat_winners):
        for i, rule in enumerate(policy.prizes.repeat_winners):
            if rule.money != ("money" in rule.items):
                problems.append(
                    f"prizes.repeat_winners.{i}: `money: {str(rule.money).lower()}` "
                    "contradicts `items` (list `money` exactly when money is paid)"
                )
    return problems


def _eligibility_problems(policy: Policy) -> list[str]:
    problems = []
    for track, rules in policy.eligibility.items():
        kinds: set[str] = set()
        manual_ids: set[str] = set()
        for i, rule in enumerate(rules):
            if isinstance(rule, ManualCheck):
                if rule.id in manual_ids:
                    problems.append(
                        f"eligibility.{track}.{i}: manual check id `{rule.id}` is used twice"
                    )
                manual_ids.add(rule.id)
                continue
            if rule.rule in kinds:
                problems.append(
                    f"eligibility.{track}.{i}: rule `{rule.rule}` appears twice "
                    "(state each kind once, with the strictest parameters the text gives)"
                )
            kinds.add(rule.rule)
            only = TRACK_ONLY_RULES.get(rule.rule)
            if only is not None and only != track:
                problems.append(
                    f"eligibility.{track}.{i}: rule `{rule.rule}` applies to the `{only}` "
                    "track only"
                )
    return problems


def _after_award_problems(policy: Policy) -> list[str]:
    # An empty `tiers` list is refused by the model ("at least 1 item").
    lock = policy.after_award_lockout
    if not given(lock) or len(set(lock.tiers)) == len(lock.tiers):
        return []
    return ["after_award_lockout.tiers: a tier is listed twice"]


def _notice_problems(policy: Policy) -> list[str]:
    problems = []
    for name in Notices.model_fields:
        notice = policy.notice_rule(name)
        if isinstance(notice, Silent):
            continue
        if notice.required and not notice.audiences:
            problems.append(
                f"notices.{name}.audiences: a required notice needs its audiences "
                "(public, applicant_organization, district_media)"
            )
        if not notice.required:
            extra = [k for k in ("audiences", "requires_no_objection",
                                 "issues_reported_to_committee") if getattr(notice, k)]
            if extra:
                problems.append(
                    f"notices.{name}: a notice that is not required takes no "
                    f"{', '.join(f'`{k}`' for k in extra)}"
                )
    return problems


def _shortlist_problems(policy: Policy) -> list[str]:
    s = policy.shortlist
    if s.method == "ratio_of_awards" and s.max_ratio_of_awards is None:
        return ["shortlist.max_ratio_of_awards: method `ratio_of_awards` needs the ratio"]
    if s.method != "ratio_of_awards" and s.max_ratio_of_awards is not None:
        return [
            "shortlist.max_ratio_of_awards: only method `ratio_of_awards` takes a ratio "
            f"(method is `{s.method}`)"
        ]
    return []


def _in_force_problems(policy: Policy) -> list[str]:
    f = policy.in_force
    problems = []
    if (f.from_not_earlier_than is not None and f.from_not_later_than is not None
            and f.from_not_earlier_than > f.from_not_later_than):
        problems.append(
            "in_force.from_not_earlier_than: after `from_not_later_than` "
            f"({f.from_not_earlier_than} > {f.from_not_later_than})"
        )
    decision = policy.configured.get("in_force.from")
    by = f" (configured: {decision})" if decision else ""
    first = f.first_day
    if first is not None:
        if f.from_not_later_than is not None and first > f.from_not_later_than:
            problems.append(
                f"in_force.from: {first} is after from_not_later_than "
                f"{f.from_not_later_than}{by}"
            )
        if f.from_not_earlier_than is not None and first < f.from_not_earlier_than:
            problems.append(
                f"in_force.from: {first} is before from_not_earlier_than "
                f"{f.from_not_earlier_than}{by}"
            )
    return problems


def _criteria_problems(policy: Policy) -> list[str]:
    known = set(list_criteria())
    problems = []
    for track_id, track in policy.tracks.items():
        ids = [("criteria", track.criteria.value)] if given(track.criteria) else []
        if track.sector_criteria is not None:
            ids.extend((f"sector_criteria.{sector}", cid)
                       for sector, cid in track.sector_criteria.value.items())
        for key, cid in ids:
            if cid not in known:
                problems.append(
                    f"tracks.{track_id}.{key}: no criteria set `{cid}` in data/criteria "
                    f"(known: {', '.join(sorted(known))})"
                )
    return problems


def _walk_silences(obj: object, path: str) -> Iterator[tuple[str, Silent]]:
    for key, found in _walk_open(obj, path):
        if isinstance(found, Silent):
            yield key, found


def _walk_open(obj: object, path: str) -> Iterator[tuple[str, Silent | NoRule]]:
    if isinstance(obj, Silent | NoRule):
        yield path, obj
    elif isinstance(obj, BaseModel):
        for name, info in type(obj).model_fields.items():
            key = info.alias or name  # the key of the file (in_force.from)
            yield from _walk_open(getattr(obj, name), f"{path}.{key}" if path else key)
    elif isinstance(obj, tuple | list):
        for i, item in enumerate(obj):
            yield from _walk_open(item, f"{path}.{i}")
    elif isinstance(obj, Mapping):
        for k, v in obj.items():
            yield from _walk_open(v, f"{path}.{k}")


def silent_values(policy: Policy) -> list[tuple[str, Silent]]:
    """(dotted key, silence) for every value the regulation leaves open.

    The key is the one a configuration file uses to fill the value.
    """
    return list(_walk_silences(policy, ""))


def no_rules(policy: Policy) -> list[tuple[str, NoRule]]:
    """(dotted key, reason) for every rule the regulation does not have (``{none: ...}``)."""
    return [(k, v) for k, v in _walk_open(policy, "") if isinstance(v, NoRule)]


def _silence_problems(policy: Policy) -> list[str]:
    problems = []
    for key, s in silent_values(policy):
        text = s.silent.strip()
        if len("".join(text.split())) < SILENT_MIN_CHARS or text.lower() in SILENT_PLACEHOLDERS:
            problems.append(
                f"{key}.silent: {text!r} does not explain what the regulation leaves open; "
                f"say what is missing in at least {SILENT_MIN_CHARS} characters "
                "(e.g. '第二十条 grants 奖金 but no amount is given')"
            )
    return problems


CONSISTENCY_CHECKS: tuple[Callable[[Policy], list[str]], ...] = (
    _in_force_problems,
    _tier_problems,
    _criteria_problems,
    _quota_problems,
    _eligibility_problems,
    _after_award_problems,
    _fast_track_problems,
    _stage_order_problems,
    _exit_problems,
    _stage_notice_problems,
    _notice_problems,
    _shortlist_problems,
    _prize_problems,
    _silence_problems,
)


def consistency_problems(policy: Policy) -> list[str]:
    """Every inconsistency of a policy with itself that the schema cannot express."""
    return [p for check in CONSISTENCY_CHECKS for p in check(policy)]


def notice_titles_missing(policy: Policy, source_text: str) -> list[str]:
    """Notice titles said to be in the regulation's words that the source text does not
    contain (spaces and line breaks ignored)."""
    text = "".join(source_text.split())
    problems = []
    for name in Notices.model_fields:
        notice = policy.notice_rule(name)
        if isinstance(notice, Silent):
            continue
        if notice.title_zh is None or notice.title_derived is not None:
            continue
        if "".join(notice.title_zh.split()) not in text:
            problems.append(
                f"notices.{name}.title_zh: {notice.title_zh!r} is not in source.txt; use the "
                "regulation's own words, or explain in `title_derived` how the title was "
                "derived from what the text says is published"
            )
    return problems


# ---------------------------------------------------------------------------------------------
# Pinning: a digest of a policy's content, and what changed between two versions


def policy_digest(policy: Policy | Path) -> str:
    """SHA-256 (hex) of a policy's content: the canonical JSON of its model, so formatting
    and comments do not change it but every value, citation and configured value does.

    A path is loaded first (with no configuration file)."""
    if isinstance(policy, Path):
        policy = load_policy_file(policy)
    dumped = policy.model_dump(mode="json", by_alias=True)
    canonical = json.dumps(dumped, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def changed_values(old: Policy, new: Policy) -> list[DiffRow]:
    """Every rule whose value differs between two loaded policies (e.g. the version a cycle
    pinned and the one on disk now), keyed as ``qaward policy diff`` shows them. Unlike
    ``diff`` between districts, a changed id counts."""
    rows = diff(old, new)
    if old.id != new.id:
        a, b = flatten(old)["id"], flatten(new)["id"]
        rows.insert(0, DiffRow("id", a, b))
    return rows


# ---------------------------------------------------------------------------------------------
# Validating a file


def validate_file(path: Path, config: Path | None = None) -> Policy:
    """Load a policy file strictly (with the office's configuration file, if given), check it
    for consistency and check its citations against ``source.txt`` beside it; every problem
    found is reported at once."""
    policy = load_policy_file(path, config)
    problems = consistency_problems(policy)
    source = path.parent / "source.txt"
    if source.is_file():
        text = source.read_text(encoding="utf-8")
        problems += cited_articles_missing(policy, text)
        problems += cited_parts_missing(policy, SourceText.parse(text))
        problems += notice_titles_missing(policy, text)
    if problems:
        raise PolicyFileError(str(path), problems)
    return policy


def validate_all() -> Iterator[tuple[str, Policy | PolicyFileError]]:
    """Every known policy, each with its configuration file when QAWARD_CONFIG_DIR has one."""
    for pid, path in sorted(policy_files().items()):
        try:
            yield pid, validate_file(path, config_file(pid))
        except PolicyFileError as err:
            yield pid, err
