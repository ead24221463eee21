"""``qaward assign``: the solver from the command line, on .npz files.

In-process through :func:`qaward.cli.main` with ``capsys``, and once through the installed
``qaward`` executable (exit code and stderr as a shell sees them, no traceback)."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from qaward.cli import main


def write(path: Path, **arrays: Any) -> Path:
    with open(path, "wb") as f:
        np.savez(f, **arrays)
    return path


def save_npy(path: Path) -> None:
    with open(path, "wb") as f:  # a .npy under an .npz name
        np.save(f, np.zeros(3))


def instance(**extra: Any) -> dict[str, Any]:
    rng = np.random.default_rng(3)
    n_p, n_r = 12, 6
    return {
        "affinity": rng.random((n_p, n_r)),
        "conflict": np.eye(n_p, n_r, dtype=bool),
        "min_load": np.full(n_r, 3),
        "max_load": np.full(n_r, 8),
        "demand": np.full(n_p, 3),
        **extra,
    }


def test_json_output_and_result_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "in.npz", **instance())
    out = tmp_path / "result"  # no .npz suffix: the file is written where asked
    assert main(["assign", "--npz", str(src), "--out", str(out), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"objective", "seconds", "valid"}
    assert printed["valid"] is True
    with np.load(out) as res:
        assert set(res.files) == {"assign"}
        a = res["assign"]
    data = instance()
    assert a.shape == (12, 6) and set(np.unique(a)) <= {0, 1}
    assert (a.sum(axis=1) == 3).all()
    assert not (a.astype(bool) & data["conflict"]).any()
    assert ((a.sum(axis=0) >= 3) & (a.sum(axis=0) <= 8)).all()
    assert printed["objective"] == pytest.approx(float(data["affinity"][a > 0].sum()))


def test_team_rules_write_the_leaders(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    can_lead = np.array([1, 0, 0, 1, 0, 0], bool)
    src = write(tmp_path / "in.npz",
                **instance(employer=np.array([0, 0, 1, 1, -1, -1]), can_lead=can_lead))
    for method in ("auto", "flow", "exact"):
        out = tmp_path / f"{method}.npz"
        assert main(["assign", "--npz", str(src), "--out", str(out), "--json",
                     "--method", method]) == 0
        assert json.loads(capsys.readouterr().out)["valid"] is True
        with np.load(out) as res:
            a, leaders = res["assign"], res["leaders"]
        assert all(a[p, leaders[p]] and can_lead[leaders[p]] for p in range(12))


def test_employer_where_possible(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "in.npz", **instance(employer=np.array([1, 1, 1, 2, 2, 2])))
    out = tmp_path / "o.npz"
    assert main(["assign", "--npz", str(src), "--out", str(out)]) == 2
    assert "only 2 distinct employers" in capsys.readouterr().err
    assert main(["assign", "--npz", str(src), "--out", str(out),
                 "--employer-where-possible"]) == 0
    assert "12 employer clash(es)" in capsys.readouterr().out  # one per team, no fewer


def test_plain_output(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "in.npz", **instance())
    assert main(["assign", "--npz", str(src), "--out", str(tmp_path / "o.npz")]) == 0
    assert "12 applications × 6 experts: 36 pairs" in capsys.readouterr().out


@pytest.mark.parametrize(("arrays", "stderr"), [
    (instance(demand=np.full(12, 9)),
     "total demand 108 exceeds total max_load 48"),
    (instance(conflict=np.ones((12, 6), bool) & (np.arange(6) < 4)),
     "application 0 needs 3 reviewers but only 2 experts are free of conflicts"),
    (instance(can_lead=np.zeros(6, bool)),
     "application 0: no lead-capable expert free of conflicts"),
    (instance(employer=np.array([1, 1, 1, 2, 2, 2])),
     "application 0: only 2 distinct employers among its eligible experts, it needs 3"),
])
def test_infeasible_exits_2_naming_the_constraint(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], arrays: dict[str, Any],
        stderr: str) -> None:
    src = write(tmp_path / "in.npz", **arrays)
    out = tmp_path / "o.npz"
    assert main(["assign", "--npz", str(src), "--out", str(out), "--json"]) == 2
    captured = capsys.readouterr()
    assert stderr in captured.err
    assert "infeasible [" in captured.err
    assert captured.out == "" and not out.exists()


@pytest.mark.parametrize(("make", "stderr"), [
    (lambda d: None, "no such file"),
    (lambda d: (d / "in.npz").write_text("not a zip"), "not a readable .npz file"),
    (lambda d: write(d / "in.npz", **{k: v for k, v in instance().items() if k != "demand"}),
     "missing key(s) demand"),
    (lambda d: write(d / "in.npz", **instance(extra=np.zeros(3))), "unknown key(s) extra"),
    (lambda d: write(d / "in.npz", **instance(min_load=np.full(5, 1))),
     "min_load: must be a vector of length 6"),
    (lambda d: write(d / "in.npz", **instance(affinity=np.full((12, 6), np.nan))),
     "affinity: application 0, expert 0 is nan"),
    (lambda d: write(d / "in.npz", **instance(employer=np.array([{"a": 1}] * 6))),
     "not a readable .npz file"),  # a pickled object array is refused, never unpickled
    (lambda d: save_npy(d / "in.npz"), "holds a single array"),
])
def test_bad_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str], make: Any,
                          stderr: str) -> None:
    make(tmp_path)
    assert main(["assign", "--npz", str(tmp_path / "in.npz"), "--out",
                 str(tmp_path / "o.npz")]) == 2
    err = capsys.readouterr().err
    assert stderr in err
    assert "Traceback" not in err


def test_unwritable_output_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = write(tmp_path / "in.npz", **instance())
    assert main(["assign", "--npz", str(src), "--out", str(tmp_path / "no" / "o.npz")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_installed_executable(tmp_path: Path) -> None:
    exe = shutil.which("qaward", path=str(Path(sys.executable).parent))
    assert exe, "the qaward entry point is installed beside the interpreter"
    ok = write(tmp_path / "ok.npz", **instance())
    run = subprocess.run([exe, "assign", "--npz", str(ok), "--out", str(tmp_path / "o.npz"),
                          "--json"], capture_output=True, text=True, check=False)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["valid"] is True
    bad = write(tmp_path / "bad.npz", **instance(demand=np.full(12, 9)))
    run = subprocess.run([exe, "assign", "--npz", str(bad), "--out", str(tmp_path / "b.npz")],
                         capture_output=True, text=True, check=False)
    assert run.returncode == 2
    assert "total demand 108 exceeds total max_load 48" in run.stderr
    assert "Traceback" not in run.stderr
