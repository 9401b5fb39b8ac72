//! From one simulated year to report rows: gathers per-person results from the engine's chunks and
//! computes the indicators of indicators.md (national, by residence, by region), the fiscal rows
//! and Lorenz points. Glue only: every formula is in `indicators` or `rules`.

use crate::dynamics::DemographicCounts;
use crate::engine::YearView;
use crate::error::Result;
use crate::indicators::{self as ind, Distribution, GroupMeans};
use crate::population::Residence;
use crate::results::{
    Demographic, FiscalRow, Fund, Income, Indicator, IndicatorRow, LorenzRow, Slice,
};
use crate::rules::{FiscalAccounts, Payer};

/// Per-person columns of one year, gathered from the chunks in household order. Buffers are
/// reused from year to year.
#[derive(Debug, Default, Clone)]
pub struct Gathered {
    /// Stable person ids (to check that two scenarios hold the same persons).
    pub person_id: Vec<u64>,
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
            dibao_line,
            pensions,
            assistance,
            transfers,
            contributions
        );
        for c in view.chunks {
            let (p, h, o) = (&c.persons, &c.households, &c.outcomes);
            for hh in 0..h.len() {
                let members = h.members(hh);
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

/// Sorted distributions of one year, reused across years.
#[derive(Debug, Default)]
pub struct Workspace {
    market: Option<Distribution>,
    after_pensions: Option<Distribution>,
    disposable: Option<Distribution>,
    disposable_care: Option<Distribution>,
    disposable_health: Option<Distribution>,
    disposable_care_health: Option<Distribution>,
    group: Option<Distribution>,
    survey: Option<Distribution>,
    survey_weight: Vec<f64>,
}

fn rebuild<'a>(
    slot: &'a mut Option<Distribution>,
    values: &[f64],
    weights: &[f64],
) -> Result<&'a Distribution> {
    match slot {
        Some(d) => d.rebuild(values, weights)?,
        None => *slot = Some(Distribution::new(values, weights)?),
    }
    Ok(slot.as_ref().expect("just built"))
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
    mean: f64,
    median: f64,
    gini: f64,
}

impl GroupStats {
    fn push_into(&self, push: &mut impl FnMut(&Slice, Indicator, f64), slice: &Slice) {
        push(slice, Indicator::Population, self.population);
        push(slice, Indicator::Mean(Income::Disposable), self.mean);
        push(slice, Indicator::Median(Income::Disposable), self.median);
        push(slice, Indicator::Gini(Income::Disposable), self.gini);
    }
}

/// Statistics of D over the persons `keep` selects, filtered from the sorted national
/// distribution (no second sort); `None` for an empty group.
fn group_stats(ws: &mut Workspace, keep: impl Fn(usize) -> bool) -> Result<Option<GroupStats>> {
    let parent = ws
        .disposable
        .as_ref()
        .expect("national distribution built first");
    let group = ws.group.get_or_insert_with(Distribution::default);
    if !parent.subset_into(keep, group) {
        return Ok(None);
    }
    Ok(Some(GroupStats {
        population: group.total_weight(),
        mean: group.mean(),
        median: group.median(),
        gini: group.gini()?,
    }))
}

/// Medical hardship of the whole population (indicators.md, "Poverty", v1.3): the Gini of
/// D_health, its headcounts below D's relative lines and the dibao standards, the impoverishment
/// rates and catastrophic health spending.
fn medical_hardship(
    g: &Gathered,
    ws: &mut Workspace,
    push: &mut impl FnMut(Indicator, f64),
) -> Result<()> {
    let w = &g.weight;
    let line_50 = ws
        .disposable
        .as_ref()
        .expect("national distribution built first")
        .relative_poverty_line(0.5);
    let health = rebuild(&mut ws.disposable_health, &g.disposable_health, w)?;
    push(Indicator::Gini(Income::DisposableHealth), health.gini()?);
    let d = ws.disposable.as_ref().expect("built first");
    for percent in [40, 50, 60] {
        let line = d.relative_poverty_line(f64::from(percent) / 100.0);
        push(
            Indicator::HealthPovertyRate(percent),
            health.headcount_rate(line)?,
        );
    }
    push(
        Indicator::HealthBelowDibaoRate,
        ind::poverty_below_own_lines(&g.disposable_health, w, &g.dibao_line)?.headcount_rate,
    );
    for (indicator, line) in [
        (
            Indicator::ImpoverishmentRate(50),
            ind::Line::Common(line_50),
        ),
        (
            Indicator::ImpoverishmentBelowDibao,
            ind::Line::PerPerson(&g.dibao_line),
        ),
    ] {
        let rate = ind::impoverishment_rate(&g.disposable, &g.disposable_health, w, line)?;
        push(indicator, rate);
    }
    for percent in [10, 25] {
        let rate = ind::catastrophic_health_spending_rate(
            &g.medical_out_of_pocket,
            &g.disposable,
            w,
            f64::from(percent) / 100.0,
        )?;
        push(Indicator::CatastrophicHealthSpending(percent), rate);
    }
    Ok(())
}

