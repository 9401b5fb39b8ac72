//! `gongfu explain SCENARIO --year Y [--region CODE] [--residence urban|rural]`: every resolved
//! parameter for that year, money in yuan per year, with the file and line that set it.

use std::fmt::Write as _;
use std::path::PathBuf;

use crate::params::{ParamValue, ProgramConditions};
use crate::population::Residence;
use crate::scenario::Scenario;

/// Arguments of `gongfu explain`.
#[derive(Debug, clap::Args)]
pub struct ExplainArgs {
    /// Scenario file.
    pub scenario: PathBuf,
    /// Year to resolve.
    #[arg(long)]
    pub year: i32,
    /// Region code (as in the population); without it, region overrides are not applied.
    #[arg(long)]
    pub region: Option<String>,
    /// Residence; without it, urban/rural overrides are not applied.
    #[arg(long, value_parser = parse_residence)]
    pub residence: Option<Residence>,
}

fn parse_residence(s: &str) -> Result<Residence, String> {
    Residence::parse(s).ok_or_else(|| format!("`{s}` is not a residence; allowed: urban, rural"))
}

/// Runs `gongfu explain`.
pub fn run(args: ExplainArgs) -> anyhow::Result<()> {
    let scenario = Scenario::load(&args.scenario)?;
    for w in &scenario.warnings {
        eprintln!("warning: {w}");
    }
    print!(
        "{}",
        explain(&scenario, args.year, args.region.as_deref(), args.residence)
    );
    let points = scenario.expand_grid()?;
    if points.first().is_some_and(|p| p.grid_point.is_some()) {
        println!(
            "\ngrid: {} scenarios, shown above without the grid: {}",
            points.len(),
            points
                .iter()
                .map(|p| p.name.as_str())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(())
}

/// The text `gongfu explain` prints.
fn explain(s: &Scenario, year: i32, region: Option<&str>, residence: Option<Residence>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "scenario `{}`, year {year}, region {}, residence {}",
        s.name,
        region.unwrap_or("(any)"),
        residence.map_or("(any)", Residence::as_str)
    );
    for (i, f) in s.files.iter().enumerate() {
        let role = if i == 0 { "file" } else { "extends" };
        let _ = writeln!(out, "{role} {} sha256 {}", f.path.display(), f.sha256);
    }
    let _ = writeln!(out, "\nparameters (money in yuan per year):");
    let rows = s.provenance(year, region, residence);
    let width = rows.iter().map(|p| p.stem.len()).max().unwrap_or(0);
    for p in rows {
        let mut value = show(&p.value);
        if let Some(m) = p.monthly_value() {
            let _ = write!(value, " (monthly {})", show(&m));
        }
        let origin = p.set_by.map_or("default".to_string(), |o| {
            format!("{}:{}", o.file.display(), o.line)
        });
        let _ = writeln!(out, "  {:width$}  {value}  [{origin}]", p.stem);
    }
    let programs = s.programs(year);
    let _ = writeln!(out, "\nprograms (yuan per person per year):");
    if programs.is_empty() {
        let _ = writeln!(out, "  (none)");
    }
    for p in programs {
        let _ = writeln!(
            out,
            "  {}  {}  {}",
            p.name,
            p.amount_yearly,
            conditions(&p.conditions)
        );
    }
    out
}

/// A value as TOML-like text.
fn show(v: &ParamValue) -> String {
    let list = |xs: &mut dyn Iterator<Item = String>| xs.collect::<Vec<_>>().join(", ");
    match v {
        ParamValue::Number(x) => x.to_string(),
        ParamValue::Flag(b) => b.to_string(),
        ParamValue::Text(t) => format!("\"{t}\""),
        ParamValue::List(l) => format!("[{}]", list(&mut l.iter().map(f64::to_string))),
        ParamValue::Table(t) => format!(
            "{{ {} }}",
            list(&mut t.iter().map(|(k, x)| format!("{k} = {x}")))
        ),
        ParamValue::Pairs(p) => format!(
            "[{}]",
            list(&mut p.iter().map(|(u, s)| format!("[{u}, {s}]")))
        ),
    }
}

/// Program conditions as `key = value` words; "everyone" when there are none.
fn conditions(c: &ProgramConditions) -> String {
    let mut parts = Vec::new();
    let words = |w: Vec<&str>| w.join(", ");
    if let Some(r) = &c.region {
        parts.push(format!("region in [{}]", r.join(", ")));
    }
    if let Some(r) = c.residence {
        parts.push(format!("residence {}", r.as_str()));
    }
    if let Some(r) = c.hukou {
        parts.push(format!("hukou {}", r.as_str()));
    }
    match (c.age_min, c.age_max) {
        (Some(lo), Some(hi)) => parts.push(format!("age {lo}..={hi}")),
        (Some(lo), None) => parts.push(format!("age >= {lo}")),
        (None, Some(hi)) => parts.push(format!("age <= {hi}")),
        (None, None) => {}
    }
    if let Some(e) = &c.employment {
        parts.push(format!(
            "employment in [{}]",
            words(e.iter().map(|e| e.as_str()).collect())
        ));
    }
    if c.disability_grade_min.is_some() || c.disability_grade_max.is_some() {
        let (lo, hi) = (
            c.disability_grade_min.unwrap_or(0),
            c.disability_grade_max.unwrap_or(3),
        );
        parts.push(format!("disability grade {lo}..={hi}"));
    }
    if let Some(s) = &c.status_last_year {
        parts.push(format!(
            "status last year in [{}]",
            words(s.iter().map(|s| s.as_str()).collect())
        ));
    }
    if parts.is_empty() {
        "everyone".into()
    } else {
        parts.join("; ")
    }
}
