//! `gongfu validate` and `gongfu explain` on scenario files written to a scratch folder: every
//! error names the file, line and column, the key and what is allowed.

use crate::common::{Scratch, gongfu, stderr, stdout};

/// Runs `gongfu validate` on paths.
fn validate(paths: &[&std::path::Path]) -> std::process::Output {
    let mut args = vec!["validate"];
    args.extend(paths.iter().map(|p| p.to_str().unwrap()));
    gongfu(&args)
}

/// Validates one file and returns its error text, checking the exit code is 1.
fn validate_error(dir: &Scratch, name: &str, text: &str) -> (std::path::PathBuf, String) {
    let file = dir.write(name, text);
    let out = validate(&[&file]);
    assert_eq!(
        out.status.code(),
        Some(1),
        "stdout: {}\nstderr: {}",
        stdout(&out),
        stderr(&out)
    );
    (file, stderr(&out))
}

#[test]
fn valid_file_prints_ok_and_exits_0() {
    let dir = Scratch::new("scenario-ok");
    // Validate opens the population a run would read: a real (two-person) file.
    dir.write(
        "pop.csv",
        "person_id,household_id,weight,region,residence,age,sex,employment,earnings\n\
         1,1,1000,inner_mongolia,rural,40,m,farmer,20000\n\
         2,1,1000,inner_mongolia,rural,38,f,farmer,15000\n",
    );
    let file = dir.write(
        "baseline.toml",
        "name = \"baseline\"\ndescription = \"2022 rules\"\nreference = true\nyears = \"2022..2030\"\n\
         seed = 42\nreplications = 2\n[population]\nfile = \"pop.csv\"\n\n\
         [[program]]\nname = \"herder_subsidy\"\namount_monthly = 100\nregion = [\"inner_mongolia\"]\n\
         employment = [\"farmer\"]\nage_min = 16\n",
    );
    let out = validate(&[&file]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(stdout(&out), format!("ok {}\n", file.display()));
}

#[test]
fn folder_checks_every_toml_inside_and_fails_if_any_failed() {
    let dir = Scratch::new("scenario-folder");
    let good = dir.write("a_good.toml", "years = \"2022..2025\"\n");
    let typo = dir.write("b_typo.toml", "years = \"2022..2025\"\nreplicatons = 3\n");
    let bad_years = dir.write("c_years.toml", "years = \"2022-2025\"\n");
    dir.write("notes.txt", "not a scenario");
    dir.write("sub/ignored.toml", "not = valid = toml");
    let out = validate(&[&dir.0]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), format!("ok {}\n", good.display()));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "error: {}:2:1: unknown key `replicatons` in the top level; allowed: `description`, `end_year`, `extends`, `grid`, `lang`, \
             `name`, `params`, `population`, `program`, `rebase`, `reference`, `remove_programs`, `replications`, `seed`, \
             `start_year`, `years`\n\n  did you mean `replications`?",
            typo.display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "error: {}:1:9: bad `years` \"2022-2025\"",
            bad_years.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("error: 2 of 3 scenario file(s) failed validation"),
        "{err}"
    );
    assert!(
        !err.contains("ignored.toml"),
        "subfolders are not searched: {err}"
    );
}

#[test]
fn empty_folder_and_missing_file_fail_but_the_rest_is_checked() {
    let dir = Scratch::new("scenario-empty");
    std::fs::create_dir_all(dir.path("empty")).unwrap();
    let good = dir.write("good.toml", "");
    let out = validate(&[&dir.path("empty"), &dir.path("missing.toml"), &good]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(stdout(&out), format!("ok {}\n", good.display()));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}: folder holds no *.toml scenario files",
            dir.path("empty").display()
        )),
        "{err}"
    );
    assert!(
        err.contains(&format!(
            "{}: No such file",
            dir.path("missing.toml").display()
        )),
        "{err}"
    );
    assert!(err.contains("2 of 2 scenario file(s) failed"), "{err}");
}

#[test]
fn bad_years_and_zero_replications_are_rejected() {
    let dir = Scratch::new("scenario-years");
    let (f, err) = validate_error(&dir, "y.toml", "years = \"2050..2022\"\n");
    assert!(
        err.contains(&format!(
            "{}:1:9: years run backwards: 2050 is after 2022",
            f.display()
        )),
        "{err}"
    );
    let (f, err) = validate_error(&dir, "r.toml", "\nreplications = 0\n");
    assert!(
        err.contains(&format!(
            "{}:2:16: `replications` = 0 is outside 1..=10000",
            f.display()
        )),
        "{err}"
    );
    let (_, err) = validate_error(&dir, "s.toml", "end_year = 2030\n");
    assert!(
        err.contains("`start_year` and `end_year` go together"),
        "{err}"
    );
}

