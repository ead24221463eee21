"""Loading policy files strictly, with messages that name the file, the key and the problem.

Policies live in ``data/policies/<id>/policy.yaml`` inside the package, plus any directory
named in ``QAWARD_POLICY_DIRS`` (colon-separated) for a district's own regulations. What a
regulation leaves open (``{silent: ...}``) may be filled by a configuration file
``<id>.yaml`` in ``QAWARD_CONFIG_DIR``; configuration can never override what the
regulation itself sets.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import ValidationError

from qaward.core.errors import (
    ConfigurationRequired,
    NoSuchRule,
    PolicyFileError,
    QawardError,
    UnknownPolicy,
)
from qaward.core.policy.model import Jurisdiction, NoRule, Place, Policy, Silent

T = TypeVar("T")

# Union tags of OrSilent, OrNone and OpenLeaf: not keys of the file.
_TAGS = {"is-given", "is-silent", "is-none", "plain", "cited"}


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate keys instead of silently keeping the last one."""


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode) -> dict[Any, Any]:
    seen: set[Any] = set()
    for key_node, _ in node.value:
        key = loader.construct_object(key_node)
        if key in seen:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key `{key}`", key_node.start_mark
            )
        seen.add(key)
    return dict(loader.construct_mapping(node))


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def read_yaml(path: Path) -> Any:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise PolicyFileError(str(path), [f"cannot read: {exc.strerror}"]) from exc
    except UnicodeDecodeError as exc:
        raise PolicyFileError(str(path), [f"not UTF-8 text: {exc.reason}"]) from exc
    return parse_yaml_text(text, file=str(path))


