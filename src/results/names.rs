//! The one table of names: how typed result values are spelt in the output tables, and back (a
//! resumed batch reads its saved rows, `run::store`). Renaming an entry breaks users' scripts.
//!
//! Program lines and payers keep the names their rules give them ([`Program::as_str`],
//! [`Payer::as_str`]), residences the population-file spelling ([`Residence::as_str`]); a
//! categorical program is `categorical_<name>`. Reading is the inverse of writing: a name that no
//! value writes is refused, so a name reads back as the value that wrote it. One exception, since
//! a categorical program's name is the scenario author's: a change of a categorical line's cost
//! would read back as the line named `<name>_change` (no such row is written: the compared
//! indicators are fixed, `results::compare`).

use std::fmt;

use super::ids::{Demographic, Effect, Fund, Income, Indicator, Slice};
use crate::population::Residence;
use crate::rules::{FiscalLine, Payer, Program};

/// Region or residence cell of a row that covers every region or both residences.
pub const ALL: &str = "all";
/// Replication cell of a mean over replications.
pub const MEAN_OVER_REPLICATIONS: &str = "mean";
/// Prefix of a categorical program's line name.
const CATEGORICAL_PREFIX: &str = "categorical_";
/// Suffix of a difference against the reference.
const CHANGE_SUFFIX: &str = "_change";
/// Suffixes of a fund's flows (the fund named as its program declares it): the balance, the
/// contributions received and the benefits paid.
static FUND_FLOWS: [(Variant<Fund>, &str); 3] = [
    (Indicator::FundBalance, "_balance"),
    (Indicator::FundContributions, "_contributions"),
    (Indicator::FundBenefits, "_benefits"),
];

/// Income concepts, as indicator names and the Lorenz table's `concept` column spell them.
static INCOMES: [(Income, &str); 6] = [
    (Income::Market, "market"),
    (Income::MarketPensions, "market_pensions"),
    (Income::Disposable, "disposable"),
    (Income::DisposableCare, "disposable_care"),
    (Income::DisposableHealth, "disposable_health"),
    (Income::DisposableCareHealth, "disposable_care_health"),
];

/// Indicators without a parameter.
static FIXED: [(Indicator, &str); 22] = [
    (Indicator::Theil, "theil"),
    (Indicator::MeanLogDeviation, "mld"),
    (Indicator::Palma, "palma"),
    (Indicator::P90P10, "p90_p10"),
    (Indicator::SurveyBasisMean, "mean_disposable_survey_basis"),
    (
        Indicator::SurveyBasisMedian,
        "median_disposable_survey_basis",
    ),
    (Indicator::SurveyBasisGini, "gini_disposable_survey_basis"),
    (Indicator::BelowDibaoRate, "below_dibao_rate"),
    (Indicator::HealthBelowDibaoRate, "health_below_dibao_rate"),
    (
        Indicator::ImpoverishmentBelowDibao,
        "impoverishment_rate_dibao",
    ),
    (
        Indicator::InpatientAdmissionsPer100,
        "inpatient_admissions_per_100",
    ),
    (
        Indicator::MedicalPremiumPaidPersons,
        "medical_premium_paid_persons",
    ),
    (Indicator::ReynoldsSmolensky, "reynolds_smolensky"),
    (Indicator::RedistributiveEffect, "redistributive_effect"),
    (Indicator::RegionalRatio, "regional_ratio"),
    (Indicator::Population, "population"),
    (Indicator::FiscalCostTotal, "fiscal_cost_total"),
    (Indicator::Demographic(Demographic::Births), "births"),
    (Indicator::Demographic(Demographic::Deaths), "deaths"),
    (
        Indicator::Demographic(Demographic::RuralUrbanMigrants),
        "rural_urban_migrants",
    ),
    (
        Indicator::PerHundredMillionYuan(Effect::GiniPoints),
        "gini_points_per_100m_yuan",
    ),
    (
        Indicator::PerHundredMillionYuan(Effect::UrbanRuralRatio),
        "urban_rural_ratio_per_100m_yuan",
    ),
];

/// The variant of an indicator with a parameter `T`.
type Variant<T> = fn(T) -> Indicator;

/// Indicators with a concept: `<prefix><concept>`.
static BY_CONCEPT: [(Variant<Income>, &str); 4] = [
    (Indicator::Gini, "gini_"),
    (Indicator::Mean, "mean_"),
    (Indicator::Median, "median_"),
    (Indicator::UrbanRuralRatio, "urban_rural_ratio_"),
];