/// Computes the indicators, fiscal rows and (optionally) Lorenz points of one year.
pub fn year_rows(
    g: &Gathered,
    regions: &[String],
    fiscal: &FiscalAccounts,
    demography: &DemographicCounts,
    labels: Labels<'_>,
    ws: &mut Workspace,
    with_lorenz: bool,
) -> Result<YearRows> {
    use Income::{Disposable, DisposableCare, DisposableCareHealth, Market, MarketPensions};
    let mut rows = YearRows::default();
    let mut push = |slice: &Slice, indicator: Indicator, value: f64| {
        rows.indicators.push(IndicatorRow {
            scenario: labels.scenario.to_string(),
            replication: Some(labels.replication),
            year: labels.year,
            slice: slice.clone(),
            indicator,
            value,
            ci_low: f64::NAN,
            ci_high: f64::NAN,
        });
    };
    let all = &Slice::NATIONAL;
    let w = &g.weight;
    let market = rebuild(&mut ws.market, &g.market, w)?;
    push(all, Indicator::Gini(Market), market.gini()?);
    let d = rebuild(&mut ws.disposable, &g.disposable, w)?;
    push(all, Indicator::Gini(Disposable), d.gini()?);
    push(all, Indicator::Population, d.total_weight());
    push(all, Indicator::Mean(Disposable), d.mean());
    push(all, Indicator::Median(Disposable), d.median());
    ind::survey_basis_weights(w, &g.residence, &mut ws.survey_weight);
    let survey = rebuild(&mut ws.survey, &g.disposable, &ws.survey_weight)?;
    push(all, Indicator::SurveyBasisMean, survey.mean());
    push(all, Indicator::SurveyBasisMedian, survey.median());
    push(all, Indicator::SurveyBasisGini, survey.gini()?);
    let d = ws.disposable.as_ref().expect("built above");
    push(all, Indicator::Theil, d.theil()?.value);
    push(
        all,
        Indicator::MeanLogDeviation,
        d.mean_log_deviation()?.value,
    );
    push(all, Indicator::Palma, d.palma()?);
    push(all, Indicator::P90P10, d.p90_p10()?);
    for (quintile, share) in (1..).zip(d.quintile_shares()?) {
        push(all, Indicator::QuintileShare(quintile), share);
    }
    for percent in [40, 50, 60] {
        // Exact: 40 / 100 rounds to the same double as 0.4.
        let line = d.relative_poverty_line(f64::from(percent) / 100.0);
        push(
            all,
            Indicator::PovertyRate(percent),
            d.headcount_rate(line)?,
        );
    }
    let fgt50 = d.fgt(d.relative_poverty_line(0.5))?;
    push(all, Indicator::PovertyGap(50), fgt50.gap);
    push(all, Indicator::PovertySeverity(50), fgt50.severity);
    push(
        all,
        Indicator::BelowDibaoRate,
        ind::poverty_below_own_lines(&g.disposable, w, &g.dibao_line)?.headcount_rate,
    );
    if with_lorenz {
        for p in d.lorenz()? {
            rows.lorenz.push(LorenzRow {
                scenario: labels.scenario.to_string(),
                year: labels.year,
                concept: Disposable,
                population_share: p.population_share,
                income_share: p.income_share,
            });
        }
    }
    let market = ws.market.as_ref().expect("built above");
    push(
        all,
        Indicator::ReynoldsSmolensky,
        ind::reynolds_smolensky(market, &g.disposable)?,
    );
    push(
        all,
        Indicator::RedistributiveEffect,
        ind::redistributive_effect(market, ws.disposable.as_ref().expect("built above"))?,
    );
    push(
        all,
        Indicator::Gini(MarketPensions),
        rebuild(&mut ws.after_pensions, &g.after_pensions, w)?.gini()?,
    );
    push(
        all,
        Indicator::Gini(DisposableCare),
        rebuild(&mut ws.disposable_care, &g.disposable_care, w)?.gini()?,
    );
    push(
        all,
        Indicator::Gini(DisposableCareHealth),
        rebuild(&mut ws.disposable_care_health, &g.disposable_care_health, w)?.gini()?,
    );
    medical_hardship(g, ws, &mut |indicator, value| push(all, indicator, value))?;

    let means = GroupMeans::new(&g.disposable, w, &g.residence, &g.region, regions.len())?;
    let market_means = GroupMeans::new(&g.market, w, &g.residence, &g.region, regions.len())?;
    if let Ok(r) = means.urban_rural_ratio(None) {
        push(all, Indicator::UrbanRuralRatio(Disposable), r);
    }
    if let Ok(r) = market_means.urban_rural_ratio(None) {
        push(all, Indicator::UrbanRuralRatio(Market), r);
    }
    // By residence, and by region when there are several.
    for res in Residence::ALL {
        if let Some(stats) = group_stats(ws, |i| g.residence[i] == res)? {
            stats.push_into(&mut push, &Slice::residence(res));
        }
    }
    if regions.len() > 1 {
        for (r, code) in regions.iter().enumerate() {
            let region = Slice::region(code);
            if let Some(stats) = group_stats(ws, |i| g.region[i] as usize == r)? {
                stats.push_into(&mut push, &region);
            }
            if let Ok(ratio) = means.urban_rural_ratio(Some(r)) {
                push(&region, Indicator::UrbanRuralRatio(Disposable), ratio);
            }
        }
        if let Ok(gaps) = means.regional_gaps() {
            push(all, Indicator::RegionalRatio, gaps.highest_over_lowest);
        }
    }
    push(all, Indicator::FiscalCostTotal, fiscal.government_total());
    for (line, account) in fiscal.lines() {
        let persons = account.beneficiaries_persons.value();
        push(
            all,
            Indicator::FiscalCost(line.clone()),
            account.paid(Payer::Government),
        );
        push(all, Indicator::Beneficiaries(line.clone()), persons);
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
            flows.contributions.value(),
        );
        push(all, Indicator::FundBenefits(fund), flows.benefits.value());
        push(all, Indicator::FundBalance(fund), flows.balance());
    }
    for (event, count) in [
        (Demographic::Births, &demography.births),
        (Demographic::Deaths, &demography.deaths),
        (Demographic::RuralUrbanMigrants, &demography.migrants),
    ] {
        push(all, Indicator::Demographic(event), count.value());
    }
    Ok(rows)
}