def parse_yaml_text(text: str, *, file: str) -> Any:
    """YAML text parsed strictly (duplicate keys refused); ``file`` names it in messages."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # a SafeLoader subclass
    except yaml.YAMLError as exc:
        raise PolicyFileError(file, [f"not valid YAML: {exc}"]) from exc


def format_validation_error(exc: ValidationError) -> list[str]:
    problems = []
    for err in exc.errors():
        loc = ".".join(str(p) for p in err["loc"] if str(p) not in _TAGS and not _is_union_tag(p))
        kind = err["type"]
        if kind == "extra_forbidden":
            msg = "unknown key (check its spelling against docs/policy-guide.md)"
        elif kind == "missing":
            msg = "missing key"
            if loc.endswith("cite"):
                msg = "missing citation: every value must name its article (cite: 第N条)"
        else:
            msg = err["msg"]
            if "input" in err and kind not in ("value_error", "assertion_error"):
                msg += f" (got {err['input']!r})"
        problems.append(f"{loc or '<top>'}: {msg}")
    return problems


def _is_union_tag(part: object) -> bool:
    # pydantic puts the chosen union member's name in the location, e.g. "Cited[int]".
    return isinstance(part, str) and "[" in part


def policy_dirs() -> list[Path]:
    dirs = [Path(str(resources.files("qaward") / "data" / "policies"))]
    extra = os.environ.get("QAWARD_POLICY_DIRS", "")
    dirs.extend(Path(p) for p in extra.split(os.pathsep) if p)
    return dirs


def policy_files() -> dict[str, Path]:
    return dict(_scan_policy_dirs(tuple(policy_dirs())))


@cache
def _scan_policy_dirs(dirs: tuple[Path, ...]) -> tuple[tuple[str, Path], ...]:
    # Scanned once per set of folders: every page of the web layer looks a policy up, and
    # policies are installed with the application, not while it runs.
    found: dict[str, Path] = {}
    for base in dirs:
        if not base.is_dir():
            continue
        for sub in sorted(base.iterdir()):
            f = sub / "policy.yaml"
            if f.is_file():
                found[sub.name] = f
    return tuple(found.items())


def list_policies() -> list[str]:
    return sorted(policy_files())


def config_file(policy_id: str) -> Path | None:
    base = os.environ.get("QAWARD_CONFIG_DIR")
    if not base:
        return None
    f = Path(base) / f"{policy_id}.yaml"
    return f if f.is_file() else None


def parse_policy(raw: Any, *, file: str, folder_name: str | None = None) -> Policy:
    if not isinstance(raw, Mapping):
        raise PolicyFileError(file, ["<top>: a policy file must be a mapping of keys"])
    try:
        policy = Policy.model_validate(raw)
    except ValidationError as exc:
        raise PolicyFileError(file, format_validation_error(exc)) from None
    if folder_name is not None and policy.id != folder_name:
        raise PolicyFileError(
            file, [f"id: `{policy.id}` does not match its folder name `{folder_name}`"]
        )
    return policy


def load_policy_file(path: Path, config: Path | None = None) -> Policy:
    raw = read_yaml(path)
    if config is not None:
        raw = apply_configuration(raw, read_yaml(config), file=str(config))
    # The folder's name from the absolute path: `policy.yaml` given from inside its folder
    # has the parent `.`, whose name is empty.
    return parse_policy(raw, file=str(path), folder_name=path.absolute().parent.name)


def load_policy_text(text: str, *, config_text: str | None = None,
                     source: str = "<stored policy>", folder_name: str | None = None) -> Policy:
    """A policy from its stored text (and its configuration's text, if it had one), with the
    same strict validation as a file: what a cycle pinned is loaded as it was, whatever the
    file on disk says now. ``source`` names the text in messages."""
    raw = parse_yaml_text(text, file=source)
    if config_text is not None:
        config_source = f"{source} (configuration)"
        if not isinstance(raw, Mapping):
            raise PolicyFileError(source, ["<top>: a policy file must be a mapping of keys"])
        raw = apply_configuration(raw, parse_yaml_text(config_text, file=config_source),
                                  file=config_source)
    return parse_policy(raw, file=source, folder_name=folder_name)


@cache
def _load_cached(policy_id: str, path: str, config: str | None) -> Policy:
    return load_policy_file(Path(path), Path(config) if config else None)


def load_policy(policy_id: str) -> Policy:
    files = policy_files()
    if policy_id not in files:
        raise UnknownPolicy(policy_id, sorted(files))
    cfg = config_file(policy_id)
    return _load_cached(policy_id, str(files[policy_id]), str(cfg) if cfg else None)


def load_all() -> list[Policy]:
    return [load_policy(pid) for pid in list_policies()]


@dataclass(frozen=True)
class BrokenPolicy:
    """A policy folder whose file cannot be loaded: its id (the folder's name), its file
    and the error naming every problem."""

    policy_id: str
    path: Path
    error: QawardError

    @property
    def first_problem(self) -> str:
        problems = getattr(self.error, "problems", None)
        return str(problems[0]) if problems else str(self.error)


def load_each() -> Iterator[tuple[str, Policy | BrokenPolicy]]:
    """Every known policy id with its loaded policy, or what is wrong with its file: one
    broken folder does not hide the others."""
    files = policy_files()
    for pid in sorted(files):
        try:
            yield pid, load_policy(pid)
        except QawardError as err:
            yield pid, BrokenPolicy(pid, files[pid], err)


@dataclass(frozen=True)
class KnownPlaces:
    """Every district and city the known policies name: the engine tells a record of another
    known place (it does not bar) from a name it cannot read (a manual check)."""

    districts: tuple[Jurisdiction, ...]
    cities: tuple[Place, ...]


def known_places() -> KnownPlaces:
    """The jurisdictions (and their cities) of every policy that loads; a broken policy file
    adds nothing here (``qaward policy validate`` reports it)."""
    return _known_places(tuple(policy_files().items()))


@cache
def _known_places(files: tuple[tuple[str, Path], ...]) -> KnownPlaces:
    districts: dict[str, Jurisdiction] = {}
    cities: dict[str, Place] = {}
    for pid, _path in files:
        try:
            j = load_policy(pid).jurisdiction
        except QawardError:
            continue
        districts.setdefault(j.id, j)
        if j.city is not None:
            cities.setdefault(j.city.name_zh, j.city)
    return KnownPlaces(tuple(districts.values()), tuple(cities.values()))


# ---------------------------------------------------------------------------------------------
# Configuration of what the regulation leaves open


def apply_configuration(raw: Any, config: Any, *, file: str) -> Any:
    """Fill ``{silent: ...}`` places of a raw policy with the office's configured values.

    The configuration file is ``{policy: ID, values: {dotted.key: {...value, cite: ...}}}``.
    Each configured value must cite the office's decision; a key whose regulation value is
    not silent is refused, so configuration can never override the regulation.
    """
    problems: list[str] = []
    if not isinstance(config, Mapping) or set(config) - {"policy", "values"}:
        raise PolicyFileError(file, ["<top>: expected keys `policy` and `values`"])
    if config.get("policy") != raw.get("id"):
        problems.append(f"policy: `{config.get('policy')}` is not `{raw.get('id')}`")
    values = config.get("values")
    if not isinstance(values, Mapping):
        raise PolicyFileError(file, [*problems, "values: expected a mapping of dotted keys"])
    out = copy.deepcopy(raw)
    for key, value in values.items():
        if str(key).split(".")[0] == "notice_counting":
            problems.extend(_configure_counting(out, str(key), value))
            continue
        parent, last = _walk(out, str(key))
        if parent is None:
            problems.append(f"values.{key}: no such key in the policy")
            continue
        current = parent[last]
        if isinstance(current, Mapping) and "none" in current:
            problems.append(
                f"values.{key}: the regulation has no such rule ({current['none']}); "
                "configuration may only fill what the regulation leaves open ({silent: ...}), "
                "never add a rule the regulation does not have ({none: ...})"
            )
            continue
        is_open = current is None or (isinstance(current, Mapping) and "silent" in current)
        if not is_open:
            problems.append(
                f"values.{key}: the regulation sets this value; configuration may only fill "
                "what the regulation leaves open ({silent: ...})"
            )
            continue
        if isinstance(value, Mapping) and ("none" in value or "silent" in value):
            problems.append(
                f"values.{key}: a configuration gives a value (with `cite` naming the "
                "office's decision), not `{none: ...}` or `{silent: ...}`")
            continue
        if not isinstance(value, Mapping) or not str(value.get("cite", "")).strip():
            problems.append(f"values.{key}: must be a mapping with `cite` naming the decision")
            continue
        decision = str(value["cite"])
        if current is None:  # a plain value the text does not print (e.g. in_force.from)
            if "value" not in value:
                problems.append(f"values.{key}: give `value` and `cite`")
                continue
            parent[last] = value["value"]
        else:
            parent[last] = _from_configuration(value)
        out.setdefault("configured", {})[str(key)] = decision
    if problems:
        raise PolicyFileError(file, problems)
    return out


COUNTING_KEY = "notice_counting.publication_day_counts"


def _configure_counting(out: Any, key: str, value: Any) -> list[str]:
    """The one counting choice an office may make: the publication day is day 1, citing its
    decision. Only where the regulation states no counting (the law applies otherwise)."""
    if key != COUNTING_KEY:
        return [f"values.{key}: the only counting choice configuration may make is "
                f"`{COUNTING_KEY}: {{value: true, cite: ...}}` (the publication day is day 1); "
                "everything else follows 民法典 第二百零一条、第二百零三条"]
    if out.get("notice_counting") is not None:
        return [f"values.{key}: the regulation states how notices are counted "
                f"({out['notice_counting'].get('cite')}); configuration cannot change it"]
    if not isinstance(value, Mapping) or not str(value.get("cite", "")).strip():
        return [f"values.{key}: must be a mapping with `cite` naming the decision"]
    if set(value) - {"value", "cite", "note"}:
        return [f"values.{key}: expected `value`, `cite` and optionally `note`"]
    if value.get("value") is not True:
        return [f"values.{key}: the only choice is `value: true` (the publication day is "
                "day 1); without it the law applies (民法典 第二百零一条: not counted)"]
    out["notice_counting"] = {"publication_day_counts": True, "cite": str(value["cite"]),
                              "source": "configuration",
                              **({"note": value["note"]} if value.get("note") else {})}
    out.setdefault("configured", {})[key] = str(value["cite"])
    return []


def _from_configuration(value: Mapping[str, Any]) -> dict[str, Any]:
    """A configured value, marked as the office's: the value itself and every cited value
    inside a configured block (an appeal's time limit) cite the office's decision."""
    out = {k: (_from_configuration(v) if isinstance(v, Mapping) and "value" in v else v)
           for k, v in value.items()}
    return {**out, "source": "configuration"}


def _walk(raw: Any, dotted: str) -> tuple[Any, Any]:
    node = raw
    parts = dotted.split(".")
    for part in parts[:-1]:
        node = _step(node, part)
        if node is None:
            return None, None
    last: Any = parts[-1]
    if isinstance(node, list) and last.isdigit() and int(last) < len(node):
        return node, int(last)
    if isinstance(node, dict) and last in node:
        return node, last
    return None, None


def _step(node: Any, part: str) -> Any:
    if isinstance(node, dict):
        return node.get(part)
    if isinstance(node, list) and part.isdigit() and int(part) < len(node):
        return node[int(part)]
    return None


def require(policy: Policy, value: T | Silent | NoRule, key: str) -> T:
    """The value, or a clear request to configure what the regulation leaves open
    (ConfigurationRequired naming ``key``). Callers check :func:`is_none` first where the
    rule may not exist; asking for a rule the regulation does not have raises NoSuchRule."""
    if isinstance(value, Silent):
        raise ConfigurationRequired(policy.id, key, value.silent)
    if isinstance(value, NoRule):
        raise NoSuchRule(policy.id, key, value.none)
    return value


def iter_citations(policy: Policy) -> Iterable[tuple[str, str]]:
    """(dotted key, citation) for every cited value in a policy, for listings and diffs."""

    def walk(obj: Any, path: str) -> Iterable[tuple[str, str]]:
        if isinstance(obj, Mapping):
            if "cite" in obj and isinstance(obj["cite"], str):
                yield path, obj["cite"]
            for k, v in obj.items():
                yield from walk(v, f"{path}.{k}" if path else str(k))
        elif isinstance(obj, list | tuple):
            for i, v in enumerate(obj):
                yield from walk(v, f"{path}.{i}")

    yield from walk(policy.model_dump(by_alias=True), "")