#[test]
fn missing_population_file_is_named_with_the_scenario_line() {
    let dir = Scratch::new("scenario-pop");
    let (f, err) = validate_error(
        &dir,
        "s.toml",
        "years = 2022\n\n[population]\nfile = \"data/pop_2022.parquet\"\n",
    );
    assert!(
        err.contains(&format!(
            "{}:4:8: population file `{}` does not exist",
            f.display(),
            dir.path("data/pop_2022.parquet").display()
        )),
        "{err}"
    );
}

#[test]
fn missing_extends_target_names_the_extending_file_and_line() {
    let dir = Scratch::new("scenario-extends");
    let (f, err) = validate_error(
        &dir,
        "reform.toml",
        "name = \"reform\"\nextends = \"baseline.toml\"\n",
    );
    assert!(
        err.contains(&format!(
            "{}:2:11: `extends` target `{}` cannot be read",
            f.display(),
            dir.path("baseline.toml").display()
        )),
        "{err}"
    );
}

#[test]
fn extends_cycle_names_the_chain() {
    let dir = Scratch::new("scenario-cycle");
    let a = dir.write("a.toml", "extends = \"b.toml\"\n");
    let b = dir.write("b.toml", "extends = \"c.toml\"\n");
    let c = dir.write("c.toml", "extends = \"a.toml\"\n");
    let out = validate(&[&a]);
    assert_eq!(out.status.code(), Some(1));
    let chain = format!(
        "{} -> {} -> {} -> {}",
        a.display(),
        b.display(),
        c.display(),
        a.display()
    );
    assert!(
        stderr(&out).contains(&format!("{}:1:11: `extends` cycle: {chain}", c.display())),
        "{}",
        stderr(&out)
    );
}

