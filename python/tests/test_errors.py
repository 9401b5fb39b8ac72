"""Bad input raises GongfuError naming the file, line and key (item 2 and 3 of issue 17)."""

import polars as pl
import pytest

import gongfu


def test_misspelt_key_in_code_is_named(root):
    base = gongfu.load_scenario(root / "scenarios/baseline.toml")
    with pytest.raises(gongfu.GongfuError) as e:
        base.with_params({"dibao_standrd_monthly": 1000})
    assert e.value.key == "dibao_standrd_monthly"
    assert e.value.file.endswith("baseline.with_params.toml")
    assert isinstance(e.value.line, int)
    assert "did you mean `dibao_standard_monthly`" in str(e.value)


def test_bad_value_in_a_file_names_line_and_key(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('name = "bad"\nyears = "2022..2023"\n[params]\ndibao_take_up_rate = 1.5\n')
    with pytest.raises(gongfu.GongfuError) as e:
        gongfu.load_scenario(bad)
    assert e.value.file == str(bad)
    assert e.value.line == 4
    assert e.value.key == "dibao_take_up_rate", str(e.value)


def test_bad_population_frame_names_row_and_column(root):
    pop = gongfu.synth(root / "synthetic_pop/china_2022.toml", 4000, 2022)
    pop = pop.with_columns(
        age=pl.when(pl.int_range(pl.len()) == 9).then(134).otherwise(pl.col("age"))
    )
    with pytest.raises(gongfu.GongfuError) as e:
        gongfu.run(root / "scenarios/baseline.toml", population=pop, years=2022, progress=False)
    assert (e.value.row, e.value.key) == (10, "age"), str(e.value)


def test_unknown_parameter_type_is_a_type_error(root):
    base = gongfu.load_scenario(root / "scenarios/baseline.toml")
    with pytest.raises(TypeError):
        base.with_params({"dibao_take_up_rate": object()})


def test_a_grid_file_is_its_points_not_one_scenario(root):
    grid = root / "scenarios/dibao_standard_grid.toml"
    with pytest.raises(ValueError) as e:
        gongfu.load_scenario(grid)
    assert "[grid] of 5 scenarios" in str(e.value) and "load_grid" in str(e.value)
    points = gongfu.load_grid(grid)
    assert [p.name for p in points] == [
        f"dibao_standard_grid[dibao_standard_scale={v}]" for v in ["1", "1.25", "1.5", "1.75", "2"]
    ]
    with pytest.raises(ValueError) as e:
        points[1].with_params({"dibao_take_up_rate": 0.5})
    assert "point of the file's [grid]" in str(e.value)
    assert [p.name for p in gongfu.load_grid(root / "scenarios/baseline.toml")] == ["baseline"]
