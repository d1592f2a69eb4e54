"""The benchmark command ``python -m optlib.bench``: its quick report has every section, and the
numbers in it are consistent (ratios agree with the columns they are computed from, summaries
with their tables, the loops follow optlib's update rules, the memory stays small); its helpers
count and judge as documented. Timings themselves are never asserted."""

from __future__ import annotations

import math
import re
import statistics
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from optlib import bench
from optlib.problems import Quadratic, mgh

ROOT = Path(__file__).resolve().parents[1]
FIRST_ORDER_ROW = re.compile(
    r"^(GradientDescent|Momentum|Adam)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+"
    r"([\d.]+)x\s+([\d.]+)x\s+([\d.]+)x\s+(\d+|-)\s+(\S+)$"
)
MEMORY_ROW = re.compile(
    r"^(default history|keep_x=True)\s+([\d,]+)\s+(\d+)\s+(not kept|kept \((\d+), (\d+)\))\s+"
    r"([\d.]+)\s+([\d.]+)$"
)
LBFGS_ROW = re.compile(
    r"^\s*(\d+)?\s+(optlib LBFGS|SciPy L-BFGS-B)\s+(\d+)\s+(\d+)\s+([\d.]+)\s+(\S+)\s+(\S+)\s+"
    r"(\d+|-)\s+(\S+)$"
)
LBFGS_RATIO = re.compile(r"ratio optlib/SciPy n=(\d+): calls ([\d.]+)x, time ([\d.]+)x")
SUITE_ROW = re.compile(
    r"^(\w+)\s+(\d+)\s+(\S+)\s+(yes|no)\s+(\d+)\s+(\d+|-)\s+(yes|no)\s+(\d+)\s+(\d+|-)"
    r"(?:\s+([\d.]+))?$"
)
SUITE_SUMMARY = re.compile(
    r"^summary (\S+): solved optlib (\d+)/(\d+), SciPy (\d+)/(\d+); median ratio over (\d+) "
    r"both solved: to solution (\S+), whole run (\S+)$"
)


def close(printed, exact, decimals):
    """A value printed with ``decimals`` decimals agrees with the exact one."""
    return abs(printed - exact) <= 0.5 * 10.0**-decimals + 1e-3 * abs(exact)


def ratio_of_printed(ratio, a, b, decimals):
    """A ratio printed with 2 decimals agrees with a / b, where a and b were printed with
    ``decimals`` decimals (so each is known to half a unit of its last digit)."""
    h = 0.5 * 10.0**-decimals
    return (a - h) / (b + h) - 0.005 - 1e-9 <= ratio <= (a + h) / (b - h) + 0.005 + 1e-9


