//! Collective subsidy (集体补助) into resident-pension accounts, pro rata within a collective's
//! capacity, and the tier-upgrade response (提档): spec 6. Pure: no I/O; the participation and
//! upgrade draws come from the year's keyed streams.

use super::household::{CollectiveYear, Household, NOT_CONTRIBUTING};
use super::program::{LineDef, OutcomeDef, ProgramDef, Role, Slot, Step, StepResult};
use super::resident_pension;
use crate::params::{DefaultValue, ParamDef, ParamError, ParamKind, ResolvedParams};
use crate::population::NO_COLLECTIVE;
use crate::rng::Purpose;
use crate::rules::fiscal::Payer;

const SPEC: &str = "rules.md 6";

/// Words of `collective_target`.
pub const TARGETS: &[&str] = &["low_income", "all_contributors"];

/// Parameters of the collective subsidy.
pub const PARAMS: &[ParamDef] = &[
    ParamDef::money(
        "collective_capacity",
        SPEC,
        "Capacity of a collective to pay subsidies, when the population has no collectives table",
    ),
    ParamDef::share(
        "collective_participation",
        1.0,
        SPEC,
        "Probability that a collective participates, one draw per collective, without a collectives table",
    ),
    ParamDef::flag(
        "collective_scale_up",
        false,
        "rules.md 6 (reform reading)",
        "Scale the subsidy beyond the pilots: collectives the collectives table marks as not participating join with probability `collective_participation`, with the table's capacity",
    ),
    ParamDef::money(
        "collective_subsidy_per_member",
        SPEC,
        "Subsidy into the account of each target contributor",
    ),
    ParamDef::new(
        "collective_target",
        ParamKind::Choice(TARGETS),
        "word",
        DefaultValue::Text("low_income"),
        SPEC,
        "Who gets it: `low_income` (dibao, te-kun or margin last year) or `all_contributors`",
    ),
    ParamDef::number(
        "collective_tier_upgrade_steps",
        (0.0, 20.0),
        "tiers",
        1.0,
        SPEC,
        "Tiers a member offered the subsidy moves up from next year, when upgrading",
    )
    .renamed_from(&["tier_upgrade_steps"]),
    ParamDef::share(
        "collective_tier_upgrade_probability",
        0.0,
        SPEC,
        "Probability per person and year that a member offered the subsidy upgrades",
    )
    .renamed_from(&["tier_upgrade_probability"]),
];

/// The collective subsidy as the year runs it.
pub const PROGRAM: ProgramDef = ProgramDef {
    name: "collective_subsidy",
    chinese: "集体补助",
    spec: SPEC,
    params: PARAMS,
    steps: &[
        Step {
            slot: Slot::CollectiveTargets,
            name: "collective subsidy targets",
            run: target,
        },
        Step {
            slot: Slot::CollectiveSubsidy,
            name: "collective subsidy",
            run: subsidise,
        },
    ],
    outcomes: &[OutcomeDef {
        column: "collective_subsidy",
        role: Role::Account,
        doc: "Collective subsidy into the resident-pension account",
    }],
    lines: &[LineDef {
        name: "collective_subsidy",
        chinese: "集体补助",
    }],
    funds: &[],
    scenario_lines: false,
};

const SUBSIDY: usize = 0;
const LINE: usize = 0;

/// Who a participating collective pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CollectiveTarget {
    /// Contributors in households with dibao, te-kun or margin status last year.
    LowIncome,
    /// Every contributor.
    AllContributors,
}

/// Collective-subsidy parameters for one year, region and residence.
#[derive(Debug, Clone, PartialEq)]
pub struct CollectiveSubsidyParams {
    /// Capacity per collective without a table, yuan/year.
    pub capacity_yearly: f64,
    /// Participation probability without a table.
    pub participation: f64,
    /// Non-pilot collectives of a collectives table join with `participation`, keeping the
    /// table's capacity (`collective_scale_up`).
    pub scale_up: bool,
    /// Subsidy per target member, yuan/year.
    pub per_member_yearly: f64,
    /// Who is targeted.
    pub target: CollectiveTarget,
    /// Tiers moved up by an upgrade.
    pub tier_upgrade_steps: u32,
    /// Upgrade probability per person and year.
    pub tier_upgrade_probability: f64,
}

