//! `summary.xlsx`, the run as an analyst opens it in Excel (issue 18): the summary table, the
//! decile table, fiscal cost by program and payer, and the headline indicators by year, one sheet
//! each. Units are in the column heads, numbers are numbers (shares formatted as percent, yuan
//! with separators), and column widths are set from the contents. Values are the rows the run
//! computed (national, mean over replications); the only arithmetic is the report's: yuan to 亿元,
//! Gini to points, and differences against the reference. The document's creation time is fixed
//! so that the same run gives the same bytes.

use std::path::Path;

use rust_xlsxwriter::{DocProperties, ExcelDateTime, Format, Workbook, Worksheet, XlsxError};

use crate::fsutil::atomic_write;
use crate::report::terms::{self, Lang, Term};
use crate::results::view::View;
use crate::results::{Income, Indicator};
use crate::rules::{FiscalLine, Program};
use crate::{Error, Result};

/// Yuan in one 亿元 (100 million yuan).
const YUAN_PER_YI: f64 = 1e8;
/// Gini points per unit of Gini (a change of 0.01 is one point).
const POINTS_PER_GINI: f64 = 100.0;
/// Widest column, in characters: long scenario names wrap in Excel rather than push the table.
const MAX_WIDTH: usize = 48;

/// How a number column is shown; the cell keeps the full value.
#[derive(Clone, Copy)]
enum Shown {
    /// Whole numbers with thousands separators (yuan, persons).
    Whole,
    /// One decimal with separators (亿元, percent points of a gain).
    OneDecimal,
    /// Three decimals (Gini, ratios).
    Ratio,
    /// A share in [0, 1] shown as a percent with 2 decimals.
    Percent,
}

impl Shown {
    fn format(self) -> Format {
        Format::new().set_num_format(match self {
            Shown::Whole => "#,##0",
            Shown::OneDecimal => "#,##0.0",
            Shown::Ratio => "0.000",
            Shown::Percent => "0.00%",
        })
    }
}

/// One cell of a sheet.
enum Value {
    Text(String),
    Number(f64, Shown),
    Empty,
}

/// A sheet: its name, column heads and rows.
struct Sheet {
    name: &'static str,
    heads: Vec<&'static str>,
    rows: Vec<Vec<Value>>,
}

/// Writes `summary.xlsx` (complete or absent).
pub fn write_workbook(path: &Path, view: &View<'_>) -> Result<()> {
    let lang = view.results.lang;
    let mut sheets = vec![
        summary(view, lang),
        deciles(view, lang),
        fiscal(view, lang),
        indicators(view, lang),
    ];
    if !view.results.frontiers.is_empty() {
        sheets.push(frontier(view, lang));
    }
    let bytes = build(&sheets).map_err(|e| Error::io(path, std::io::Error::other(e)))?;
    atomic_write(path, |w| std::io::Write::write_all(w, &bytes))
}

fn build(sheets: &[Sheet]) -> std::result::Result<Vec<u8>, XlsxError> {
    let mut book = Workbook::new();
    let created = ExcelDateTime::from_ymd(2022, 1, 1)?;
    book.set_properties(&DocProperties::new().set_creation_datetime(&created));
    let head = Format::new().set_bold().set_text_wrap();
    for sheet in sheets {
        let ws = book.add_worksheet();
        ws.set_name(sheet.name)?;
        fill(ws, sheet, &head)?;
    }
    book.save_to_buffer()
}