@pytest.fixture(scope="module")
def report():
    """The quick report, run as the command a user types (a subprocess)."""
    done = subprocess.run(
        [sys.executable, "-m", "optlib.bench", "--quick"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def lines_between(lines, start, end=None):
    i = next(k for k, line in enumerate(lines) if line.startswith(start))
    j = next((k for k, line in enumerate(lines) if end and line.startswith(end)), len(lines))
    return lines[i:j]


def test_the_report_has_its_header_and_every_section(report):
    assert report[0] == "optlib benchmark (quick report)"
    load = next(line for line in report if line.startswith("load average at start:"))
    assert len(re.findall(r"\d+\.\d\d", load.split("(")[0])) == 3
    assert "BLAS threads: OPENBLAS_NUM_THREADS=1" in report[2]  # --blas-threads 1 by default
    for title in (
        "1. First-order methods: time per iteration at n = 100,000",
        "1b. Memory of a run",
        "2. L-BFGS against SciPy's L-BFGS-B on the extended Rosenbrock function (m = 10)",
        "3. Evaluations to solution against SciPy on the MGH suite (3 problems)",
    ):
        assert title in report
        # each section has its "how measured" line right under its title and underline
        assert report[report.index(title) + 2].startswith("how measured: ")
    assert report[-1].startswith("done in ")


def test_first_order_ratios_agree_with_the_times_and_the_rules_are_the_same(report):
    section = lines_between(report, "1. First-order", "1b. Memory")
    rows = [FIRST_ORDER_ROW.match(line) for line in section]
    rows = {m[1]: m for m in rows if m}
    assert sorted(rows) == ["Adam", "GradientDescent", "Momentum"]
    vs_train = {}
    for name, m in rows.items():
        optlib_ms, bare_ms, train_ms, fair_ms = map(float, m.groups()[1:5])
        vs_bare, vs_train[name], vs_fair = map(float, m.groups()[5:8])
        assert min(optlib_ms, bare_ms, train_ms, fair_ms) > 0  # reported, never compared
        assert ratio_of_printed(vs_bare, optlib_ms, bare_ms, 3)
        assert ratio_of_printed(vs_train[name], optlib_ms, train_ms, 3)
        assert ratio_of_printed(vs_fair, optlib_ms, fair_ms, 3)
        assert float(m[10]) < 1e-12, f"{name}: the hand-written loop is not optlib's rule"
    summary = next(line for line in section if line.startswith("summary first-order:"))
    worst = float(re.search(r"training loop ([\d.]+)x", summary)[1])
    assert worst == max(vs_train.values())
    assert ("NOT met" in summary) == (worst > bench.GOAL_FIRST_ORDER)


def test_memory_the_default_history_does_not_keep_the_iterates_of_a_large_run(report):
    rows = {m[1]: m for m in map(MEMORY_ROW.match, lines_between(report, "1b. Memory")) if m}
    default, kept = rows["default history"], rows["keep_x=True"]
    assert default[4] == "not kept"
    assert float(default[8]) < 10  # a few vectors, not n × iterations
    n, iterations = int(kept[2].replace(",", "")), int(kept[3])
    assert (int(kept[5]), int(kept[6])) == (iterations + 1, n)
    assert float(kept[8]) >= iterations + 1  # at least the stored iterates


def test_lbfgs_rows_reach_the_tolerance_and_the_ratios_agree(report):
    section = lines_between(report, "2. L-BFGS", "3. Evaluations")
    rows = [m for m in map(LBFGS_ROW.match, section) if m]
    ratios = [m for m in map(LBFGS_RATIO.search, section) if m]
    assert [m[2] for m in rows] == ["optlib LBFGS", "SciPy L-BFGS-B"] * 2
    assert [int(m[1]) for m in ratios] == list(bench.QUICK["n_lbfgs"])
    for k, ratio in enumerate(ratios):
        ours, ref = rows[2 * k], rows[2 * k + 1]
        assert close(float(ratio[2]), int(ours[3]) / int(ref[3]), 2)
        assert ratio_of_printed(float(ratio[3]), float(ours[5]), float(ref[5]), 3)
        for row in (ours, ref):  # both end with ‖∇f‖₂ <= gtol: SciPy's test is at least as strict
            assert float(row[7]) <= bench.LBFGS_GTOL
            assert float(row[6]) < 1e-10  # f* = 0


def test_suite_tables_and_summaries_agree(report):
    section = lines_between(report, "3. Evaluations")
    summaries = [m for m in map(SUITE_SUMMARY.match, section) if m]
    assert [m[1] for m in summaries] == [pair.label for pair in bench.PAIRS]
    for summary in summaries:
        table = lines_between(section, f"{summary[1]} vs ", "summary " + summary[1])
        rows = [m for m in map(SUITE_ROW.match, table) if m]
        assert [m[1] for m in rows] == list(bench.QUICK["suite"])
        assert int(summary[2]) == sum(m[4] == "yes" for m in rows)
        assert int(summary[4]) == sum(m[7] == "yes" for m in rows)
        assert int(summary[3]) == int(summary[5]) == len(rows)
        ratios = []
        for m in rows:
            if m[4] == "yes" and m[7] == "yes":
                exact = int(m[6]) / int(m[9])
                assert close(float(m[10]), exact, 2)
                assert int(m[6]) <= int(m[5]) and int(m[9]) <= int(m[8])  # to sol <= total
                ratios.append(exact)
            else:
                assert m[10] is None
        assert int(summary[6]) == len(ratios)
        assert close(float(summary[7].rstrip("x")), statistics.median(ratios), 2)


def test_only_runs_the_named_section(monkeypatch, capsys):
    monkeypatch.setitem(bench.QUICK, "suite", ("beale",))
    bench.main(["--quick", "--only", "suite"])
    out = capsys.readouterr().out.splitlines()
    for pair in bench.PAIRS:  # every method runs (an import error would fail here)
        assert any(line.startswith(f"summary {pair.label}: solved optlib 1/1") for line in out)
    assert not any(line.startswith(("1. First-order", "2. L-BFGS")) for line in out)


# --- the helpers ----------------------------------------------------------------------------------


def test_solved_at_is_the_documented_tolerance():
    assert bench.solved_at(1e-6, 0.0) and not bench.solved_at(1.01e-6, 0.0)
    assert bench.solved_at(100.0 + 0.99e-4, 100.0) and not bench.solved_at(100.0 + 1.01e-4, 100.0)
    assert bench.solved_at(-5.0, 0.0)  # below the published value counts as solved


def test_counted_counts_every_call_and_notes_when_the_minimum_was_reached():
    q = Quadratic(np.diag([1.0, 4.0]))
    counted = bench.Counted(q, minima=[0.0], gtol=1e-3)
    counted.fun(np.array([1.0, 1.0]))  # f = 2.5
    counted.grad(np.array([1.0, 1.0]))
    counted.hessp(np.zeros(2), np.ones(2))
    assert (counted.nf, counted.ng, counted.nh, counted.first) == (1, 1, 1, {})
    counted.fun_and_grad(np.array([1e-4, 0.0]))  # f = 5e-9, ‖g‖ = 1e-4
    assert (counted.nf, counted.ng, counted.evaluations) == (2, 2, 5)
    assert counted.first == {0.0: 5}
    assert counted.first_gtol[0] == 2  # the second call of f
    counted.fun(np.zeros(2))
    assert counted.first == {0.0: 5}  # the first time only


def test_reference_minima_use_the_minimiser_or_round_the_printed_value_up():
    jennrich = mgh.problem("jennrich_sampson")  # x* refined to full precision
    assert bench.reference_minima(jennrich)[0] == pytest.approx(
        float(jennrich.fun(jennrich.x_star)), rel=0, abs=0
    )
    assert bench.reference_minima(jennrich)[0] > jennrich.f_star  # printed digits truncated
    bard = mgh.problem("bard")  # no minimiser given: the printed values, one unit up, halved
    minima = bench.reference_minima(bard)
    assert minima[0] == pytest.approx(0.5 * (8.21487e-3 + 1e-8), rel=1e-12)
    assert minima[1] == pytest.approx(0.5 * (17.4286 + 1e-4), rel=1e-12)
    assert math.isclose(bench._last_digit(0.0), 0.0)
