use crate::params::ParamValue;
use crate::population::Residence;
use crate::scenario::Scenario;
use crate::scenario::testkit::*;

fn expand(text: &str) -> crate::Result<Vec<Scenario>> {
    parse(text)?.expand_grid()
}

fn names(scenarios: &[Scenario]) -> Vec<&str> {
    scenarios.iter().map(|s| s.name.as_str()).collect()
}

fn expand_err(text: &str) -> String {
    match expand(text) {
        Ok(s) => panic!("{text}\nexpanded into {:?}", names(&s)),
        Err(e) => e.to_string(),
    }
}

#[test]
fn a_scenario_without_a_grid_is_itself() {
    let s = expand("name = \"plain\"\n[params]\ntake_up_rate = 0.5\n").unwrap();
    assert_eq!(names(&s), ["plain"]);
    assert_eq!(s[0].grid_point, None);
}

#[test]
fn a_list_expands_into_named_scenarios_in_grid_order() {
    let s = expand(
        "name = \"g\"\n[params]\ntake_up_rate = 0.5\n[grid]\ntake_up_rate = [0.4, 0.6, 0.8]\n",
    )
    .unwrap();
    assert_eq!(
        names(&s),
        [
            "g[take_up_rate=0.4]",
            "g[take_up_rate=0.6]",
            "g[take_up_rate=0.8]"
        ]
    );
    for (i, (s, x)) in s.iter().zip([0.4, 0.6, 0.8]).enumerate() {
        assert_eq!(number(s, "take_up_rate", 2022), x);
        assert_eq!(number(s, "take_up_rate", 2040), x, "every year");
        let point = s.grid_point.as_ref().unwrap();
        assert_eq!((point.grid.as_str(), point.index), ("g", i));
        assert_eq!(point.values, [("take_up_rate".to_string(), x)]);
        assert!(!s.reference);
    }
}

/// A grid value set with `_monthly` is what `dibao_standard_monthly = v` in [params] gives: x 12,
/// replacing an inherited series for every year.
#[test]
fn a_set_value_replaces_the_parameter_as_an_override_would() {
    let s = expand(
        "[params]\ndibao_standard_monthly = { 2022 = 100, 2025 = 200 }\n[grid]\ndibao_standard_monthly = [300]\n",
    )
    .unwrap();
    assert_eq!(number(&s[0], "dibao_standard", 2022), 3600.0);
    assert_eq!(number(&s[0], "dibao_standard", 2030), 3600.0);
    let p = s[0].provenance(2022, None, None);
    let set_by = p.iter().find(|p| p.stem == "dibao_standard").unwrap();
    assert_eq!(set_by.set_by.as_ref().unwrap().line, 4, "the grid's line");
}

/// 0.8 + 3 x 0.1 is 1.1000000000000001 in floating point; the grid's values are the decimals.
#[test]
fn a_range_with_a_step_has_no_float_drift_and_includes_its_end() {
    let s = expand(
        "name = \"g\"\n[grid]\ndibao_standard_scale = { from = 0.8, to = 1.2, step = 0.1 }\n",
    )
    .unwrap();
    let values: Vec<f64> = s
        .iter()
        .map(|s| s.grid_point.as_ref().unwrap().values[0].1)
        .collect();
    assert_eq!(values, [0.8, 0.9, 1.0, 1.1, 1.2]);
    assert_eq!(s[3].name, "g[dibao_standard_scale=1.1]");
    let s = expand("[grid]\ntake_up_rate = { from = 0, to = 1, step = 0.1 }\n").unwrap();
    assert_eq!(s.len(), 11);
    assert_eq!(number(&s[3], "take_up_rate", 2022), 0.3);
    assert_eq!(number(&s[10], "take_up_rate", 2022), 1.0);
    // `to` off the step's lattice: the last value below it.
    let s = expand("[grid]\ntake_up_rate = { from = 0.5, to = 0.75, step = 0.1 }\n").unwrap();
    assert_eq!(s.len(), 3);
    assert_eq!(number(&s[2], "take_up_rate", 2022), 0.7);
}

/// A scale multiplies the parameter in every section and year, its indexed growth included, and
/// the registry default where no section sets it.
#[test]
fn a_scale_multiplies_every_section_year_and_the_default() {
    let s = expand(
        "[params]\ndibao_standard_monthly = { 2022 = 100, index = \"wages\" }\nwage_growth_rate = 0.1\n\
         [params.rural]\ndibao_standard = 600\n[grid]\ndibao_standard_scale = [2]\n",
    )
    .unwrap();
    let at = |year, residence| value(&s[0], "dibao_standard", year, Some("x"), Some(residence));
    assert_eq!(at(2022, Residence::Urban), ParamValue::Number(2400.0));
    let ParamValue::Number(grown) = at(2023, Residence::Urban) else {
        panic!()
    };
    assert!((grown - 2640.0).abs() < 1e-9, "{grown}");
    assert_eq!(at(2030, Residence::Rural), ParamValue::Number(1200.0));
    // take_up_rate's default is 1.
    let s = expand("[grid]\ntake_up_rate_scale = [0.5]\n").unwrap();
    assert_eq!(number(&s[0], "take_up_rate", 2022), 0.5);
}

