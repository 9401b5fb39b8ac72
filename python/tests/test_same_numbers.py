"""Item 3 of issue 17: `gongfu.run` gives the command line's numbers, byte for byte."""

import filecmp
from pathlib import Path

import polars as pl
from polars.testing import assert_frame_equal

import gongfu
from conftest import run_cli

ARGS = ["--persons", "4000", "--years", "2022..2024", "--seed", "7"]
SCENARIOS = ["scenarios/baseline.toml", "scenarios/dibao_unified_urban.toml"]


def test_version_is_the_command_lines(cli):
    from importlib.metadata import version

    out = run_cli(cli, "--version").split()
    assert out == ["gongfu", gongfu.__version__]
    assert version("gongfu") == gongfu.__version__


def _python_run(root: Path, out: Path) -> gongfu.Result:
    return gongfu.run(
        [root / s for s in SCENARIOS], persons=4000, years="2022..2024", seed=7, out=out
    )


def test_run_equals_the_command_line(cli, root, tmp_path):
    run_cli(cli, "run", *SCENARIOS, *ARGS, "--quiet", "--out", str(tmp_path / "cli"))
    res = _python_run(root, tmp_path / "py")
    cli_dir, py_dir = tmp_path / "cli", tmp_path / "py"
    # Indicator values: the frame equals the command line's Parquet table, value for value.
    assert_frame_equal(
        res.indicators, pl.read_parquet(cli_dir / "indicators.parquet"), check_exact=True
    )
    assert res.indicators.height > 0 and res.deciles.height == 20
    # The other tables: the frames hold the numbers of the command line's CSV files.
    for name in ["deciles", "fiscal", "lorenz"]:
        got = getattr(res, name)
        want = pl.read_csv(cli_dir / f"{name}.csv", schema_overrides=got.schema)
        assert_frame_equal(got, want, check_exact=True)
    # `write` gives the command line's folder: every compared file byte for byte.
    # Compared as scripts/compare_outputs.sh compares; `scenarios/` holds the rows a batch saves
    # for --resume, which `write` does not write.
    compared = sorted(
        p.relative_to(cli_dir)
        for p in cli_dir.rglob("*")
        if p.suffix in (".csv", ".parquet") and p.relative_to(cli_dir).parts[0] != "scenarios"
    )
    assert Path("indicators.csv") in compared and Path("summary.csv") in compared
    for rel in compared:
        assert filecmp.cmp(cli_dir / rel, py_dir / rel, shallow=False), f"{rel} differs"
    assert (py_dir / "report.html").is_file() and (py_dir / "manifest.json").is_file()


def test_dict_reform_equals_the_toml_file(root, tmp_path):
    reform = tmp_path / "rural_9000.toml"
    reform.write_text(
        f'extends = "{root / "scenarios/baseline.toml"}"\n'
        'name = "rural_9000"\n'
        "[params.rural]\n"
        'dibao_standard_yearly = { 2022 = 9000, index = "wages" }\n'
        "[params]\n"
        "dibao_take_up_rate = 0.3\n"
    )
    base = gongfu.load_scenario(root / "scenarios/baseline.toml")
    in_code = base.with_params(
        {
            "rural": {"dibao_standard_yearly": {2022: 9000, "index": "wages"}},
            "dibao_take_up_rate": 0.3,
        },
        name="rural_9000",
    )
    opts = dict(persons=3000, years=(2022, 2023), progress=False)
    from_file = gongfu.run([base, reform], **opts)
    from_dict = gongfu.run([base, in_code], **opts)
    assert_frame_equal(from_file.indicators, from_dict.indicators, check_exact=True)
    assert_frame_equal(from_file.fiscal, from_dict.fiscal, check_exact=True)
    # The reform changed something: the comparison can fail.
    assert not from_file.fiscal.filter(scenario="rural_9000").equals(
        from_file.fiscal.filter(scenario="baseline").with_columns(
            scenario=pl.lit("rural_9000")
        )
    )
    params = from_dict.scenarios.filter(
        scenario="rural_9000", year=2022, residence="rural", parameter="dibao_standard"
    )
    assert params["value"].to_list() == ["9000"]


def test_microdata_equal_the_command_lines(cli, root, tmp_path):
    """`microdata=True` keeps the per-person table the command line writes with --microdata."""
    run_cli(
        cli, "run", "scenarios/baseline.toml", "--persons", "4000", "--years", "2022",
        "--static", "--microdata", "--quiet", "--out", str(tmp_path / "cli"),
    )
    res = gongfu.run(
        root / "scenarios/baseline.toml", persons=4000, years=2022, static=True,
        microdata=True, progress=False,
    )
    want = pl.read_parquet(tmp_path / "cli/microdata/baseline_2022.parquet")
    assert want.height == 4000
    assert_frame_equal(res.microdata, want, check_exact=True)
    res.write(tmp_path / "py")
    # Microdata are Parquet only unless `--microdata-csv` asks for CSV too.
    assert not (tmp_path / "cli/microdata/baseline_2022.csv").exists()
    f = "baseline_2022.parquet"
    assert filecmp.cmp(tmp_path / "cli/microdata" / f, tmp_path / "py/microdata" / f, shallow=False)
