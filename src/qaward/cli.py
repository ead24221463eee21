"""The ``qaward`` command line.

Exit codes: 0 when the command did its work (an ineligible applicant is a result, not an
error); 1 when it could not (the message is on stderr); 2 for a malformed command line, and
for ``assign`` an instance file it cannot read or an instance no assignment can satisfy.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from collections.abc import Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from qaward.core.eligibility import ScreeningResult, read_profiles, screener
from qaward.core.errors import ConfigurationRequired, PolicyNotInForce, QawardError
from qaward.core.notices import notice_for
from qaward.core.policy import list_policies, load_policy
from qaward.core.policy.inspect import (
    NO_RULE,
    SILENT,
    diff,
    flatten,
    policy_digest,
    source_of,
    validate_all,
    validate_file,
    with_text,
)
from qaward.core.policy.loader import BrokenPolicy, config_file, load_each, policy_files
from qaward.core.policy.model import Policy, Silent, is_none
from qaward.core.states import NoticeId
from qaward.core.workdays import (
    full_date_en,
    full_date_zh,
    import_year_file,
    load_default_calendar,
    today_shanghai,
)

NOTICE_STAGES = tuple(n.value for n in NoticeId)


def _date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"invalid date {text!r}: write it as YYYY-MM-DD, e.g. 2026-09-28"
        ) from None


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


# ---------------------------------------------------------------------------------------------
# policy


def cmd_policy_list(args: argparse.Namespace) -> int:
    """Every loadable policy; a broken folder is reported on stderr (its file and first
    problem) after the others are listed, and the exit code is 1."""
    rows, policies, broken = [], [], []
    for pid, p in load_each():
        if isinstance(p, BrokenPolicy):
            broken.append(p)
            continue
        f = p.in_force
        start = f.first_day or (f"≤{f.from_not_later_than}" if f.from_not_later_than
                                else "— (not settled: configure in_force.from)")
        policies.append(p)
        rows.append((pid, p.jurisdiction.name_zh, p.title_zh, _value(p.document_number),
                     f"{start} … {f.until or ''} ({f.cite})"))
    if args.json:
        # digest: what a cycle pins (qaward.core.policy.inspect.policy_digest).
        _print_json([{**dict(zip(("id", "jurisdiction", "title", "document", "in_force"), r,
                                 strict=True)), "digest": policy_digest(p)}
                     for r, p in zip(rows, policies, strict=True)])
    else:
        for r in rows:
            print("  ".join(str(c) for c in r))
    for b in broken:
        print(f"BROKEN {b.policy_id}: {b.path}: {b.first_problem}", file=sys.stderr)
    return 1 if broken else 0


def _value(v: Any) -> str:
    if isinstance(v, Silent):
        return f"— ({v.silent})"
    return f"none ({v.none})" if is_none(v) else str(v.value)


def cmd_policy_show(args: argparse.Namespace) -> int:
    p = load_policy(args.policy)
    if args.json:
        _print_json(p.model_dump(mode="json", by_alias=True))
        return 0
    print(f"{p.id}  {p.title_zh}  {_value(p.document_number)}")
    print(f"{p.jurisdiction.name_zh} ({p.jurisdiction.id})")
    if args.with_text:
        _print_with_text(p)
    else:
        for rule in flatten(p).values():
            print(f"  {rule.key} = {rule.value}   [{rule.cite}]")
    if p.configured:
        print("configured by the office:")
        for key, decision in p.configured.items():
            print(f"  {key}: {decision}")
    return 0


def _print_with_text(p: Policy) -> None:
    """Each run of values sharing a citation, then the text it cites from source.txt."""
    source = source_of(p.id)
    if source is None:
        raise QawardError(f"{p.id}: no source.txt beside the policy file, so no text to show")
    for rules, found in with_text(p, source):
        for rule in rules:
            print(f"  {rule.key} = {rule.value}   [{rule.cite}]")
        cite = rules[0].cite
        if not cite:
            continue
        if found is None:
            print(f"      ! {cite} is not in source.txt")
            continue
        if not found.precise:
            print(f"      ! {found.note}")
        for line in found.text.splitlines():
            print(f"      │ {line}")


def cmd_policy_diff(args: argparse.Namespace) -> int:
    a, b = load_policy(args.left), load_policy(args.right)
    rows = diff(a, b)
    if args.json:
        _print_json([
            {"rule": r.key,
             a.id: None if r.left is None else {"value": r.left.value, "article": r.left.cite},
             b.id: None if r.right is None else {"value": r.right.value, "article": r.right.cite}}
            for r in rows
        ])
        return 0
    print(f"{len(rows)} rule(s) differ between {a.id} and {b.id}")
    for r in rows:
        print(f"{r.key}")
        for pid, side in ((a.id, r.left), (b.id, r.right)):
            print(f"  {pid}: " + ("(absent)" if side is None else f"{side.value} [{side.cite}]"))
    return 0


def cmd_policy_validate(args: argparse.Namespace) -> int:
    failed = 0
    targets: list[tuple[str, Any]] = []
    if args.all or not args.targets:
        targets.extend(validate_all())
    for t in args.targets:
        path = Path(t)
        if path.is_dir():
            path = path / "policy.yaml"
        try:
            if path.is_file():
                targets.append((t, validate_file(path)))
            elif t in policy_files():
                targets.append((t, validate_file(policy_files()[t], config_file(t))))
            else:
                targets.append((t, load_policy(t)))  # raises UnknownPolicy with the known ids
        except QawardError as err:
            targets.append((t, err))
    for name, result in targets:
        if isinstance(result, Exception):
            failed += 1
            print(f"FAIL {name}\n{result}", file=sys.stderr)
        else:
            rules = flatten(result).values()
            silent = sum(1 for r in rules if r.value.startswith(SILENT))
            none = sum(1 for r in rules if r.value.startswith(f"{NO_RULE} ("))
            print(f"ok   {name}: {len(rules)} values, {silent} left open by the "
                  f"regulation, {none} rules it does not have")
    return 1 if failed else 0


# ---------------------------------------------------------------------------------------------
# screen


def _result_line(r: ScreeningResult) -> str:
    mark = "✓ 符合" if r.verdict == "eligible" else "✗ 不符合"
    extra = []
    if r.fast_track:
        extra.append(f"可直接进入资料评审 fast track [{r.fast_track_article}]")
    if r.barred_until:
        extra.append(f"barred until {r.barred_until}")
    for e in r.excluded_tiers:  # 曾获奖项: this tier may not be received again
        extra.append(f"not for {e.tier} until {e.until} [{e.article}]")
    if r.manual_checks:
        extra.append(f"{len(r.manual_checks)} manual check(s)")
    head = f"{mark}  {r.id}  {r.name}" + (f"  ({'; '.join(extra)})" if extra else "")
    lines = [head]
    lines.extend(f"      - {x.message_zh} / {x.message_en} [{x.article}]" for x in r.reasons)
    return "\n".join(lines)


def screen_file(policy: Policy, on: dt.date, path: Path) -> tuple[list[ScreeningResult], list[str]]:
    """Screen every record of a file; problems of single records are returned, not raised."""
    batch = read_profiles(path)
    s = screener(policy, on)
    results, errors = [], []
    for rec in batch.records:
        if isinstance(rec, QawardError):
            errors.append(str(rec))
            continue
        try:
            results.append(s.screen(rec))
        except ConfigurationRequired as err:
            errors.append(f"record {rec.id}: {err}")
    return results, errors


def cmd_screen(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy)
    on = args.on or today_shanghai()
    results, errors = screen_file(policy, on, Path(args.file))
    if args.json:
        _print_json([r.to_json() for r in results])
    else:
        ok = sum(r.verdict == "eligible" for r in results)
        print(f"{policy.id} ({policy.title_zh}) on {on}: {ok} eligible, "
              f"{len(results) - ok} ineligible, {len(errors)} record error(s)")
        for r in results:
            print(_result_line(r))
    if args.out:
        from qaward.exports import write_screening_xlsx

        write_screening_xlsx(Path(args.out), policy, on, results)
        print(f"wrote {args.out}", file=sys.stderr)
    for e in errors:
        print(f"error: {e}", file=sys.stderr)
    return 1 if errors else 0


# ---------------------------------------------------------------------------------------------
# calendar


def cmd_is_workday(args: argparse.Namespace) -> int:
    cal = load_default_calendar()
    work = cal.is_workday(args.date)
    print(json.dumps({"date": args.date.isoformat(), "workday": work}) if args.json
          else ("工作日 workday" if work else "休息日 rest day"))
    return 0


def cmd_notice(args: argparse.Namespace) -> int:
    policy = load_policy(args.policy)
    result = notice_for(policy, args.stage, args.start)
    if args.json:
        _print_json(result)
    else:
        published = dt.date.fromisoformat(result["start"])
        print(f"{result['period_zh']}（{full_date_zh(published)}发布；{result['rule']}，"
              f"{policy.id} {result['article']}；计算依据：{result['counting_zh']}）")
        print(f"{result['period_en']} (published {full_date_en(published)}; "
              f"{policy.id} {result['article']}; counted by {result['counting_en']})")
    return 0


def cmd_calendar_import(args: argparse.Namespace) -> int:
    schedule = import_year_file(args.file)
    state = "complete" if schedule.complete else "INCOMPLETE (not used for counting)"
    print(f"imported {schedule.year}: {len(schedule.holidays)} holidays, "
          f"{len(schedule.working_weekends)} working weekend days, {state}")
    return 0


# ---------------------------------------------------------------------------------------------
# audit


def cmd_audit_verify(args: argparse.Namespace) -> int:
    """Check the web application's audit log (hash chain) in the configured database."""
    import os

    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "qaward.web.settings")
    django.setup()
    from django.core.management import call_command
    from django.core.management.base import CommandError

    try:
        call_command("audit_verify")  # the same check as `qaward-manage audit_verify`
    except CommandError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    return 0