#[test]
fn program_conditions_are_checked_but_region_codes_are_free() {
    let dir = Scratch::new("scenario-program");
    let head = "[[program]]\nname = \"child_allowance\"\namount_yearly = 1200\nregion = [\"any_code_the_population_uses\"]\n";
    let (f, err) = validate_error(&dir, "a.toml", &format!("{head}age_mx = 5\n"));
    assert!(
        err.contains(&format!(
            "{}:5:1: unknown key `age_mx` in [[program]]",
            f.display()
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `age_max`?"), "{err}");
    let (_, err) = validate_error(&dir, "b.toml", &format!("{head}residence = \"town\"\n"));
    assert!(
        err.contains("5:13: `residence` = \"town\" is not allowed; allowed: `urban`, `rural`"),
        "{err}"
    );
    let (_, err) = validate_error(
        &dir,
        "c.toml",
        &format!("{head}employment = [\"herder\"]\n"),
    );
    assert!(
        err.contains(
            "`employment` = \"herder\" is not allowed; allowed: `employee`, `flexible`, `farmer`"
        ),
        "{err}"
    );
    let (_, err) = validate_error(
        &dir,
        "d.toml",
        &format!("{head}status_last_year = [\"tekun\", \"poor\"]\n"),
    );
    assert!(err.contains("`status_last_year` = \"poor\" is not allowed; allowed: `dibao`, `tekun`, `margin`, `none`"), "{err}");
}

#[test]
fn reform_removes_and_replaces_programs() {
    let dir = Scratch::new("scenario-remove");
    dir.write(
        "base.toml",
        "[[program]]\nname = \"herder_subsidy\"\namount_yearly = 1200\n",
    );
    let typo = dir.write(
        "typo.toml",
        "extends = \"base.toml\"\nremove_programs = [\"herder_subsidi\"]\n",
    );
    let out = validate(&[&typo]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(
        err.contains(&format!(
            "{}:2:20: `remove_programs`: no program `herder_subsidi`",
            typo.display()
        )),
        "{err}"
    );
    assert!(err.contains("did you mean `herder_subsidy`?"), "{err}");
    let reform = dir.write(
        "reform.toml",
        "extends = \"base.toml\"\nremove_programs = [\"herder_subsidy\"]\n[[program]]\nname = \"basic_income\"\n\
         amount_monthly = { 2022 = 500, 2025 = 600 }\nhukou = \"rural\"\nage_min = 18\nage_max = 59\n",
    );
    let out = gongfu(&["explain", reform.to_str().unwrap(), "--year", "2025"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let text = stdout(&out);
    // 600 a month from 2025: 7200 a year; the removed program is gone.
    assert!(
        text.contains("  basic_income  7200  hukou rural; age 18..=59\n"),
        "{text}"
    );
    assert!(!text.contains("herder_subsidy"), "{text}");
    assert!(
        text.contains(&format!(
            "extends {} sha256 ",
            dir.path("base.toml").display()
        )),
        "{text}"
    );
}

#[test]
fn explain_rejects_a_bad_residence_word() {
    let dir = Scratch::new("scenario-explain-args");
    let f = dir.write("s.toml", "");
    let out = gongfu(&[
        "explain",
        f.to_str().unwrap(),
        "--year",
        "2025",
        "--residence",
        "town",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("`town` is not a residence; allowed: urban, rural"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn misspelt_parameter_key_gets_a_did_you_mean() {
    let dir = Scratch::new("scenario-param-typo");
    let (f, err) = validate_error(
        &dir,
        "s.toml",
        "[params]\ntake_up_rate = 0.9\ndibao_standrd_monthly = 1000\n",
    );
    assert!(
        err.contains(&format!(
            "{}:3:1: unknown key `dibao_standrd_monthly` in [params]",
            f.display()
        )),
        "{err}"
    );
    assert!(
        err.contains("\n\n  did you mean `dibao_standard_monthly`?"),
        "{err}"
    );
}

#[test]
fn parameter_values_are_checked_against_their_kind() {
    let dir = Scratch::new("scenario-param-values");
    let (_, err) = validate_error(&dir, "a.toml", "[params]\ntake_up_rate = 1.5\n");
    assert!(
        err.contains("2:16: `take_up_rate` = 1.5 is outside 0..=1"),
        "{err}"
    );
    let (_, err) = validate_error(
        &dir,
        "b.toml",
        "[params.rural]\ntake_up_rate_monthly = 0.5\n",
    );
    assert!(
        err.contains("2:1: `take_up_rate_monthly`: `dibao_take_up_rate` is not money"),
        "{err}"
    );
    let (_, err) = validate_error(
        &dir,
        "c.toml",
        "[params]\ndibao_standard_monthly = 1000\ndibao_standard_yearly = 12000\n",
    );
    assert!(err.contains("3:1: `dibao_standard_yearly` sets `dibao_standard` again in params (already set on line 2)"), "{err}");
}

#[test]
fn explain_shows_yearly_money_with_monthly_and_origin() {
    let dir = Scratch::new("scenario-explain");
    let base = dir.write(
        "base.toml",
        "[params]\ndibao_standard_monthly = { 2022 = 1000, 2025 = 1100 }\ntake_up_rate = 0.8\n",
    );
    let reform = dir.write(
        "reform.toml",
        "extends = \"base.toml\"\n[params.rural]\ndibao_standard_monthly = 1200\n",
    );
    let out = gongfu(&[
        "explain",
        reform.to_str().unwrap(),
        "--year",
        "2025",
        "--residence",
        "urban",
    ]);
    let text = stdout(&out);
    // Urban keeps the baseline series: 1100 x 12 = 13200 in 2025.
    assert!(
        text.contains(&format!(" 13200 (monthly 1100)  [{}:2]", base.display())),
        "{text}"
    );
    assert!(
        text.contains(&format!(" 0.8  [{}:3]", base.display())),
        "{text}"
    );
    let out = gongfu(&[
        "explain",
        reform.to_str().unwrap(),
        "--year",
        "2025",
        "--residence",
        "rural",
    ]);
    assert!(
        stdout(&out).contains(&format!(" 14400 (monthly 1200)  [{}:3]", reform.display())),
        "{}",
        stdout(&out)
    );
}

/// Issue 13: a parameter renamed to say its family keeps working under its earlier name, with a
/// warning that names the new one and the line; the value is the same parameter's (explain shows
/// it under the new name, set by that line); a value that breaks a family rule in a later year
/// fails validation with the file, line and year.
#[test]
fn earlier_parameter_names_warn_and_mean_the_same() {
    let dir = Scratch::new("scenario-deprecated");
    let f = dir.write(
        "old.toml",
        "years = \"2022..2024\"\n[params]\ntake_up_rate = 0.8\nbasic_pension_monthly = 100\n",
    );
    let out = validate(&[&f]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains(":3: `take_up_rate` is a deprecated name; write `dibao_take_up_rate`"),
        "{err}"
    );
    assert!(
        err.contains(":4: `basic_pension_monthly` is a deprecated name; write `resident_basic_pension_monthly`"),
        "{err}"
    );
    let out = gongfu(&["explain", f.to_str().unwrap(), "--year", "2023"]);
    let text = stdout(&out);
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("dibao_take_up_rate"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        line.contains("0.8") && line.contains("old.toml:3"),
        "{line}"
    );
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("resident_basic_pension"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("1200"), "{line}");
}

/// Issue 13: cross-parameter rules are checked for every year a scenario runs before anything is
/// simulated: a base floor above the cap from 2030 fails validation naming the file, the line of
/// the value and the year.
#[test]
fn a_rule_broken_in_a_later_year_fails_validation_with_line_and_year() {
    let dir = Scratch::new("scenario-later-year");
    let f = dir.write(
        "floor.toml",
        "years = \"2022..2035\"\n[params]\nemployee_pension_base_cap = 3.0\n\
         employee_pension_base_floor = { 2022 = 0.6, 2030 = 4.0 }\n",
    );
    let out = validate(&[&f]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("floor.toml:4: `employee_pension_base_floor` in 2030, region `national`"),
        "{err}"
    );
    assert!(err.contains("above `employee_pension_base_cap`"), "{err}");
}

/// Issue 13: a grade table must give every grade the run's persons may have, checked before
/// anything is simulated. Conformance "ltc-severe-capped" gives only grade 3: valid for a
/// population whose only disabled person has grade 3, an error naming the key and the grade when
/// a grade-2 person is there too.
#[test]
fn grade_tables_are_checked_against_the_grades_of_the_population() {
    let dir = Scratch::new("scenario-grades");
    let header = "person_id,household_id,weight,region,residence,age,sex,employment,earnings,disability_grade\n";
    dir.write(
        "severe.csv",
        format!("{header}1,1,1,national,urban,70,f,retired,0,3\n2,2,1,national,urban,40,m,employee,40000,0\n"),
    );
    dir.write(
        "moderate.csv",
        format!(
            "{header}1,1,1,national,urban,70,f,retired,0,3\n2,2,1,national,urban,72,m,retired,0,2\n"
        ),
    );
    let params = "[params]\nltc_enabled = true\nltc_coverage = 1.0\nltc_min_grade = 2\n\
                  ltc_care_cost = { 3 = 36000 }\nltc_cap = { 3 = 24000 }\nltc_reimbursement_rate = 0.7\n";
    let ok = dir.write(
        "ok.toml",
        format!("years = \"2022..2022\"\n[population]\nfile = \"severe.csv\"\n{params}"),
    );
    let out = validate(&[&ok]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let bad = dir.write(
        "bad.toml",
        format!("years = \"2022..2022\"\n[population]\nfile = \"moderate.csv\"\n{params}"),
    );
    let out = validate(&[&bad]);
    assert_eq!(out.status.code(), Some(1), "{}", stdout(&out));
    let err = stderr(&out);
    assert!(
        err.contains("bad.toml:8: `ltc_care_cost` in 2022")
            && err.contains("no value for disability grade 2"),
        "{err}"
    );
}

/// Regression (issue 16): `validate` said `ok` to a monthly amount that overflows when annualised
/// (1e308 x 12 is infinite), and the run then paid an infinite benefit. It names the file, line,
/// key and year; an uncapped amount (+inf by default) stays allowed.
#[test]
fn a_monthly_amount_that_overflows_when_annualised_is_an_error() {
    let dir = Scratch::new("scenario-overflow");
    let (file, err) = validate_error(
        &dir,
        "s.toml",
        "name = \"s\"\nyears = \"2022..2023\"\n[params]\ndibao_standard_monthly = 1e308\n",
    );
    assert!(
        err.contains(&format!(
            "{}:4: `dibao_standard` in 2022, region `national`, urban: resolves to inf",
            file.display()
        )),
        "{err}"
    );
    let ok = dir.write(
        "t.toml",
        "name = \"t\"\n[params]\ndibao_standard_monthly = 1e300\n",
    );
    let out = validate(&[&ok]);
    assert!(out.status.success(), "{}", stderr(&out));
}

/// Regression (issue 16): `--replications 0` ran one and an unbounded count ran for ever; the
/// bounds are stated and checked, as is the sample size.
#[test]
fn replications_and_persons_have_stated_bounds() {
    for (flag, value, message) in [
        ("--replications", "0", "0 is not in 1..=10000"),
        ("--replications", "10001", "10001 is not in 1..=10000"),
        (
            "--persons",
            "1999",
            "`1999` is not a sample size within 2000..=4294967295",
        ),
    ] {
        let out = gongfu(&[
            "run",
            "scenarios/baseline.toml",
            flag,
            value,
            "--out",
            "unused",
        ]);
        assert_eq!(out.status.code(), Some(2), "{flag} {value}");
        assert!(stderr(&out).contains(message), "{}", stderr(&out));
    }
    let dir = Scratch::new("scenario-bounds");
    let (_, err) = validate_error(&dir, "s.toml", "name = \"s\"\nreplications = 10001\n");
    assert!(
        err.contains("`replications` = 10001 is outside 1..=10000"),
        "{err}"
    );
}