impl super::CheckDemand for CollectiveSubsidyParams {}

impl CollectiveSubsidyParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        let target = match p.text("collective_target") {
            "low_income" => CollectiveTarget::LowIncome,
            "all_contributors" => CollectiveTarget::AllContributors,
            other => {
                return Err(ParamError::new(
                    "collective_target",
                    format!(
                        "`collective_target` is `{other}`; allowed: {}",
                        TARGETS.join(", ")
                    ),
                ));
            }
        };
        Ok(CollectiveSubsidyParams {
            capacity_yearly: p.number("collective_capacity"),
            participation: p.number("collective_participation"),
            scale_up: p.flag("collective_scale_up"),
            per_member_yearly: p.number("collective_subsidy_per_member"),
            target,
            tier_upgrade_steps: p.number("collective_tier_upgrade_steps").round() as u32,
            tier_upgrade_probability: p.number("collective_tier_upgrade_probability"),
        })
    }
}

/// Whether a contributor is a target member.
pub fn is_target(p: &CollectiveSubsidyParams, household_low_income_last_year: bool) -> bool {
    match p.target {
        CollectiveTarget::AllContributors => true,
        CollectiveTarget::LowIncome => household_low_income_last_year,
    }
}

/// Amount each target member gets, yuan/year: the per-member subsidy, or capacity / weighted
/// target members when the weighted sum asked exceeds the capacity (pro rata).
pub fn amount_per_member_yearly(
    p: &CollectiveSubsidyParams,
    capacity_yearly: f64,
    weighted_target_members: f64,
) -> f64 {
    if p.per_member_yearly * weighted_target_members > capacity_yearly {
        capacity_yearly / weighted_target_members
    } else {
        p.per_member_yearly
    }
}

/// Step 6, first pass (spec 6): contributors this year whose household is targeted ask their
/// collective for the subsidy, weighted; the amounts wait until every household of the collective
/// has asked.
fn target(hh: &mut Household<'_>) -> StepResult {
    let row = hh.households.collective[hh.h];
    if row == NO_COLLECTIVE
        || !is_target(
            &hh.params.collective_subsidy,
            hh.status_last_year.low_income(),
        )
    {
        return Ok(());
    }
    for i in hh.members.clone() {
        if hh.out.work.contributor_tier[i] == NOT_CONTRIBUTING {
            continue;
        }
        let state = match hh.out.work.collectives.get(&row) {
            Some(s) => *s,
            None => collective_year(hh, row),
        };
        let w = hh.weight;
        let state = hh.out.work.collectives.entry(row).or_insert(state);
        if state.participating {
            state.weighted_targets += w;
            hh.out.work.collective_target[i] = true;
        }
    }
    Ok(())
}

/// Participation and capacity of a collective: from the collectives table when the population
/// has one (under `collective_scale_up`, non-pilots join by the participation draw, keeping the
/// table's capacity), else the scenario's capacity and a once-per-collective participation draw.
fn collective_year(hh: &Household<'_>, row: u32) -> CollectiveYear {
    let c = row as usize;
    let p = &hh.params.collective_subsidy;
    let joins = || {
        hh.uniform(
            hh.collectives.collective_id[c],
            0,
            Purpose::CollectiveParticipation,
        ) < p.participation
    };
    let (participating, capacity_yearly) = match &hh.collectives.table {
        Some(t) if t.participating[c] || !p.scale_up => (t.participating[c], t.capacity_yearly[c]),
        Some(t) => (joins(), t.capacity_yearly[c]),
        None => (joins(), p.capacity_yearly),
    };
    CollectiveYear {
        participating,
        capacity_yearly,
        weighted_targets: 0.0,
    }
}