fn fill(ws: &mut Worksheet, sheet: &Sheet, head: &Format) -> std::result::Result<(), XlsxError> {
    let mut widths: Vec<usize> = sheet.heads.iter().map(|h| width(h)).collect();
    for (col, h) in sheet.heads.iter().enumerate() {
        ws.write_string_with_format(0, col as u16, *h, head)?;
    }
    for (i, row) in sheet.rows.iter().enumerate() {
        let r = i as u32 + 1;
        for (col, value) in row.iter().enumerate() {
            let c = col as u16;
            match value {
                Value::Text(t) => {
                    ws.write_string(r, c, t)?;
                    widths[col] = widths[col].max(width(t));
                }
                Value::Number(v, shown) if v.is_finite() => {
                    ws.write_number_with_format(r, c, *v, &shown.format())?;
                    widths[col] = widths[col].max(12);
                }
                Value::Number(..) | Value::Empty => {}
            }
        }
    }
    for (col, w) in widths.iter().enumerate() {
        ws.set_column_width(col as u16, (*w).min(MAX_WIDTH) as f64 + 2.0)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// Display width in Excel's character units: a CJK character counts two.
fn width(text: &str) -> usize {
    text.chars()
        .map(|c| if c as u32 >= 0x2E80 { 2 } else { 1 })
        .sum()
}

/// A value of the view, or an empty cell.
fn number(value: Option<f64>, shown: Shown) -> Value {
    value.map_or(Value::Empty, |v| Value::Number(v, shown))
}

/// The report's summary table: per summary year and scenario, Gini of D and its change, the
/// urban-rural ratio, poverty at 50% of the median, government cost and its change.
fn summary(view: &View<'_>, lang: Lang) -> Sheet {
    let r = view.results;
    let reference = r.reference_scenario.as_str();
    let gini = Indicator::Gini(Income::Disposable);
    let mut rows = Vec::new();
    for year in view.summary_years() {
        let gini_of = |s: &str| view.national(s, &gini, year);
        let cost_of = |s: &str| view.government_cost(s, year).map(|v| v / YUAN_PER_YI);
        for s in &r.scenarios {
            let name = s.name.as_str();
            let change = |f: &dyn Fn(&str) -> Option<f64>, scale: f64, shown: Shown| {
                if name == reference {
                    Value::Text(lang.t(Term::Reference).to_owned())
                } else {
                    number(
                        f(name).zip(f(reference)).map(|(a, b)| (a - b) * scale),
                        shown,
                    )
                }
            };
            rows.push(vec![
                Value::Text(name.to_owned()),
                Value::Number(f64::from(year), Shown::Whole),
                number(gini_of(name), Shown::Ratio),
                change(&gini_of, POINTS_PER_GINI, Shown::Ratio),
                number(
                    view.national(name, &Indicator::UrbanRuralRatio(Income::Disposable), year),
                    Shown::Ratio,
                ),
                number(
                    view.national(name, &Indicator::PovertyRate(50), year),
                    Shown::Percent,
                ),
                number(cost_of(name), Shown::OneDecimal),
                change(&cost_of, 1.0, Shown::OneDecimal),
            ]);
        }
    }
    Sheet {
        name: lang.t(Term::SheetSummary),
        heads: [
            Term::Scenario,
            Term::Year,
            Term::GiniD,
            Term::GiniChangePoints,
            Term::UrbanRuralRatioD,
            Term::PovertyRate50,
            Term::GovernmentCostYi,
            Term::GovernmentCostChangeYi,
        ]
        .map(|t| lang.t(t))
        .to_vec(),
        rows,
    }
}

/// The reform grids' frontier (`frontier.csv`): per point, its grid values, extra government
/// cost (亿元) and changes in the Gini (points) and the poverty rate (percentage points).
fn frontier(view: &View<'_>, lang: Lang) -> Sheet {
    let mut rows = Vec::new();
    for f in &view.results.frontiers {
        for p in &f.points {
            let mut row = vec![
                Value::Text(f.grid.clone()),
                Value::Text(p.scenario.clone()),
                Value::Number(f64::from(f.year), Shown::Whole),
            ];
            for i in 0..2 {
                match (f.parameters.get(i), p.values.get(i)) {
                    (Some(k), Some(v)) => {
                        row.push(Value::Text(k.clone()));
                        row.push(Value::Number(*v, Shown::Ratio));
                    }
                    _ => row.extend([Value::Empty, Value::Empty]),
                }
            }
            row.extend([
                Value::Number(p.extra_cost_yuan / YUAN_PER_YI, Shown::OneDecimal),
                Value::Number(p.gini_change * POINTS_PER_GINI, Shown::Ratio),
                Value::Number(p.poverty_change * 100.0, Shown::Ratio),
            ]);
            rows.push(row);
        }
    }
    Sheet {
        name: lang.t(Term::SheetFrontier),
        heads: [
            Term::GridLegend,
            Term::Scenario,
            Term::Year,
            Term::GridParameter,
            Term::GridValue,
            Term::GridParameter,
            Term::GridValue,
            Term::ExtraCostHead,
            Term::GiniChangePoints,
            Term::PovertyChangeHead,
        ]
        .map(|t| lang.t(t))
        .to_vec(),
        rows,
    }
}

/// Every row of `deciles.csv`, in its order, with the CSV's units.
fn deciles(view: &View<'_>, lang: Lang) -> Sheet {
    let rows = view
        .results
        .deciles
        .iter()
        .map(|d| {
            let yuan = |v: f64| Value::Number(v, Shown::Whole);
            let row = &d.row;
            vec![
                Value::Text(d.scenario.clone()),
                Value::Number(f64::from(d.year), Shown::Whole),
                Value::Number(f64::from(row.decile), Shown::Whole),
                yuan(row.market),
                yuan(row.pensions),
                yuan(row.assistance),
                yuan(row.transfers),
                yuan(row.contributions),
                yuan(row.disposable),
                yuan(row.gain_yuan),
                number(row.gain_percent, Shown::OneDecimal),
                Value::Number(row.better_off_share, Shown::Percent),
                Value::Number(row.worse_off_share, Shown::Percent),
                yuan(row.medical_out_of_pocket),
            ]
        })
        .collect();
    Sheet {
        name: lang.t(Term::SheetDeciles),
        heads: [
            Term::Scenario,
            Term::Year,
            Term::Decile,
            Term::MarketIncome,
            Term::Pensions,
            Term::Assistance,
            Term::Transfers,
            Term::Contributions,
            Term::DisposableIncome,
            Term::GainYuan,
            Term::GainPercent,
            Term::BetterOff,
            Term::WorseOff,
            Term::MedicalOutOfPocket,
        ]
        .map(|t| lang.t(t))
        .to_vec(),
        rows,
    }
}

/// The rows of `fiscal.csv` that are means over replications, in its order, amounts in 亿元.
fn fiscal(view: &View<'_>, lang: Lang) -> Sheet {
    let rows = view
        .results
        .fiscal
        .iter()
        .filter(|f| f.replication.is_none())
        .map(|f| {
            vec![
                Value::Text(f.scenario.clone()),
                Value::Number(f64::from(f.year), Shown::Whole),
                Value::Text(terms::line(lang, &f.program)),
                Value::Text(terms::payer(lang, f.payer).to_owned()),
                Value::Number(f.amount_yuan / YUAN_PER_YI, Shown::OneDecimal),
                Value::Number(f.beneficiaries_persons, Shown::Whole),
                Value::Number(f.beneficiaries_households, Shown::Whole),
                Value::Number(f.mean_benefit_yuan, Shown::Whole),
            ]
        })
        .collect();
    Sheet {
        name: lang.t(Term::SheetFiscal),
        heads: [
            Term::Scenario,
            Term::Year,
            Term::Program,
            Term::Payer,
            Term::AmountYi,
            Term::BeneficiaryPersons,
            Term::BeneficiaryHouseholds,
            Term::MeanBenefit,
        ]
        .map(|t| lang.t(t))
        .to_vec(),
        rows,
    }
}

/// The headline indicators ([`headline`]) per scenario and year, national means.
fn indicators(view: &View<'_>, lang: Lang) -> Sheet {
    let headline = headline();
    let mut rows = Vec::new();
    for s in &view.results.scenarios {
        for &year in view.years() {
            let mut row = vec![
                Value::Text(s.name.clone()),
                Value::Number(f64::from(year), Shown::Whole),
            ];
            row.extend(headline.iter().map(|h| {
                number(
                    view.national(&s.name, &h.indicator, year)
                        .map(|v| v * h.scale),
                    h.shown,
                )
            }));
            rows.push(row);
        }
    }
    let mut heads = vec![lang.t(Term::Scenario), lang.t(Term::Year)];
    heads.extend(headline.iter().map(|h| lang.t(h.head)));
    Sheet {
        name: lang.t(Term::SheetIndicators),
        heads,
        rows,
    }
}

/// A headline indicator's column: the indicator, its head, the factor from the indicator's unit
/// to the shown one, and how it is shown.
struct Headline {
    indicator: Indicator,
    head: Term,
    scale: f64,
    shown: Shown,
}

/// The headline indicators by year, in column order: Gini and urban-rural ratio of D, poverty at
/// 50% of the median and below the dibao standard, dibao and tekun recipients (weighted persons),
/// total government cost (亿元), impoverishment by medical spending at 50% of the median, and the
/// population (persons).
fn headline() -> Vec<Headline> {
    let recipients = |name: &str, head: Term| {
        let line = FiscalLine::Program(Program::named(name)?);
        Some(Headline {
            indicator: Indicator::Beneficiaries(line),
            head,
            scale: 1.0,
            shown: Shown::Whole,
        })
    };
    let plain = |indicator: Indicator, head: Term, shown: Shown| {
        Some(Headline {
            indicator,
            head,
            scale: 1.0,
            shown,
        })
    };
    [
        plain(
            Indicator::Gini(Income::Disposable),
            Term::GiniD,
            Shown::Ratio,
        ),
        plain(
            Indicator::UrbanRuralRatio(Income::Disposable),
            Term::UrbanRuralRatioD,
            Shown::Ratio,
        ),
        plain(
            Indicator::PovertyRate(50),
            Term::PovertyRate50,
            Shown::Percent,
        ),
        plain(
            Indicator::BelowDibaoRate,
            Term::BelowDibaoRate,
            Shown::Percent,
        ),
        recipients("dibao", Term::DibaoRecipients),
        recipients("tekun", Term::TekunRecipients),
        Some(Headline {
            indicator: Indicator::FiscalCostTotal,
            head: Term::GovernmentCostYi,
            scale: 1.0 / YUAN_PER_YI,
            shown: Shown::OneDecimal,
        }),
        plain(
            Indicator::ImpoverishmentRate(50),
            Term::Impoverishment50,
            Shown::Percent,
        ),
        plain(Indicator::Population, Term::PopulationPersons, Shown::Whole),
    ]
    .into_iter()
    .flatten()
    .collect()
}
