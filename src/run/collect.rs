//! From one simulated year to report rows: gathers per-person results from the engine's chunks and
//! computes the indicators of indicators.md (national, by residence, by region), the fiscal rows
//! and Lorenz points. Glue only: every formula is in `indicators` or `rules`.

use crate::dynamics::DemographicCounts;
use crate::engine::YearView;
use crate::error::Result;
use crate::indicators::{self as ind, Distribution, GroupMeans};
use crate::population::Residence;
use crate::results::names::{region_name, replication_name, residence_name};
use crate::results::{
    Demographic, FiscalRow, Fund, Income, Indicator, IndicatorRow, LorenzRow, Slice,
};
use crate::rules::{FiscalAccounts, Payer};

mod medical;
mod sorted;

use sorted::Sorted;
pub use sorted::Workspace;

/// Per-person columns of one year, gathered from the chunks in household order. Buffers are
/// reused from year to year.
#[derive(Debug, Default, Clone)]
pub struct Gathered {
    /// Stable person ids (to check that two scenarios hold the same persons).
    pub person_id: Vec<u64>,
    /// Household `h` is the persons `household_start[h]..household_start[h + 1]` (one more entry
    /// than households).
    pub household_start: Vec<u32>,
    /// Person weight.
    pub weight: Vec<f64>,
    /// Household residence.
    pub residence: Vec<Residence>,
    /// Household region index.
    pub region: Vec<u16>,
    /// Per-capita household market income M, yuan/year.
    pub market: Vec<f64>,
    /// Per-capita household M + P.
    pub after_pensions: Vec<f64>,
    /// Per-capita household disposable income D.
    pub disposable: Vec<f64>,
    /// Per-capita household D_care.
    pub disposable_care: Vec<f64>,
    /// Per-capita household D_health (v1.3).
    pub disposable_health: Vec<f64>,
    /// Per-capita household D_care_health (v1.3).
    pub disposable_care_health: Vec<f64>,
    /// Per-capita household medical out-of-pocket after insurance and assistance, yuan/year.
    pub medical_out_of_pocket: Vec<f64>,
    /// The person's own inpatient cost of the year, yuan (0 without a stay).
    pub inpatient_cost: Vec<f64>,
    /// The part of the person's own resident medical premium the government pays, yuan/year.
    pub medical_premium_paid: Vec<f64>,
    /// Dibao standard of the person's region and residence, yuan/year (0 = none).
    pub dibao_line: Vec<f64>,
    /// Per-capita household pensions P.
    pub pensions: Vec<f64>,
    /// Per-capita household assistance A.
    pub assistance: Vec<f64>,
    /// Per-capita household other transfers T.
    pub transfers: Vec<f64>,
    /// Per-capita household contributions C.
    pub contributions: Vec<f64>,
}

impl Gathered {
    /// Refills the columns from a year's chunks.
    pub fn fill(&mut self, view: &YearView<'_>) {
        let n: usize = view.chunks.iter().map(|c| c.persons.len()).sum();
        macro_rules! reset {
            ($($col:ident),*) => { $( self.$col.clear(); self.$col.reserve(n); )* };
        }
        reset!(
            person_id,
            weight,
            residence,
            region,
            market,
            after_pensions,
            disposable,
            disposable_care,
            disposable_health,
            disposable_care_health,
            medical_out_of_pocket,
            inpatient_cost,
            medical_premium_paid,
            dibao_line,
            pensions,
            assistance,
            transfers,
            contributions
        );
        let households: usize = view.chunks.iter().map(|c| c.households.len()).sum();
        self.household_start.clear();
        self.household_start.reserve(households + 1);
        self.household_start.push(0);
        for c in view.chunks {
            let (p, h, o) = (&c.persons, &c.households, &c.outcomes);
            for hh in 0..h.len() {
                let members = h.members(hh);
                let end = self.person_id.len() + members.len();
                // Distributions index persons with 32 bits (checked when they are built).
                self.household_start
                    .push(u32::try_from(end).unwrap_or(u32::MAX));
                // Each component as the rules booked it for the household (rules.md 2): T is
                // summed from the programs that pay it, never derived from D.
                let totals = o.household_totals[hh];
                let size = members.len() as f64;
                let pensions = totals.pensions / size;
                let assistance = totals.assistance / size;
                let transfers = totals.other_transfers / size;
                let contributions = totals.contributions / size;
                let disposable_health = totals.disposable_health() / size;
                let disposable_care_health = totals.disposable_care_health() / size;
                let medical_out_of_pocket = totals.medical_out_of_pocket / size;
                for i in members {
                    self.person_id.push(p.person_id[i]);
                    self.weight.push(h.weight[hh]);
                    self.residence.push(h.residence[hh]);
                    self.region.push(h.region[hh]);
                    self.market.push(o.household_per_capita_market[i]);
                    self.after_pensions
                        .push(o.household_per_capita_after_pensions[i]);
                    self.disposable.push(o.household_per_capita_disposable[i]);
                    self.disposable_care
                        .push(o.household_per_capita_disposable_care[i]);
                    self.disposable_health.push(disposable_health);
                    self.disposable_care_health.push(disposable_care_health);
                    self.medical_out_of_pocket.push(medical_out_of_pocket);
                    self.inpatient_cost.push(o.inpatient_cost()[i]);
                    self.medical_premium_paid.push(o.medical_premium_paid()[i]);
                    self.dibao_line.push(o.dibao_standard_yearly[i]);
                    self.pensions.push(pensions);
                    self.assistance.push(assistance);
                    self.transfers.push(transfers);
                    self.contributions.push(contributions);
                }
            }
        }
    }