/// Step 6, second pass (spec 6): each target member's share of the collective's capacity goes
/// into the account (collective cost); a member offered it moves up tiers from next year with
/// the upgrade probability.
fn subsidise(hh: &mut Household<'_>) -> StepResult {
    let row = hh.households.collective[hh.h];
    let w = hh.weight;
    let mut paid = false;
    for i in hh.members.clone() {
        if !hh.out.work.collective_target[i] {
            continue;
        }
        let (csp, rpp) = (&hh.params.collective_subsidy, &hh.params.resident_pension);
        let state = hh.out.work.collectives[&row];
        let amount = amount_per_member_yearly(csp, state.capacity_yearly, state.weighted_targets);
        hh.pay(i, SUBSIDY, amount);
        hh.out.work.account_credit[i] += amount;
        if amount > 0.0 {
            let line = hh.line(LINE);
            line.pay(Payer::Collective, w * amount);
            line.benefits += w * amount;
            line.beneficiaries_persons += w;
            paid = true;
            let u = hh.uniform(hh.persons.person_id[i], hh.year.year, Purpose::TierUpgrade);
            if u < csp.tier_upgrade_probability {
                let k = resident_pension::upgraded_tier_index(
                    rpp,
                    hh.out.work.contributor_tier[i] as usize,
                    csp.tier_upgrade_steps,
                );
                hh.persons.resident_tier_yearly[i] = rpp.tiers_yearly[k];
            }
        }
    }
    if paid {
        hh.count_household(LINE);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::params::ParamValue as V;
    use crate::rules::year::testkit::*;

    /// Conformance "collective-subsidy-pro-rata": 20 x 80 = 1600 > 1000, so 1000 / 20 = 50;
    /// with 10 members 800 <= 1000 and each gets the full 80.
    #[test]
    fn pro_rata_when_capacity_binds() {
        let mut p = CollectiveSubsidyParams::from_resolved(&ResolvedParams::defaults()).unwrap();
        p.per_member_yearly = 80.0;
        assert_eq!(amount_per_member_yearly(&p, 1_000.0, 20.0), 50.0);
        assert_eq!(amount_per_member_yearly(&p, 1_000.0, 10.0), 80.0);
        assert_eq!(amount_per_member_yearly(&p, 0.0, 10.0), 0.0);
    }

    #[test]
    fn targets() {
        let mut p = CollectiveSubsidyParams::from_resolved(&ResolvedParams::defaults()).unwrap();
        assert!(!is_target(&p, false));
        assert!(is_target(&p, true));
        p.target = CollectiveTarget::AllContributors;
        assert!(is_target(&p, false));
    }

    /// Through both steps: a collective without a table has capacity 100 and participates; its
    /// two contributors of a low-income household ask 2 x 80 = 160 > 100, so each gets 50 into
    /// the account (collective cost 100, one household); the non-contributor gets nothing.
    #[test]
    fn target_then_subsidise_pro_rata() {
        let p = rule_params(&[
            ("collective_capacity", V::Number(100.0)),
            ("collective_subsidy_per_member", V::Number(80.0)),
        ]);
        let rules = rules_for(&p, 2024, true);
        let poor = PersonRow {
            dibao_last_year: true,
            ..Default::default()
        };
        let house = HouseholdRow {
            collective: 0,
            ..HouseholdRow::new(
                Residence::Rural,
                1.0,
                vec![poor.clone(), poor.clone(), poor],
            )
        };
        let mut pop = crate::population::testkit::build(&["R0"], 1, &[house]);
        let ((), out, acc) = with_household(&mut pop, &rules, "collective_subsidy", |hh| {
            hh.out.work.contributor_tier[0] = 0;
            hh.out.work.contributor_tier[1] = 0;
            target(hh).unwrap();
            subsidise(hh).unwrap();
        });
        assert_eq!(out.column("collective_subsidy").unwrap(), [50.0, 50.0, 0.0]);
        assert_eq!(out.account_credit(), [50.0, 50.0, 0.0]);
        let line = acc.line("collective_subsidy").unwrap();
        assert_eq!(line.paid(Payer::Collective), 100.0);
        assert_eq!(out.work.lines_paid[0].count_ones(), 1);
    }
}
