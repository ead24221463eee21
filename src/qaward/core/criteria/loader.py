"""Load criteria sets from YAML: every ``*.yaml`` in the package's ``data/criteria`` folder, plus
any extra folders given. The file name (without ``.yaml``) is the criteria id.

Loading is strict: YAML duplicate keys, unknown keys, missing keys, wrong types and inconsistent
points or bands all raise `PolicyFileError`, naming the file and each problem's key path.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from qaward.core.errors import PolicyFileError, QawardError

from .model import CriteriaSet

PathLike = str | Path


class UnknownCriteria(QawardError):
    def __init__(self, criteria_id: str, known: list[str]) -> None:
        self.criteria_id = criteria_id
        super().__init__(
            f"no criteria set `{criteria_id}`; known criteria sets: {', '.join(known) or 'none'}"
        )


def builtin_dir() -> Path:
    return Path(str(resources.files("qaward") / "data" / "criteria"))


def list_criteria(extra_dirs: Iterable[PathLike] = ()) -> list[str]:
    """Ids of every criteria set on file, sorted."""
    return sorted(_index(extra_dirs))


def load_criteria(criteria_id: str, extra_dirs: Iterable[PathLike] = ()) -> CriteriaSet:
    index = _index(extra_dirs)
    if criteria_id not in index:
        raise UnknownCriteria(criteria_id, sorted(index))
    return load_criteria_file(index[criteria_id])


def load_criteria_file(path: PathLike) -> CriteriaSet:
    path = Path(path)
    return _load(str(path), path.stem, path.read_text(encoding="utf-8"))


def _index(extra_dirs: Iterable[PathLike]) -> dict[str, Path]:
    index: dict[str, Path] = {}
    for folder in [builtin_dir(), *map(Path, extra_dirs)]:
        for path in sorted(folder.glob("*.yaml")):
            if path.stem in index:
                raise PolicyFileError(
                    str(path), [f"id: `{path.stem}` is already defined by {index[path.stem]}"]
                )
            index[path.stem] = path
    return index


@functools.lru_cache(maxsize=64)
def _load(file: str, stem: str, text: str) -> CriteriaSet:
    try:
        data = yaml.load(text, Loader=_StrictLoader)
    except yaml.YAMLError as exc:
        raise PolicyFileError(file, [f"not valid YAML: {exc}"]) from None
    if not isinstance(data, dict):
        raise PolicyFileError(file, ["(top level): must be a mapping of keys to values"])
    try:
        criteria = CriteriaSet.model_validate(data)
    except ValidationError as exc:
        raise PolicyFileError(file, [p for e in exc.errors() for p in _problems(e)]) from None
    if criteria.id != stem:
        raise PolicyFileError(file, [f"id: `{criteria.id}` must equal the file name `{stem}`"])
    return criteria


def _problems(error: ErrorDetails) -> list[str]:
    at = _key_path(error["loc"])
    if error["type"] == "missing":
        return [f"{at}: missing required key"]
    if error["type"] == "extra_forbidden":
        return [f"{at}: unknown key"]
    if error["type"] == "value_error" and not error["loc"]:
        # raised by CriteriaSet's consistency check: one problem per line, each with its path
        return str(error.get("ctx", {}).get("error", error["msg"])).splitlines()
    got = repr(error["input"])
    got = got if len(got) <= 60 else got[:57] + "..."
    return [f"{at}: {error['msg']} (got {got})"]


def _key_path(loc: tuple[int | str, ...]) -> str:
    path = ""
    for part in loc:
        path += f"[{part}]" if isinstance(part, int) else f".{part}" if path else str(part)
    return path or "(top level)"


class _StrictLoader(yaml.SafeLoader):
    """A SafeLoader that rejects duplicate keys instead of silently keeping the last one."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        keys = [self.construct_object(key, deep=deep) for key, _ in node.value]
        duplicates = sorted({str(k) for k in keys if keys.count(k) > 1})
        if duplicates:
            raise yaml.constructor.ConstructorError(
                None, None, f"duplicate key(s) {', '.join(duplicates)}", node.start_mark
            )
        return super().construct_mapping(node, deep=deep)