# ---------------------------------------------------------------------------------------------
# assign: the reviewer-assignment solver on an .npz instance (docs/assignment.md)

ASSIGN_KEYS = ("affinity", "conflict", "min_load", "max_load", "demand")
ASSIGN_OPTIONAL = ("employer", "can_lead", "forced")


def _read_instance(path: Path, *, employer_strict: bool = True) -> Any:
    """The instance in an .npz file; QawardError naming the file and the problem."""
    import zipfile

    import numpy as np

    from qaward.core.review.assignment import Instance, InvalidInstance

    try:
        data = np.load(path, allow_pickle=False)
        if not isinstance(data, np.lib.npyio.NpzFile):
            raise QawardError(f"{path}: holds a single array (.npy), not an .npz of named "
                              f"arrays {', '.join(ASSIGN_KEYS)}")
        with data:
            arrays: dict[str, Any] = {k: data[k] for k in data.files}
    except FileNotFoundError:
        raise QawardError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise QawardError(f"{path}: is a directory, not an .npz file") from None
    except (zipfile.BadZipFile, ValueError, OSError, EOFError) as err:
        raise QawardError(f"{path}: not a readable .npz file of arrays ({err})") from None
    missing = [k for k in ASSIGN_KEYS if k not in arrays]
    if missing:
        raise QawardError(
            f"{path}: missing key(s) {', '.join(missing)}; an instance holds "
            f"{', '.join(ASSIGN_KEYS)} and optionally {', '.join(ASSIGN_OPTIONAL)} "
            "(docs/assignment.md)")
    unknown = sorted(set(arrays) - set(ASSIGN_KEYS) - set(ASSIGN_OPTIONAL))
    if unknown:
        raise QawardError(f"{path}: unknown key(s) {', '.join(unknown)}; known: "
                          f"{', '.join(ASSIGN_KEYS + ASSIGN_OPTIONAL)}")
    try:
        return Instance(arrays["affinity"], arrays["conflict"], arrays["min_load"],
                        arrays["max_load"], arrays["demand"], employer=arrays.get("employer"),
                        can_lead=arrays.get("can_lead"), forced=arrays.get("forced"),
                        employer_strict=employer_strict)
    except InvalidInstance as err:
        raise QawardError(f"{path}: {err}") from None