/// Indicators with a number (quintile, percent of the median): `<prefix><number>`.
static BY_NUMBER: [(Variant<u8>, &str); 7] = [
    (Indicator::QuintileShare, "quintile_share_"),
    (Indicator::PovertyRate, "poverty_rate_"),
    (Indicator::PovertyGap, "poverty_gap_"),
    (Indicator::PovertySeverity, "poverty_severity_"),
    (Indicator::HealthPovertyRate, "health_poverty_rate_"),
    (Indicator::ImpoverishmentRate, "impoverishment_rate_"),
    (
        Indicator::CatastrophicHealthSpending,
        "catastrophic_health_spending_",
    ),
];

/// Indicators of a program line: `<prefix><line>`.
static BY_LINE: [(Variant<FiscalLine>, &str); 2] = [
    (Indicator::FiscalCost, "fiscal_cost_"),
    (Indicator::Beneficiaries, "beneficiaries_"),
];

impl fmt::Display for Income {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name = INCOMES.iter().find(|(c, _)| c == self).map(|(_, n)| n);
        f.write_str(name.expect("every concept is named"))
    }
}

/// The income concept spelt `name`.
pub fn income(name: &str) -> Option<Income> {
    INCOMES.iter().find(|(_, n)| *n == name).map(|(c, _)| *c)
}

impl fmt::Display for Indicator {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Indicator::Gini(c) => write!(f, "gini_{c}"),
            Indicator::Mean(c) => write!(f, "mean_{c}"),
            Indicator::Median(c) => write!(f, "median_{c}"),
            // The ratio of D is the headline one and carries no concept.
            Indicator::UrbanRuralRatio(Income::Disposable) => f.write_str("urban_rural_ratio"),
            Indicator::UrbanRuralRatio(c) => write!(f, "urban_rural_ratio_{c}"),
            Indicator::QuintileShare(k) => write!(f, "quintile_share_{k}"),
            Indicator::PovertyRate(p) => write!(f, "poverty_rate_{p}"),
            Indicator::PovertyGap(p) => write!(f, "poverty_gap_{p}"),
            Indicator::PovertySeverity(p) => write!(f, "poverty_severity_{p}"),
            Indicator::HealthPovertyRate(p) => write!(f, "health_poverty_rate_{p}"),
            Indicator::ImpoverishmentRate(p) => write!(f, "impoverishment_rate_{p}"),
            Indicator::CatastrophicHealthSpending(p) => {
                write!(f, "catastrophic_health_spending_{p}")
            }
            Indicator::FiscalCost(line) => write!(f, "fiscal_cost_{}", LineName(line)),
            Indicator::Beneficiaries(line) => write!(f, "beneficiaries_{}", LineName(line)),
            Indicator::FundBalance(fund)
            | Indicator::FundContributions(fund)
            | Indicator::FundBenefits(fund) => {
                let suffix = FUND_FLOWS.iter().find(|(make, _)| make(*fund) == *self);
                let (_, suffix) = suffix.expect("every fund flow is in FUND_FLOWS");
                write!(f, "{}{suffix}", fund.name())
            }
            Indicator::Change(of) => write!(f, "{of}{CHANGE_SUFFIX}"),
            fixed => {
                let name = FIXED.iter().find(|(i, _)| i == fixed).map(|(_, n)| n);
                f.write_str(name.expect("every indicator without a parameter is in FIXED"))
            }
        }
    }
}

/// The indicator spelt `name`; `None` when no indicator is spelt so.
pub fn indicator(name: &str) -> Option<Indicator> {
    let parsed = indicator_without_change(name).or_else(|| {
        let of = indicator(name.strip_suffix(CHANGE_SUFFIX)?)?;
        Some(Indicator::Change(Box::new(of)))
    })?;
    // Only the canonical spelling: `poverty_rate_050` or `urban_rural_ratio_disposable` are not
    // names of anything.
    (parsed.to_string() == name).then_some(parsed)
}

fn indicator_without_change(name: &str) -> Option<Indicator> {
    if let Some((i, _)) = FIXED.iter().find(|(_, n)| *n == name) {
        return Some(i.clone());
    }
    let rest = |prefix: &str| name.strip_prefix(prefix);
    BY_CONCEPT
        .iter()
        .find_map(|(make, prefix)| Some(make(income(rest(prefix)?)?)))
        .or_else(|| {
            BY_NUMBER
                .iter()
                .find_map(|(make, prefix)| Some(make(rest(prefix)?.parse().ok()?)))
        })
        .or_else(|| {
            BY_LINE
                .iter()
                .find_map(|(make, prefix)| Some(make(line(rest(prefix)?)?)))
        })
        .or_else(|| {
            FUND_FLOWS
                .iter()
                .find_map(|(make, suffix)| Some(make(Fund::named(name.strip_suffix(suffix)?)?)))
        })
        .or_else(|| {
            (name == "urban_rural_ratio").then_some(Indicator::UrbanRuralRatio(Income::Disposable))
        })
}

