//! Medical need (医疗费用): each living person's outpatient and inpatient cost of the year, drawn
//! from their own streams (the same in every scenario) or, in a run's first year, given by the
//! population file: rules.md 11. The bill basic and critical-illness insurance, huiminbao and
//! medical assistance then pay part of. Pure: the draws come from the year's keyed streams.

use super::household::Household;
use super::program::{OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use crate::params::{
    ByGrade, DefaultValue, ParamDef, ParamError, ParamKind, ResolvedParams, YUAN_PER_YEAR,
    band_lookup,
};
use crate::rng::{Purpose, Stream};

const SPEC: &str = "rules.md 11";

/// Parameters of medical need.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::new(
        "outpatient_cost",
        ParamKind::MoneyByAge,
        YUAN_PER_YEAR,
        DefaultValue::Table(&[]),
        SPEC,
        "Mean outpatient cost by age band; empty = no outpatient need",
    ),
    ParamDef::number(
        "outpatient_cost_sigma",
        (0.0, 5.0),
        "log points",
        0.0,
        SPEC,
        "Log-sd of the outpatient cost's lognormal factor of mean 1 (0: the mean itself)",
    ),
    ParamDef::new(
        "inpatient_probability",
        ParamKind::NumberByAge { min: 0.0, max: 1.0 },
        "probability by age band",
        DefaultValue::Table(&[]),
        SPEC,
        "Probability of an inpatient stay in the year, by age band",
    ),
    ParamDef::new(
        "inpatient_disability_factor",
        ParamKind::NumberByGrade {
            min: 0.0,
            max: 20.0,
        },
        "multiple by grade",
        DefaultValue::Table(&[]),
        SPEC,
        "Multiple of the inpatient probability by disability grade (grade 0 is 1; empty = 1 for all)",
    ),
    ParamDef::new(
        "inpatient_cost",
        ParamKind::MoneyByAge,
        YUAN_PER_YEAR,
        DefaultValue::Table(&[]),
        SPEC,
        "Mean cost of an inpatient stay by age band",
    ),
    ParamDef::number(
        "inpatient_cost_sigma",
        (0.0, 5.0),
        "log points",
        0.0,
        SPEC,
        "Log-sd of the inpatient cost's lognormal factor of mean 1",
    ),
];

/// Medical need as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "medical_need",
    chinese: "医疗费用",
    spec: SPEC,
    params: PARAMS,
    steps: &[Step {
        slot: Slot::MedicalSecurity,
        name: "medical need",
        run: need,
    }],
    outcomes: &[OutcomeDef {
        column: "medical_need",
        role: Role::MedicalNeed,
        doc: "Outpatient plus inpatient cost of the year",
    }],
    lines: &[],
    funds: &[],
    scenario_lines: false,
};

const NEED: usize = 0;

/// Medical-need parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct MedicalNeedParams {
    /// Mean outpatient cost by age band, yuan/year.
    pub outpatient_cost_yearly: Vec<(u32, f64)>,
    /// Log-sd of the outpatient factor.
    pub outpatient_sigma: f64,
    /// Inpatient probability by age band.
    pub inpatient_probability: Vec<(u32, f64)>,
    /// Multiple of the inpatient probability by disability grade.
    pub inpatient_disability_factor: ByGrade,
    /// Mean cost of a stay by age band, yuan.
    pub inpatient_cost_yearly: Vec<(u32, f64)>,
    /// Log-sd of the inpatient factor.
    pub inpatient_sigma: f64,
}

impl super::CheckDemand for MedicalNeedParams {
    /// A disability factor table, when given, for every grade from 1 that may occur.
    fn check(&self, demand: &super::Demand) -> Result<(), ParamError> {
        let t = &self.inpatient_disability_factor;
        match demand
            .grades_from(1)
            .find(|&g| !t.is_empty() && t.get(g).is_err())
        {
            Some(g) => Err(ParamError::new(
                t.key,
                format!(
                    "`{}` gives no factor for disability grade {g}, which persons of the run may have",
                    t.key
                ),
            )),
            None => Ok(()),
        }
    }
}

impl MedicalNeedParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(MedicalNeedParams {
            outpatient_cost_yearly: p.table("outpatient_cost").to_vec(),
            outpatient_sigma: p.number("outpatient_cost_sigma"),
            inpatient_probability: p.table("inpatient_probability").to_vec(),
            inpatient_disability_factor: ByGrade::from_resolved(p, "inpatient_disability_factor")?,
            inpatient_cost_yearly: p.table("inpatient_cost").to_vec(),
            inpatient_sigma: p.number("inpatient_cost_sigma"),
        })
    }

    /// The probability multiple of a grade: 1 for grade 0 or an empty table.
    fn disability_factor(&self, grade: u8) -> f64 {
        if grade == 0 || self.inpatient_disability_factor.is_empty() {
            1.0
        } else {
            self.inpatient_disability_factor.get(grade).unwrap_or(1.0)
        }
    }
}

/// A lognormal factor of mean 1 and log-sd `sigma` from one standard normal draw (1 when sigma is
/// 0): exp(sigma z - sigma^2 / 2).
pub fn lognormal_factor(sigma: f64, stream: &mut Stream) -> f64 {
    if sigma == 0.0 {
        1.0
    } else {
        (sigma * stream.standard_normal() - sigma * sigma / 2.0).exp()
    }
}