def cmd_assign(args: argparse.Namespace) -> int:
    import numpy as np

    from qaward.core.review.assignment import Infeasible, solve, violations

    try:
        instance = _read_instance(Path(args.npz),
                                  employer_strict=not args.employer_where_possible)
    except QawardError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    try:
        result = solve(instance, method=args.method, time_limit=args.time_limit)
    except Infeasible as err:
        where = f" (application {err.application})" if err.application is not None else ""
        print(f"infeasible [{err.constraint}]{where}:\n  {err.message_zh}\n  {err.message_en}",
              file=sys.stderr)
        return 2
    problems = violations(instance, result.assign)
    out: dict[str, Any] = {"assign": result.assign}
    if instance.can_lead is not None:
        out["leaders"] = result.leaders
    try:
        with open(args.out, "wb") as f:  # a file object: numpy adds no ".npz" of its own
            np.savez_compressed(f, **out)
    except OSError as err:
        print(f"error: cannot write {args.out}: {err.strerror or err}", file=sys.stderr)
        return 2
    if args.json:
        print(json.dumps({"objective": result.objective, "seconds": result.seconds,
                          "valid": not problems}))
    else:
        n_p, n_r = instance.shape
        clashes = f", {result.clashes} employer clash(es)" if result.clashes else ""
        print(f"{n_p} applications × {n_r} experts: {int(result.assign.sum())} pairs, "
              f"objective {result.objective:.6g} ({result.method}, {result.seconds:.3f} s"
              f"{clashes}); wrote {args.out}")
    for problem in problems:
        print(f"error: the result breaks a rule: {problem}", file=sys.stderr)
    return 1 if problems else 0


# ---------------------------------------------------------------------------------------------
# demo: the main job