/// A program line as the `program` column and the line indicators spell it.
struct LineName<'a>(&'a FiscalLine);

impl fmt::Display for LineName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            FiscalLine::Program(p) => f.write_str(p.as_str()),
            FiscalLine::Categorical(name) => write!(f, "{CATEGORICAL_PREFIX}{name}"),
        }
    }
}

/// The name of a program line: its program's, or `categorical_<name>`.
pub fn line_name(line: &FiscalLine) -> String {
    LineName(line).to_string()
}

/// The program line spelt `name`.
pub fn line(name: &str) -> Option<FiscalLine> {
    if let Some(categorical) = name.strip_prefix(CATEGORICAL_PREFIX) {
        return Some(FiscalLine::Categorical(categorical.to_owned()));
    }
    Program::named(name).map(FiscalLine::Program)
}

/// The payer spelt `name`.
pub fn payer(name: &str) -> Option<Payer> {
    Payer::ALL.into_iter().find(|p| p.as_str() == name)
}

/// The `region` cell of a slice: its code, or `all`.
pub fn region_name(slice: &Slice) -> &str {
    slice.region.as_deref().unwrap_or(ALL)
}

/// The `residence` cell of a slice: `urban`, `rural`, or `all`.
pub fn residence_name(slice: &Slice) -> &'static str {
    slice.residence.map_or(ALL, Residence::as_str)
}

/// The slice of a `region` and a `residence` cell; `None` when the residence is not a name.
pub fn slice(region: &str, residence: &str) -> Option<Slice> {
    let residence = match residence {
        ALL => None,
        r => Some(Residence::parse(r)?),
    };
    Some(Slice {
        region: (region != ALL).then(|| region.to_owned()),
        residence,
    })
}

/// The `replication` cell: the replication's number, or `mean` for the mean over replications.
pub fn replication_name(replication: Option<u32>) -> String {
    replication.map_or_else(|| MEAN_OVER_REPLICATIONS.to_owned(), |r| r.to_string())
}