    /// Income components in person order, for decile tables.
    pub fn components(&self) -> ind::IncomeComponents<'_> {
        ind::IncomeComponents {
            market: &self.market,
            pensions: &self.pensions,
            assistance: &self.assistance,
            transfers: &self.transfers,
            contributions: &self.contributions,
            disposable: &self.disposable,
            medical_out_of_pocket: &self.medical_out_of_pocket,
        }
    }
}

/// Labels of one scenario, replication and year.
#[derive(Debug, Clone, Copy)]
pub struct Labels<'a> {
    /// Scenario name.
    pub scenario: &'a str,
    /// Replication.
    pub replication: u32,
    /// Year.
    pub year: i32,
}

/// An indicator's value, or why it has none (the indicator's own message).
type Value = std::result::Result<f64, String>;

/// An indicator's result as a [`Value`]: indicators fail only with [`crate::Error::Undefined`].
fn value(r: Result<f64>) -> Value {
    r.map_err(|e| e.to_string())
}

/// The run log's line about a scenario's undefined indicators: how many, and the first with its
/// year, replication, slice and indicator (which names the income concept) and why; `None` when
/// every value is defined.
pub fn undefined_note(rows: &[IndicatorRow]) -> Option<String> {
    let mut undefined = rows.iter().filter(|r| r.reason.is_some());
    let first = undefined.next()?;
    Some(format!(
        "note {}: {} indicator value(s) undefined, written empty with their reason in \
         indicators.csv; the first: year {}, replication {}, region `{}`, residence `{}`, `{}`: {}",
        first.scenario,
        1 + undefined.count(),
        first.year,
        replication_name(first.replication),
        region_name(&first.slice),
        residence_name(&first.slice),
        first.indicator,
        first.reason.as_deref().unwrap_or_default()
    ))
}

/// Everything one year produces for the report.
#[derive(Debug, Default)]
pub struct YearRows {
    /// Indicator rows.
    pub indicators: Vec<IndicatorRow>,
    /// Fiscal rows.
    pub fiscal: Vec<FiscalRow>,
    /// Lorenz points of D (when asked).
    pub lorenz: Vec<LorenzRow>,
}

/// Population, mean, median and Gini of D for one group of persons.
struct GroupStats {
    population: f64,
    mean: Value,
    median: Value,
    gini: Value,
}

impl GroupStats {
    fn push_into(self, push: &mut impl FnMut(&Slice, Indicator, Value), slice: &Slice) {
        push(slice, Indicator::Population, Ok(self.population));
        push(slice, Indicator::Mean(Income::Disposable), self.mean);
        push(slice, Indicator::Median(Income::Disposable), self.median);
        push(slice, Indicator::Gini(Income::Disposable), self.gini);
    }
}

/// Statistics of D over the persons `keep` selects, filtered from the sorted national
/// distribution (no second sort); for an empty group, population 0 and the rest undefined.
fn group_stats(ws: &mut Workspace, keep: impl Fn(usize) -> bool) -> GroupStats {
    let mut group = std::mem::take(&mut ws.group);
    let filled = ws
        .disposable()
        .is_some_and(|parent| parent.subset_into(keep, &mut group));
    let stats = if filled {
        GroupStats {
            population: group.total_weight(),
            mean: Ok(group.mean()),
            median: Ok(group.median()),
            gini: value(group.gini()),
        }
    } else {
        let none = || Err("no persons in this slice".to_owned());
        GroupStats {
            population: 0.0,
            mean: none(),
            median: none(),
            gini: none(),
        }
    };
    ws.group = group;
    stats
}