#[test]
fn two_parameters_give_their_product_the_first_in_the_outer_loop() {
    let s = expand(
        "name = \"g\"\n[grid]\ntake_up_rate = [0.4, 0.6]\ndibao_standard_monthly = [100, 200, 300]\n",
    )
    .unwrap();
    assert_eq!(
        names(&s),
        [
            "g[take_up_rate=0.4,dibao_standard_monthly=100]",
            "g[take_up_rate=0.4,dibao_standard_monthly=200]",
            "g[take_up_rate=0.4,dibao_standard_monthly=300]",
            "g[take_up_rate=0.6,dibao_standard_monthly=100]",
            "g[take_up_rate=0.6,dibao_standard_monthly=200]",
            "g[take_up_rate=0.6,dibao_standard_monthly=300]",
        ]
    );
    assert_eq!(number(&s[4], "take_up_rate", 2022), 0.6);
    assert_eq!(number(&s[4], "dibao_standard", 2022), 2400.0);
    assert_eq!(s[5].grid_point.as_ref().unwrap().index, 5);
}

/// Each bad grid, the message it must give (after the file name), and the hint.
#[test]
fn bad_grids_name_the_file_line_key_and_what_is_allowed() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "[grid]\ntake_up_rate = [0.5, 1.5]\n",
            "2:22: `take_up_rate` = 1.5 is outside 0..=1",
            "",
        ),
        (
            "[grid]\ndibao_standard = [-5]\n",
            "2:19: `dibao_standard` = -5 is negative; money is >= 0 yuan",
            "",
        ),
        (
            "[grid]\ntake_up_rate = { from = 0.5, to = 1.2, step = 0.1 }\n",
            "`take_up_rate.to` = 1.2 is outside 0..=1",
            "",
        ),
        (
            "[grid]\ndibao_standard_scale = [-1]\n",
            "`dibao_standard_scale` = -1 is negative; a scale factor is >= 0",
            "",
        ),
        (
            "[grid]\ntake_up_rate = \"high\"\n",
            "`take_up_rate` in [grid] must be a list `[a, b, c]` or a range",
            "",
        ),
        (
            "[grid]\ntake_up_rate = [\"high\"]\n",
            "`take_up_rate` must be a number, found string",
            "",
        ),
        (
            "[grid]\ntake_up_rate = []\n",
            "`take_up_rate` in [grid] has no values",
            "",
        ),
        (
            "[grid]\ntake_up_rate = [0.5, 0.5]\n",
            "`take_up_rate` lists 0.5 twice",
            "",
        ),
        (
            "[grid]\ndibao_standrd_scale = [1]\n",
            "2:1: unknown key `dibao_standrd_scale` in [grid]",
            "did you mean `dibao_standard_scale`?",
        ),
        (
            "[grid]\ntake_up_rat = [1]\n",
            "unknown key `take_up_rat` in [grid]",
            "did you mean `take_up_rate`?",
        ),
        (
            "[grid]\ncontribution_tiers = [100]\n",
            "`contribution_tiers`: a grid value is one number",
            "write `contribution_tiers_scale` to scale it",
        ),
        (
            "[grid]\nltc_enabled_scale = [1]\n",
            "`ltc_enabled_scale`: `ltc_enabled` holds no amounts to scale",
            "",
        ),
        (
            "[grid]\nltc_enabled = [1]\n",
            "`ltc_enabled`: a grid value is one number",
            "",
        ),
        (
            "[grid]\ntake_up_rate = [0.5]\ndibao_standard = [1]\nbasic_pension = [1]\n",
            "4:1: `[grid]` varies at most 2 parameters",
            "",
        ),
        (
            "[grid]\ntake_up_rate = [0.5]\ntake_up_rate_scale = [1]\n",
            "`take_up_rate_scale` varies `take_up_rate` again (already `take_up_rate` on line 2)",
            "",
        ),
        (
            "[params]\ntake_up_rate = 0.8\n[grid]\ntake_up_rate_scale = [1, 1.5]\n",
            "4: `take_up_rate_scale` = 1.5 makes `take_up_rate` 1.2",
            "give factors that keep the parameter allowed",
        ),
        (
            "[grid]\ntake_up_rate_scale = [2]\n",
            "`take_up_rate_scale` = 2 makes `take_up_rate` 2, outside 0..=1",
            "",
        ),
        (
            "[params]\ncontribution_tiers = [100, 200]\n[grid]\ncontribution_tiers_scale = [0]\n",
            "makes `contribution_tiers` [0.0, 0.0], which no longer strictly increases",
            "",
        ),
        ("[grid]\n", "`[grid]` is empty", ""),
        (
            "[grid]\ntake_up_rate = { from = 0.1, to = 0.5 }\n",
            "the range `take_up_rate` needs `from`, `to` and `step`",
            "",
        ),
        (
            "[grid]\ntake_up_rate = { from = 0.1, to = 0.5, step = 0 }\n",
            "`take_up_rate.step` = 0 must be > 0",
            "",
        ),
        (
            "[grid]\ntake_up_rate = { from = 0.5, to = 0.1, step = 0.1 }\n",
            "the range `take_up_rate` runs backwards",
            "",
        ),
        (
            "[grid]\ntake_up_rate = { from = 0.1, to = 0.5, stpe = 0.1 }\n",
            "unknown key `stpe` in the range `take_up_rate`",
            "did you mean `step`?",
        ),
        (
            "reference = true\n[grid]\ntake_up_rate = [0.5]\n",
            "1:1: a file with a `[grid]` cannot be the reference",
            "",
        ),
        (
            "[params.rural]\ndibao_standard = 1\n[grid]\ndibao_standard = [5]\n",
            "4: `dibao_standard` in [grid] sets `dibao_standard` in [params], but [params.rural] at /nowhere/s.toml:2 sets it too",
            "write `dibao_standard_scale`",
        ),
    ];
    for (text, message, hint) in cases {
        let err = expand_err(text);
        assert!(err.starts_with("/nowhere/s.toml:"), "{text}\n{err}");
        assert!(
            err.contains(message),
            "{text}\nexpected: {message}\ngot: {err}"
        );
        assert!(
            err.contains(hint),
            "{text}\nexpected hint: {hint}\ngot: {err}"
        );
    }
}

