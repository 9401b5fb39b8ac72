"""Item 4 of issue 17: the worked example of docs/python.md runs and draws its chart."""

import os
import subprocess
import sys


def test_dibao_sweep_example_runs(root, tmp_path):
    env = dict(os.environ, GONGFU_EXAMPLE_PERSONS="5000")
    done = subprocess.run(
        [sys.executable, str(root / "docs/python/dibao_sweep.py"), str(tmp_path)],
        cwd=root, env=env, capture_output=True, text=True,
    )
    assert done.returncode == 0, done.stderr
    chart = tmp_path / "python_dibao_sweep.png"
    assert chart.is_file() and chart.stat().st_size > 10_000
    # The printed table has a row per standard, 6,000 to 12,000.
    for standard in range(6000, 12001, 1000):
        assert str(standard) in done.stdout