/// Outpatient cost of a person of `age`, yuan: the band's mean times a lognormal factor.
pub fn outpatient_yearly(p: &MedicalNeedParams, age: u8, stream: &mut Stream) -> f64 {
    match band_lookup(&p.outpatient_cost_yearly, u32::from(age)) {
        Some(mean) if mean > 0.0 => mean * lognormal_factor(p.outpatient_sigma, stream),
        _ => 0.0,
    }
}

/// Inpatient cost of a person of `age` and `grade`, yuan: with the band's probability times the
/// grade's factor (one uniform draw), a stay of the band's mean cost times a lognormal factor.
pub fn inpatient_yearly(p: &MedicalNeedParams, age: u8, grade: u8, stream: &mut Stream) -> f64 {
    let probability = band_lookup(&p.inpatient_probability, u32::from(age)).unwrap_or(0.0)
        * p.disability_factor(grade);
    if probability <= 0.0 || stream.uniform() >= probability {
        return 0.0;
    }
    let mean = band_lookup(&p.inpatient_cost_yearly, u32::from(age)).unwrap_or(0.0);
    mean * lognormal_factor(p.inpatient_sigma, stream)
}

/// Step 5 (spec 11): each member's outpatient and inpatient cost, given by the population file in
/// a run's first year, else drawn; their sum is the medical need.
fn need(hh: &mut Household<'_>) -> StepResult {
    let p = &hh.params.medical_need;
    let (first_year, year) = (hh.year.first_year(), hh.year.year);
    for i in hh.members.clone() {
        let persons = &*hh.persons;
        let (pid, age) = (persons.person_id[i], persons.age[i]);
        let given = |x: f64| (first_year && !x.is_nan()).then_some(x);
        let outpatient = given(persons.outpatient_cost_given[i]).unwrap_or_else(|| {
            outpatient_yearly(p, age, &mut hh.stream(pid, year, Purpose::OutpatientCost))
        });
        let inpatient = given(persons.inpatient_cost_given[i]).unwrap_or_else(|| {
            let grade = persons.disability_grade[i];
            inpatient_yearly(
                p,
                age,
                grade,
                &mut hh.stream(pid, year, Purpose::InpatientCost),
            )
        });
        hh.out.work.outpatient_cost[i] = outpatient;
        hh.out.work.inpatient_cost[i] = inpatient;
        hh.pay(i, NEED, outpatient + inpatient);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::rng::StreamKey;
    use crate::rules::year::testkit::*;

    fn stream(entity: u64) -> Stream {
        StreamKey {
            seed: 5,
            replication: 0,
            entity,
            year: 2024,
            purpose: Purpose::InpatientCost,
        }
        .stream()
    }

    /// The lognormal factor has mean 1: over 200,000 draws with sigma 0.8 the sample mean is 1
    /// within 4 standard errors (sd of the factor sqrt(exp(0.64) - 1) = 0.947).
    #[test]
    fn lognormal_factor_has_mean_one() {
        let n = 200_000;
        let mean = (0..n)
            .map(|e| lognormal_factor(0.8, &mut stream(e)))
            .sum::<f64>()
            / n as f64;
        let se = ((0.64f64).exp() - 1.0).sqrt() / (n as f64).sqrt();
        assert!((mean - 1.0).abs() < 4.0 * se, "{mean}");
        assert_eq!(lognormal_factor(0.0, &mut stream(1)), 1.0);
    }

    /// Spec 11: probability 0.1 at 60+ doubled for grade 3 gives a stay for about 20% of severely
    /// disabled 70-year-olds (4 standard errors over 50,000), each at the band's mean with sigma 0.
    #[test]
    fn inpatient_stays_follow_age_and_grade() {
        let mut p = MedicalNeedParams::from_resolved(&ResolvedParams::defaults()).unwrap();
        p.inpatient_probability = vec![(60, 0.1)];
        p.inpatient_cost_yearly = vec![(0, 8_000.0)];
        p.inpatient_disability_factor.values = [None, Some(1.0), Some(1.5), Some(2.0)];
        let n = 50_000;
        let costs: Vec<f64> = (0..n)
            .map(|e| inpatient_yearly(&p, 70, 3, &mut stream(e)))
            .collect();
        let share = costs.iter().filter(|&&c| c > 0.0).count() as f64 / n as f64;
        assert!(
            (share - 0.2).abs() < 4.0 * (0.16f64 / n as f64).sqrt(),
            "{share}"
        );
        assert!(costs.iter().all(|&c| c == 0.0 || c == 8_000.0));
        assert_eq!(
            inpatient_yearly(&p, 50, 3, &mut stream(1)),
            0.0,
            "below the lowest band"
        );
    }

    /// Through the step: a person's given costs (conformance "medical-resident-inpatient": 1000
    /// outpatient, 20000 inpatient) hold in the first year, so need is 21000 and the out-of-pocket
    /// starts there; in a later year they are drawn (none here: no parameters).
    #[test]
    fn need_uses_given_costs_in_the_first_year() {
        let p = rule_params(&[("outpatient_cost", V::Table(vec![]))]);
        let row = PersonRow {
            outpatient_cost: 1_000.0,
            inpatient_cost: 20_000.0,
            ..Default::default()
        };
        for (year, expected) in [(2024, 21_000.0), (2025, 0.0)] {
            let mut pop = household(Residence::Rural, vec![row.clone()]);
            let rules = rules_for(&p, year, false);
            let ((), out, _) =
                with_household(&mut pop, &rules, "medical_need", |hh| need(hh).unwrap());
            assert_eq!(out.column("medical_need").unwrap(), [expected]);
            assert_eq!(out.work.parts[0].medical_out_of_pocket, expected);
        }
    }
}
