//! Typed identifiers of result rows (spec indicators.md): which indicator, on which income concept,
//! for which slice of the population. They travel typed from `run::collect` to the writers; their
//! text (the `indicator`, `region`, `residence`, `concept` columns) is in [`super::names`] only.

use crate::population::Residence;
use crate::rules::FiscalLine;
#[cfg(doc)]
use crate::rules::Program;
use crate::rules::layout::layout;

/// An income concept of rules.md section 2, per capita of the household, that an indicator is
/// taken on (the sums of components; the components programs book into are `income::Concept`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Income {
    /// Market income M.
    Market,
    /// Market income plus pensions, M + P.
    MarketPensions,
    /// Disposable income D = M + P + A + T - C.
    Disposable,
    /// Care-adjusted disposable income D_care (D less out-of-pocket care).
    DisposableCare,
    /// Health-adjusted disposable income D_health (D less medical out-of-pocket and the
    /// huiminbao premium, rules.md 2, v1.3).
    DisposableHealth,
    /// D_care_health (D_care less medical out-of-pocket and the huiminbao premium).
    DisposableCareHealth,
}

/// A registered insurance fund (a program's `FundDef`, rules/program.rs) whose balance at the end
/// of the year is reported, yuan: its place in the layout's funds, as [`Program`] is a line's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Fund(u8);

impl Fund {
    /// Every registered fund, in layout order (the order of `FiscalAccounts::funds`).
    pub fn all() -> impl Iterator<Item = Fund> {
        (0..layout().funds.len()).map(|k| Fund(k as u8))
    }

    /// The fund named `name` in outputs (`employee_fund`), if a registered program keeps it.
    pub fn named(name: &str) -> Option<Fund> {
        Fund::all().find(|f| f.name() == name)
    }

    /// The fund's name in outputs.
    pub fn name(self) -> &'static str {
        layout().funds[usize::from(self.0)].0.name
    }
}

/// A demographic event counted over the year, weighted persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Demographic {
    /// Births.
    Births,
    /// Deaths.
    Deaths,
    /// Persons moving from rural to urban residence.
    RuralUrbanMigrants,
}

/// What a reform buys per 100 million yuan (亿元) of extra government cost against the reference
/// (indicators.md, "Fiscal").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Effect {
    /// Change in the Gini of D, in points (0.01 of Gini = 1 point).
    GiniPoints,
    /// Change in the urban-rural ratio of mean D.
    UrbanRuralRatio,
}

/// An indicator of the long tables (the `indicator` column). Units are the indicator's own: shares
/// in [0, 1], ratios, yuan/year, persons.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Indicator {
    /// Gini of a concept, in [0, 1).
    Gini(Income),
    /// Person-weighted mean of a concept, yuan/year.
    Mean(Income),
    /// Weighted median of a concept, yuan/year.
    Median(Income),
    /// Urban mean of a concept over the rural mean.
    UrbanRuralRatio(Income),
    /// Mean of D on the survey basis (urban persons reweighted to the NBS survey's urban share,
    /// `indicators::survey`), yuan/year; `Mean(Disposable)` is on the population's own share.
    SurveyBasisMean,
    /// Median of D on the survey basis, yuan/year.
    SurveyBasisMedian,
    /// Gini of D on the survey basis.
    SurveyBasisGini,
    /// Theil T of D (positive incomes).
    Theil,
    /// Mean log deviation of D (positive incomes).
    MeanLogDeviation,
    /// Palma ratio of D: top 10% share over bottom 40% share.
    Palma,
    /// 90th over 10th percentile of D.
    P90P10,
    /// Share of D held by quintile 1..=5 (poorest first).
    QuintileShare(u8),
    /// Headcount rate below this percent of the median D.
    PovertyRate(u8),
    /// Poverty gap (FGT1) at this percent of the median D.
    PovertyGap(u8),
    /// Poverty severity (FGT2) at this percent of the median D.
    PovertySeverity(u8),
    /// Headcount rate below the dibao standard of the person's region and residence.
    BelowDibaoRate,
    /// Headcount rate of D_health below this percent of the median D (D's line, v1.3).
    HealthPovertyRate(u8),
    /// Headcount rate of D_health below the person's dibao standard.
    HealthBelowDibaoRate,
    /// Impoverishment by medical spending (因病致贫) at this percent of the median D: share of
    /// persons with D at or above the line and D_health below it.
    ImpoverishmentRate(u8),
    /// Impoverishment by medical spending at the person's dibao standard.
    ImpoverishmentBelowDibao,
    /// Catastrophic health spending: share of persons whose household's medical out-of-pocket
    /// exceeds this percent of its D.
    CatastrophicHealthSpending(u8),
    /// Inpatient admissions per 100 persons (每百人住院人次): persons with a stay in the year (one
    /// stay a person, rules.md 11) per 100 persons.
    InpatientAdmissionsPer100,
    /// Persons whose resident medical premium the government pays in full or in part (资助参保),
    /// weighted persons.
    MedicalPremiumPaidPersons,
    /// Reynolds-Smolensky index G(M) - C(D ranked by M).
    ReynoldsSmolensky,
    /// Redistributive effect G(M) - G(D).
    RedistributiveEffect,
    /// Highest regional mean of D over the lowest.
    RegionalRatio,
    /// Persons represented (sum of weights of living persons).
    Population,
    /// Government cost of every program, yuan/year.
    FiscalCostTotal,
    /// Government cost of one program line, yuan/year.
    FiscalCost(FiscalLine),
    /// Beneficiaries of one program line, weighted persons.
    Beneficiaries(FiscalLine),
    /// Balance of an insurance fund at the end of the year, yuan.
    FundBalance(Fund),
    /// Contributions and premiums an insurance fund received in the year (every payer), yuan.
    FundContributions(Fund),
    /// Benefits an insurance fund paid in the year, yuan.
    FundBenefits(Fund),
    /// A demographic count of the year, weighted persons.
    Demographic(Demographic),
    /// The indicator's value minus the reference scenario's, within a replication and year.
    Change(Box<Indicator>),
    /// Cost-effectiveness: the change in an effect per 100 million yuan of extra government cost.
    PerHundredMillionYuan(Effect),
}

/// The population slice a row describes: one region or all, one residence or both.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct Slice {
    /// Region code as in the population file; `None` for every region.
    pub region: Option<String>,
    /// `None` for urban and rural together.
    pub residence: Option<Residence>,
}

impl Slice {
    /// The whole population.
    pub const NATIONAL: Slice = Slice {
        region: None,
        residence: None,
    };

    /// One residence, every region.
    pub fn residence(residence: Residence) -> Slice {
        Slice {
            region: None,
            residence: Some(residence),
        }
    }

    /// One region, urban and rural together.
    pub fn region(code: &str) -> Slice {
        Slice {
            region: Some(code.to_owned()),
            residence: None,
        }
    }

    /// Whether this is the whole population.
    pub fn is_national(&self) -> bool {
        self.region.is_none() && self.residence.is_none()
    }
}