#[test]
fn grids_are_bounded() {
    let err = expand_err("[grid]\ntake_up_rate = { from = 0, to = 1, step = 0.001 }\n");
    assert!(
        err.contains("has 1001 values; at most 200 are allowed"),
        "{err}"
    );
    let err = expand_err("[grid]\ntake_up_rate = { from = 0, to = 1, step = 1e-300 }\n");
    assert!(err.contains("at most 200 are allowed"), "{err}");
    let err = expand_err(
        "[grid]\ntake_up_rate = { from = 0, to = 0.19, step = 0.01 }\n\
         dibao_standard = { from = 0, to = 19, step = 1 }\n",
    );
    assert!(
        err.contains("3:18: `[grid]` expands into 400 scenarios (`take_up_rate` 20 x `dibao_standard` 20); at most 200"),
        "{err}"
    );
    // 200 exactly is allowed.
    let s = expand(
        "[grid]\ntake_up_rate = { from = 0, to = 0.19, step = 0.01 }\n\
         dibao_standard = { from = 0, to = 9, step = 1 }\n",
    )
    .unwrap();
    assert_eq!(s.len(), 200);
}

/// A grid is the loaded file's own: a file extending it is one scenario.
#[test]
fn a_grid_is_not_inherited() {
    let d = Dir::new();
    d.write("grid.toml", "[grid]\ntake_up_rate = [0.4, 0.6]\n");
    let child = d.write("child.toml", "extends = \"grid.toml\"\n");
    let s = Scenario::load_with(&child, &registry())
        .unwrap()
        .expand_grid()
        .unwrap();
    assert_eq!(names(&s), ["child"]);
}

proptest::proptest! {
    /// Any range expands into at most [`MAX_GRID_POINTS`] scenarios whose values lie within it,
    /// or fails with an error; it never panics.
    #[test]
    fn random_ranges_expand_within_bounds_or_fail(
        from in -10.0f64..10.0,
        span in -1.0f64..20.0,
        step in -0.5f64..2.0,
    ) {
        let to = from + span;
        let text = format!("[grid]\nbasic_pension_scale = {{ from = {from:?}, to = {to:?}, step = {step:?} }}\n");
        if let Ok(points) = expand(&text) {
            proptest::prop_assert!(points.len() <= crate::scenario::MAX_GRID_POINTS);
            for p in &points {
                let x = p.grid_point.as_ref().unwrap().values[0].1;
                proptest::prop_assert!(x >= from - 1e-9 && x <= to + 1e-9, "{x} outside {from}..{to}");
            }
        }
    }

    /// Random text in a `[grid]` never panics.
    #[test]
    fn random_grid_text_never_panics(text in "[a-z_\\[\\]{}=\"0-9.,\\- \n]{0,120}") {
        let _ = expand(&format!("[grid]\n{text}"));
        let _ = expand(&format!("[grid]\ntake_up_rate = {text}"));
    }
}
