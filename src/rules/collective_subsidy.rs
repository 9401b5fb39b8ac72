//! Collective subsidy (集体补助) into resident-pension accounts, pro rata within a collective's
//! capacity, and the tier-upgrade response (提档): spec 6. Pure: no I/O; draws are passed in.

use crate::params::{DefaultValue, Indexation, ParamDef, ParamKind, ResolvedParams};

const SHARE: ParamKind = ParamKind::Number { min: 0.0, max: 1.0 };

/// Words of `collective_target`.
pub const TARGETS: &[&str] = &["low_income", "all_contributors"];

/// Parameters of the collective subsidy.
pub const PARAMS: &[ParamDef] = &[
    ParamDef {
        name: "collective_capacity",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Capacity of a collective to pay subsidies, yuan/year, when the population has no collectives table (spec 6)",
    },
    ParamDef {
        name: "collective_participation",
        kind: SHARE,
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "Probability that a collective participates, one draw per collective, without a collectives table (spec 6)",
    },
    ParamDef {
        name: "collective_scale_up",
        kind: ParamKind::Flag,
        default: DefaultValue::Flag(false),
        default_index: Indexation::None,
        doc: "Scale the subsidy beyond the pilots: collectives the collectives table marks as not participating join with probability `collective_participation`, with the table's capacity (spec 6, reform reading)",
    },
    ParamDef {
        name: "collective_subsidy_per_member",
        kind: ParamKind::Money,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Subsidy into the account of each target contributor, yuan/year (spec 6)",
    },
    ParamDef {
        name: "collective_target",
        kind: ParamKind::Choice(TARGETS),
        default: DefaultValue::Text("low_income"),
        default_index: Indexation::None,
        doc: "Who gets it: `low_income` (dibao, te-kun or margin last year) or `all_contributors` (spec 6)",
    },
    ParamDef {
        name: "tier_upgrade_steps",
        kind: ParamKind::Number {
            min: 0.0,
            max: 20.0,
        },
        default: DefaultValue::Number(1.0),
        default_index: Indexation::None,
        doc: "Tiers a member offered the subsidy moves up from next year, when upgrading (spec 6)",
    },
    ParamDef {
        name: "tier_upgrade_probability",
        kind: SHARE,
        default: DefaultValue::Number(0.0),
        default_index: Indexation::None,
        doc: "Probability per person and year that a member offered the subsidy upgrades (spec 6)",
    },
];

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

impl CollectiveSubsidyParams {
    /// Reads the parameters.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, String> {
        let target = match p.text("collective_target") {
            "low_income" => CollectiveTarget::LowIncome,
            "all_contributors" => CollectiveTarget::AllContributors,
            other => {
                return Err(format!(
                    "`collective_target` is `{other}`; allowed: {}",
                    TARGETS.join(", ")
                ));
            }
        };
        Ok(CollectiveSubsidyParams {
            capacity_yearly: p.number("collective_capacity"),
            participation: p.number("collective_participation"),
            scale_up: p.flag("collective_scale_up"),
            per_member_yearly: p.number("collective_subsidy_per_member"),
            target,
            tier_upgrade_steps: p.number("tier_upgrade_steps").round() as u32,
            tier_upgrade_probability: p.number("tier_upgrade_probability"),
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

#[cfg(test)]
mod tests {
    use super::*;

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
}
