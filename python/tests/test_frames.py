"""Tables reach Python without a copy (item 3 of issue 17), and the other entry points give the
command line's answers: synth, stats, populations passed as frames."""

import json
import shutil

import pandas as pd
import polars as pl
from polars.testing import assert_frame_equal

import gongfu
from conftest import run_cli


def test_baseline_200k_shares_arrow_memory(root):
    """The national baseline at its own size (200,000 persons), one static year: each table is
    built once in Rust, and the Python frame's value buffer is that very buffer (the Arrow C
    data interface hands over pointers; no column is copied)."""
    res = gongfu.run(root / "scenarios/baseline.toml", years=2022, static=True, progress=False)
    assert "200000 persons" in res._native.population
    for table, column in [
        ("indicators", "value"),
        ("fiscal", "amount_yuan"),
        ("deciles", "mean_disposable"),
        ("lorenz", "income_share"),
    ]:
        frame = getattr(res, table)
        assert frame.height > 0, table
        address = frame[column]._get_buffer_info()[0]
        assert address == res._native.buffer_address(table, column), (table, column)
    # Two accesses share one buffer too (no copy per access).
    assert (
        res.indicators["value"]._get_buffer_info()[0]
        == res.indicators["value"]._get_buffer_info()[0]
    )
    assert isinstance(res.indicators.to_pandas(), pd.DataFrame)


def test_synth_equals_the_command_line(cli, root, tmp_path):
    out = tmp_path / "pop.parquet"
    run_cli(
        cli, "synth", "synthetic_pop/china_2022.toml", "--persons", "4000", "--seed", "2022",
        "--out", str(out),
    )
    got = gongfu.synth(root / "synthetic_pop/china_2022.toml", 4000, 2022)
    assert_frame_equal(got, pl.read_parquet(out), check_exact=True)


def test_population_frame_runs_as_its_file(root, tmp_path):
    """A population given as a polars or pandas frame gives the results of the same table given
    as a file."""
    pop = gongfu.synth(root / "synthetic_pop/china_2022.toml", 4000, 2022)
    path = tmp_path / "pop.parquet"
    pop.write_parquet(path)
    opts = dict(years=(2022, 2023), seed=3, progress=False)
    scenario = root / "scenarios/baseline.toml"
    from_file = gongfu.run(scenario, population=path, **opts)
    from_polars = gongfu.run(scenario, population=pop, **opts)
    from_pandas = gongfu.run(scenario, population=pop.to_pandas(), **opts)
    assert_frame_equal(from_file.indicators, from_polars.indicators, check_exact=True)
    assert_frame_equal(from_file.indicators, from_pandas.indicators, check_exact=True)


def test_stats_equals_the_command_line(cli, root, tmp_path):
    pop = gongfu.synth(root / "synthetic_pop/china_2022.toml", 4000, 2022)
    path = tmp_path / "pop.csv"
    pop.write_csv(path)
    for by in [None, "residence"]:
        extra = ["--by", by] if by else []
        want = json.loads(
            run_cli(cli, "stats", str(path), "--income", "earnings", "--weight", "weight",
                    *extra, "--json")
        )
        got = gongfu.stats(pop.to_pandas() if by else pop, income="earnings", weight="weight", by=by)
        assert got.to_dicts() == (want if by else [want])


def test_stats_bad_weight_names_row_and_column():
    df = pl.DataFrame({"income": [1.0, 2.0, 3.0], "w": [1.0, 0.0, 1.0]})
    try:
        gongfu.stats(df, income="income", weight="w")
    except gongfu.GongfuError as e:
        assert "row 2, column `w`" in str(e), str(e)
    else:
        raise AssertionError("a zero weight was accepted")