def cmd_demo(args: argparse.Namespace) -> int:
    examples = Path(str(resources.files("qaward") / "data" / "examples"))
    today = args.on or today_shanghai()
    print(f"qaward demo — screening the bundled example applicants under every policy "
          f"(today in Asia/Shanghai: {today})\n")
    status = 0
    for pid in list_policies():
        policy = load_policy(pid)
        file = examples / f"{pid}.json"
        if not file.is_file():
            continue
        on = today
        try:
            screener(policy, on)
        except PolicyNotInForce as err:
            assert policy.in_force.until is not None
            on = policy.in_force.until
            print(f"[{pid}] {err}; screening on its last day in force, {on}, instead")
        results, errors = screen_file(policy, on, file)
        ok = sum(r.verdict == "eligible" for r in results)
        print(f"== {pid}  {policy.title_zh}  screened on {on}: {ok} eligible, "
              f"{len(results) - ok} ineligible")
        for r in results:
            print(_result_line(r))
        for e in errors:
            status = 1
            print(f"error: {e}", file=sys.stderr)
        print()
    return status


# ---------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="qaward", description="qaward command line")
    sub = parser.add_subparsers(dest="command", required=True)

    pol = sub.add_parser("policy", help="list, show, diff and validate regulation versions")
    psub = pol.add_subparsers(dest="action", required=True)
    p = psub.add_parser("list", help="the regulation versions known to qaward")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_policy_list)
    p = psub.add_parser("show", help="every rule of a policy with its article")
    p.add_argument("policy")
    p.add_argument("--with-text", action="store_true",
                   help="print beside the values the text of the article they cite")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_policy_show)
    p = psub.add_parser("diff", help="rule-by-rule differences between two policies")
    p.add_argument("left")
    p.add_argument("right")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_policy_diff)
    p = psub.add_parser("validate", help="check policy files (ids, folders or policy.yaml files)")
    p.add_argument("targets", nargs="*")
    p.add_argument("--all", action="store_true", help="every known policy (the default)")
    p.set_defaults(func=cmd_policy_validate)

    p = sub.add_parser("screen", help="screen applicant profiles for eligibility (资格审查)")
    p.add_argument("--policy", required=True)
    p.add_argument("--on", type=_date, help="screening date (default: today in Asia/Shanghai)")
    p.add_argument("--json", action="store_true", help="print a JSON list, one object each")
    p.add_argument("--out", help="also write the results to an .xlsx workbook")
    p.add_argument("file", help="profiles as .json, .csv or .xlsx")
    p.set_defaults(func=cmd_screen)

    cal = sub.add_parser("calendar", help="official working days and notice windows (公示)")
    csub = cal.add_subparsers(dest="action", required=True)
    p = csub.add_parser("is-workday", help="is DATE an official working day?")
    p.add_argument("date", type=_date)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_is_workday)
    p = csub.add_parser("notice", help="the window of a policy's notice published on a date")
    p.add_argument("--policy", required=True)
    p.add_argument("--stage", required=True, choices=NOTICE_STAGES)
    p.add_argument("--start", required=True, type=_date)
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_notice)
    p = csub.add_parser("import", help="import a year's State Council holiday schedule")
    p.add_argument("file")
    p.set_defaults(func=cmd_calendar_import)

    aud = sub.add_parser("audit", help="the audit log of the web application")
    asub = aud.add_subparsers(dest="action", required=True)
    p = asub.add_parser("verify", help="check the hash chain (QAWARD_DATABASE_URL selects the db)")
    p.set_defaults(func=cmd_audit_verify)

    p = sub.add_parser("assign", help="assign reviewers to applications (an .npz instance)")
    p.add_argument("--npz", required=True, help="the instance: affinity, conflict, min_load, "
                   "max_load, demand; optionally employer, can_lead, forced")
    p.add_argument("--out", required=True, help="the result .npz: assign (and leaders)")
    p.add_argument("--json", action="store_true",
                   help='print {"objective": …, "seconds": …, "valid": …}')
    p.add_argument("--method", choices=("auto", "flow", "exact"), default="auto")
    p.add_argument("--employer-where-possible", action="store_true",
                   help="read the employer rule as 'where possible': fewest clashes first")
    p.add_argument("--time-limit", type=float, default=None,
                   help="seconds allowed to each MIP (only with employer and can_lead together)")
    p.set_defaults(func=cmd_assign)

    p = sub.add_parser("demo", help="the main job: screen the bundled examples under every policy")
    p.add_argument("--on", type=_date, help="date to screen on (default: today)")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    func: Callable[[argparse.Namespace], int] = args.func
    try:
        return func(args)
    except QawardError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