/// Gathers `view` into `g` and computes its rows (replication 0, no Lorenz points): a year's whole
/// indicator work, for the benchmarks and tests that time it or count its allocations.
pub fn indicators_of_year(
    view: &YearView<'_>,
    scenario: &str,
    g: &mut Gathered,
    ws: &mut Workspace,
) -> YearRows {
    g.fill(view);
    let labels = Labels {
        scenario,
        replication: 0,
        year: view.year,
    };
    year_rows(
        g,
        view.regions,
        view.fiscal,
        &view.demography,
        labels,
        ws,
        false,
    )
}

/// Computes the indicators, fiscal rows and (optionally) Lorenz points of one year. An undefined
/// indicator (a mean not positive, P10 of 0, an empty slice) is a row with value NaN and the
/// indicator's reason; a Lorenz curve that is undefined has no points.
pub fn year_rows(
    g: &Gathered,
    regions: &[String],
    fiscal: &FiscalAccounts,
    demography: &DemographicCounts,
    labels: Labels<'_>,
    ws: &mut Workspace,
    with_lorenz: bool,
) -> YearRows {
    use Income::{
        Disposable, DisposableCare, DisposableCareHealth, DisposableHealth, Market, MarketPensions,
    };
    let mut rows = YearRows::default();
    let mut push = |slice: &Slice, indicator: Indicator, value: Value| {
        rows.indicators.push(IndicatorRow {
            scenario: labels.scenario.to_string(),
            replication: Some(labels.replication),
            year: labels.year,
            slice: slice.clone(),
            indicator,
            value: value.as_ref().map_or(f64::NAN, |v| *v),
            ci_low: f64::NAN,
            ci_high: f64::NAN,
            reason: value.err(),
        });
    };
    let all = &Slice::NATIONAL;
    let w = &g.weight;
    ws.sort(g);
    let market = ws.sorted(Market);
    let d = ws.sorted(Disposable);
    push(all, Indicator::Gini(Market), market.get(Distribution::gini));
    push(all, Indicator::Gini(Disposable), d.get(Distribution::gini));
    let population = d.distribution.as_ref().map_or(0.0, |d| d.total_weight());
    push(all, Indicator::Population, Ok(population));
    push(all, Indicator::Mean(Disposable), d.get(|d| Ok(d.mean())));
    push(
        all,
        Indicator::Median(Disposable),
        d.get(|d| Ok(d.median())),
    );
    let survey = ws.survey();
    push(
        all,
        Indicator::SurveyBasisMean,
        survey.get(|s| Ok(s.mean())),
    );
    push(
        all,
        Indicator::SurveyBasisMedian,
        survey.get(|s| Ok(s.median())),
    );
    push(
        all,
        Indicator::SurveyBasisGini,
        survey.get(Distribution::gini),
    );
    push(all, Indicator::Theil, d.get(|d| Ok(d.theil()?.value)));
    let mld = d.get(|d| Ok(d.mean_log_deviation()?.value));
    push(all, Indicator::MeanLogDeviation, mld);
    push(all, Indicator::Palma, d.get(Distribution::palma));
    push(all, Indicator::P90P10, d.get(Distribution::p90_p10));
    let shares = d.get(Distribution::quintile_shares);
    for (quintile, k) in (1..).zip(0..5) {
        let share = shares.as_ref().map(|s| s[k]).map_err(Clone::clone);
        push(all, Indicator::QuintileShare(quintile), share);
    }
    for percent in [40, 50, 60] {
        // Exact: 40 / 100 rounds to the same double as 0.4.
        let share = f64::from(percent) / 100.0;
        let rate = d.get(|d| d.headcount_rate(d.relative_poverty_line(share)));
        push(all, Indicator::PovertyRate(percent), rate);
    }
    let fgt50 = d.get(|d| d.fgt(d.relative_poverty_line(0.5)));
    let gap = fgt50.as_ref().map(|f| f.gap).map_err(Clone::clone);
    push(all, Indicator::PovertyGap(50), gap);
    push(
        all,
        Indicator::PovertySeverity(50),
        fgt50.map(|f| f.severity),
    );
    let below = ind::poverty_below_own_lines(&g.disposable, w, &g.dibao_line);
    push(
        all,
        Indicator::BelowDibaoRate,
        value(below.map(|f| f.headcount_rate)),
    );
    if let Some(points) = d.get(Distribution::lorenz).ok().filter(|_| with_lorenz) {
        for p in points {
            rows.lorenz.push(LorenzRow {
                scenario: labels.scenario.to_string(),
                year: labels.year,
                concept: Disposable,
                population_share: p.population_share,
                income_share: p.income_share,
            });
        }
    }
    let reynolds = market.get(|m| ind::reynolds_smolensky(m, &g.disposable));
    push(all, Indicator::ReynoldsSmolensky, reynolds);
    // RE = G(M) - G(D): undefined where either Gini is.
    let redistributive = match &d.distribution {
        Ok(dd) => d
            .get(Distribution::gini)
            .and_then(|_| market.get(|m| ind::redistributive_effect(m, dd))),
        Err(_) => d.get(Distribution::gini),
    };
    push(all, Indicator::RedistributiveEffect, redistributive);
    let after_pensions = ws.sorted(MarketPensions);
    push(
        all,
        Indicator::Gini(MarketPensions),
        after_pensions.get(Distribution::gini),
    );
    let care = ws.sorted(DisposableCare);
    push(
        all,
        Indicator::Gini(DisposableCare),
        care.get(Distribution::gini),
    );
    let care_health = ws.sorted(DisposableCareHealth);
    push(
        all,
        Indicator::Gini(DisposableCareHealth),
        care_health.get(Distribution::gini),
    );
    let health = ws.sorted(DisposableHealth);
    medical::medical_hardship(g, &d, &health, &mut |indicator, value| {
        push(all, indicator, value)
    });

    let means = GroupMeans::new(&g.disposable, w, &g.residence, &g.region, regions.len());
    let market_means = GroupMeans::new(&g.market, w, &g.residence, &g.region, regions.len());
    let ratio = |m: &Result<GroupMeans>, region| match m {
        Ok(m) => value(m.urban_rural_ratio(region)),
        Err(e) => Err(e.to_string()),
    };
    push(
        all,
        Indicator::UrbanRuralRatio(Disposable),
        ratio(&means, None),
    );
    push(
        all,
        Indicator::UrbanRuralRatio(Market),
        ratio(&market_means, None),
    );
    // By residence, and by region when there are several.
    for res in Residence::ALL {
        group_stats(ws, |i| g.residence[i] == res).push_into(&mut push, &Slice::residence(res));
    }
    if regions.len() > 1 {
        for (r, code) in regions.iter().enumerate() {
            let region = Slice::region(code);
            group_stats(ws, |i| g.region[i] as usize == r).push_into(&mut push, &region);
            push(
                &region,
                Indicator::UrbanRuralRatio(Disposable),
                ratio(&means, Some(r)),
            );
        }
        let gaps = match &means {
            Ok(m) => value(m.regional_gaps().map(|g| g.highest_over_lowest)),
            Err(e) => Err(e.to_string()),
        };
        push(all, Indicator::RegionalRatio, gaps);
    }
    push(
        all,
        Indicator::FiscalCostTotal,
        Ok(fiscal.government_total()),
    );
    for (line, account) in fiscal.lines() {
        let persons = account.beneficiaries_persons.value();
        push(
            all,
            Indicator::FiscalCost(line.clone()),
            Ok(account.paid(Payer::Government)),
        );
        push(all, Indicator::Beneficiaries(line.clone()), Ok(persons));
        for payer in Payer::ALL {
            let amount = account.paid(payer);
            if amount == 0.0 {
                continue;
            }
            rows.fiscal.push(FiscalRow {
                scenario: labels.scenario.to_string(),
                replication: Some(labels.replication),
                year: labels.year,
                program: line.clone(),
                payer,
                amount_yuan: amount,
                beneficiaries_persons: persons,
                beneficiaries_households: account.beneficiaries_households.value(),
                mean_benefit_yuan: if persons > 0.0 {
                    account.benefits.value() / persons
                } else {
                    0.0
                },
            });
        }
    }
    // `fiscal.funds` holds the registered funds in their order, as `Fund::all` yields them.
    for (fund, flows) in Fund::all().zip(&fiscal.funds) {
        push(
            all,
            Indicator::FundContributions(fund),
            Ok(flows.contributions.value()),
        );
        push(
            all,
            Indicator::FundBenefits(fund),
            Ok(flows.benefits.value()),
        );
        push(all, Indicator::FundBalance(fund), Ok(flows.balance()));
    }
    for (event, count) in [
        (Demographic::Births, &demography.births),
        (Demographic::Deaths, &demography.deaths),
        (Demographic::RuralUrbanMigrants, &demography.migrants),
    ] {
        push(all, Indicator::Demographic(event), Ok(count.value()));
    }
    rows
}