/// The replication of a `replication` cell (`None` for the mean); `None` when it is neither.
pub fn replication(name: &str) -> Option<Option<u32>> {
    match name {
        MEAN_OVER_REPLICATIONS => Some(None),
        number => number.parse().ok().map(Some),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fund(name: &str) -> Indicator {
        Indicator::FundBalance(Fund::named(name).expect("registered fund"))
    }

    /// Every indicator a run writes, by its published name (indicators.md), with the parametrised
    /// ones at the edges of their parameters.
    fn published() -> Vec<(Indicator, &'static str)> {
        use Income::*;
        use Indicator::*;
        let dibao = FiscalLine::Program(Program::named("dibao").expect("registered"));
        let categorical = FiscalLine::Categorical("disabled_allowance".into());
        vec![
            (Gini(Market), "gini_market"),
            (Gini(MarketPensions), "gini_market_pensions"),
            (Gini(Disposable), "gini_disposable"),
            (Gini(DisposableCare), "gini_disposable_care"),
            (Mean(Disposable), "mean_disposable"),
            (Median(Disposable), "median_disposable"),
            (SurveyBasisMean, "mean_disposable_survey_basis"),
            (SurveyBasisMedian, "median_disposable_survey_basis"),
            (SurveyBasisGini, "gini_disposable_survey_basis"),
            (UrbanRuralRatio(Disposable), "urban_rural_ratio"),
            (UrbanRuralRatio(Market), "urban_rural_ratio_market"),
            (Theil, "theil"),
            (MeanLogDeviation, "mld"),
            (Palma, "palma"),
            (P90P10, "p90_p10"),
            (QuintileShare(1), "quintile_share_1"),
            (QuintileShare(5), "quintile_share_5"),
            (PovertyRate(40), "poverty_rate_40"),
            (PovertyRate(60), "poverty_rate_60"),
            (PovertyGap(50), "poverty_gap_50"),
            (PovertySeverity(50), "poverty_severity_50"),
            (BelowDibaoRate, "below_dibao_rate"),
            (ReynoldsSmolensky, "reynolds_smolensky"),
            (RedistributiveEffect, "redistributive_effect"),
            (RegionalRatio, "regional_ratio"),
            (Population, "population"),
            (FiscalCostTotal, "fiscal_cost_total"),
            (FiscalCost(dibao.clone()), "fiscal_cost_dibao"),
            (Beneficiaries(dibao), "beneficiaries_dibao"),
            (
                FiscalCost(categorical.clone()),
                "fiscal_cost_categorical_disabled_allowance",
            ),
            (
                Beneficiaries(categorical),
                "beneficiaries_categorical_disabled_allowance",
            ),
            (
                FiscalCost(FiscalLine::Categorical("x_change".into())),
                "fiscal_cost_categorical_x_change",
            ),
            (fund("employee_fund"), "employee_fund_balance"),
            (fund("ltc_fund"), "ltc_fund_balance"),
            (
                FundContributions(Fund::named("resident_medical_fund").expect("registered")),
                "resident_medical_fund_contributions",
            ),
            (
                FundBenefits(Fund::named("employee_medical_fund").expect("registered")),
                "employee_medical_fund_benefits",
            ),
            (Gini(DisposableHealth), "gini_disposable_health"),
            (Gini(DisposableCareHealth), "gini_disposable_care_health"),
            (HealthPovertyRate(50), "health_poverty_rate_50"),
            (HealthBelowDibaoRate, "health_below_dibao_rate"),
            (ImpoverishmentRate(50), "impoverishment_rate_50"),
            (ImpoverishmentBelowDibao, "impoverishment_rate_dibao"),
            (
                CatastrophicHealthSpending(10),
                "catastrophic_health_spending_10",
            ),
            (
                CatastrophicHealthSpending(25),
                "catastrophic_health_spending_25",
            ),
            (InpatientAdmissionsPer100, "inpatient_admissions_per_100"),
            (MedicalPremiumPaidPersons, "medical_premium_paid_persons"),
            (Demographic(super::Demographic::Births), "births"),
            (Demographic(super::Demographic::Deaths), "deaths"),
            (
                Demographic(super::Demographic::RuralUrbanMigrants),
                "rural_urban_migrants",
            ),
            (Change(Box::new(Gini(Disposable))), "gini_disposable_change"),
            (
                Change(Box::new(UrbanRuralRatio(Disposable))),
                "urban_rural_ratio_change",
            ),
            (Change(Box::new(PovertyRate(50))), "poverty_rate_50_change"),
            (
                Change(Box::new(FiscalCostTotal)),
                "fiscal_cost_total_change",
            ),
            (Change(Box::new(Mean(Disposable))), "mean_disposable_change"),
            (
                PerHundredMillionYuan(Effect::GiniPoints),
                "gini_points_per_100m_yuan",
            ),
            (
                PerHundredMillionYuan(Effect::UrbanRuralRatio),
                "urban_rural_ratio_per_100m_yuan",
            ),
        ]
    }

    #[test]
    fn indicators_are_spelt_as_published_and_read_back() {
        for (id, name) in published() {
            assert_eq!(id.to_string(), name);
            assert_eq!(indicator(name), Some(id), "{name}");
        }
    }

    /// Names no indicator writes are refused, non-canonical spellings included.
    #[test]
    fn unknown_and_non_canonical_names_are_refused() {
        for name in [
            "",
            "gini",
            "gini_income",
            "urban_rural_ratio_disposable",
            "poverty_rate_050",
            "poverty_rate_",
            "quintile_share_256",
            "fiscal_cost_",
            "fiscal_cost_pension",
            "beneficiaries_total",
            "_change",
            "theil_change_",
            "unknown_fund_balance",
            "_balance",
            "ltc_fund_benefit",
            "impoverishment_rate_",
            "health_poverty_rate_dibao",
        ] {
            assert_eq!(indicator(name), None, "{name}");
        }
    }

    #[test]
    fn lines_payers_slices_and_replications_round_trip() {
        for p in Program::all() {
            let l = FiscalLine::Program(p);
            assert_eq!(line(&line_name(&l)), Some(l));
        }
        let c = FiscalLine::Categorical("残疾人两项补贴".into());
        assert_eq!(line_name(&c), "categorical_残疾人两项补贴");
        assert_eq!(line(&line_name(&c)), Some(c));
        assert_eq!(line("pension"), None);
        for p in Payer::ALL {
            assert_eq!(payer(p.as_str()), Some(p));
        }
        assert_eq!(payer("state"), None);
        let slices = [
            Slice::NATIONAL,
            Slice::residence(Residence::Rural),
            Slice::region("zhejiang"),
        ];
        let cells: Vec<(&str, &str)> = slices
            .iter()
            .map(|s| (region_name(s), residence_name(s)))
            .collect();
        assert_eq!(
            cells,
            [("all", "all"), ("all", "rural"), ("zhejiang", "all")]
        );
        for (s, (region, residence)) in slices.iter().zip(cells) {
            assert_eq!(slice(region, residence).as_ref(), Some(s));
        }
        assert_eq!(slice("all", "suburban"), None);
        assert_eq!(replication_name(None), "mean");
        assert_eq!(replication_name(Some(3)), "3");
        assert_eq!(replication("mean"), Some(None));
        assert_eq!(replication("3"), Some(Some(3)));
        assert_eq!(replication("-1"), None);
        for (c, name) in INCOMES {
            assert_eq!(c.to_string(), name);
            assert_eq!(income(name), Some(c));
        }
    }
}
