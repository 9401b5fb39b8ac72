//! The medical-hardship rows of one year (indicators.md, "Poverty", v1.3), with the medical
//! person counts the calibration compares: glue from the gathered columns to
//! `indicators::medical`.

use super::{Gathered, Sorted, Value, value};
use crate::indicators::{self as ind, Distribution};
use crate::results::{Income, Indicator};

/// Medical hardship of the whole population (indicators.md, "Poverty", v1.3): the Gini of
/// D_health, its headcounts below D's relative lines and the dibao standards, the impoverishment
/// rates and catastrophic health spending; with them the admissions per 100 persons and the persons
/// whose resident premium the government pays. `d` is the sorted distribution of D.
pub(super) fn medical_hardship(
    g: &Gathered,
    d: &Sorted<'_>,
    health: &Sorted<'_>,
    push: &mut impl FnMut(Indicator, Value),
) {
    let w = &g.weight;
    push(
        Indicator::Gini(Income::DisposableHealth),
        health.get(Distribution::gini),
    );
    for percent in [40, 50, 60] {
        let share = f64::from(percent) / 100.0;
        let rate = d
            .get(|d| Ok(d.relative_poverty_line(share)))
            .and_then(|line| health.get(|h| h.headcount_rate(line)));
        push(Indicator::HealthPovertyRate(percent), rate);
    }
    let below = ind::poverty_below_own_lines(&g.disposable_health, w, &g.dibao_line);
    push(
        Indicator::HealthBelowDibaoRate,
        value(below.map(|f| f.headcount_rate)),
    );
    let impoverished = |line| {
        value(ind::impoverishment_rate(
            &g.disposable,
            &g.disposable_health,
            w,
            line,
        ))
    };
    let rate_50 = d
        .get(|d| Ok(d.relative_poverty_line(0.5)))
        .and_then(|line| impoverished(ind::Line::Common(line)));
    push(Indicator::ImpoverishmentRate(50), rate_50);
    push(
        Indicator::ImpoverishmentBelowDibao,
        impoverished(ind::Line::PerPerson(&g.dibao_line)),
    );
    for percent in [10, 25] {
        let rate = ind::catastrophic_health_spending_rate(
            &g.medical_out_of_pocket,
            &g.disposable,
            w,
            f64::from(percent) / 100.0,
        );
        push(Indicator::CatastrophicHealthSpending(percent), value(rate));
    }
    let admissions = ind::inpatient_admissions_per_100(&g.inpatient_cost, w);
    push(Indicator::InpatientAdmissionsPer100, value(admissions));
    let paid = ind::medical_premium_paid_persons(&g.medical_premium_paid, w);
    push(Indicator::MedicalPremiumPaidPersons, value(paid));
}
