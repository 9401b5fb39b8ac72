//! Unit tests of the resident pension (spec 3.1 and 10), beside the program in `resident_pension.rs`.

use super::*;
use crate::params::ParamValue as V;
use crate::params::ParamValue;
use crate::rules::year::testkit::*;

fn params(tiers: &[f64], subsidy: &[f64]) -> ResidentPensionParams {
    let mut r = ResolvedParams::defaults();
    r.set(
        "resident_contribution_tiers",
        ParamValue::List(tiers.to_vec()),
    );
    r.set("resident_tier_subsidy", ParamValue::List(subsidy.to_vec()));
    ResidentPensionParams::from_resolved(&r).unwrap()
}

/// Conformance "government-paid-contributions-xinjiang": lowest tier 100; dibao share 0.5 pays
/// 50 (own 50), te-kun share 1.0 pays 100 (own 0); both credit 100 + 30 = 130.
#[test]
fn government_paid_share_of_lowest_tier() {
    let mut p = params(&[100.0, 200.0], &[30.0, 30.0]);
    p.paid_share_dibao = 0.5;
    p.paid_share_tekun = 1.0;
    let dibao = contribution(&p, 0, paid_share(&p, true, false, false, false));
    assert_eq!(
        (dibao.own_yearly, dibao.government_paid_yearly),
        (50.0, 50.0)
    );
    assert_eq!(dibao.account_credit_yearly(), 130.0);
    // Both statuses: the larger share (1.0), not the sum (1.5).
    assert_eq!(paid_share(&p, true, true, false, false), 1.0);
    // Tier 200 with share 1.0: the government pays 1.0 x 100, the person 100.
    let upper = contribution(&p, 1, 1.0);
    assert_eq!(
        (upper.own_yearly, upper.government_paid_yearly),
        (100.0, 100.0)
    );
}

/// A stored tier between tiers counts as the largest below it; 0 or below the lowest is "none".
#[test]
fn tier_index_takes_largest_below() {
    let p = params(&[100.0, 200.0, 500.0], &[]);
    assert_eq!(tier_index(&p, 300.0), Some(1));
    assert_eq!(tier_index(&p, 500.0), Some(2));
    assert_eq!(tier_index(&p, 0.0), None);
    assert_eq!(tier_index(&p, 50.0), None);
    assert_eq!(p.tier_subsidy_yearly, vec![0.0; 3]);
    assert_eq!(upgraded_tier_index(&p, 1, 5), 2);
}

/// No shares: the lowest tier whatever the draw; shares [0, 1, 0]: always the middle tier.
#[test]
fn chosen_tier_follows_shares() {
    use crate::rng::{Purpose, StreamKey};
    let mut p = params(&[100.0, 200.0, 500.0], &[]);
    for person in 0..50 {
        let key = StreamKey {
            seed: 3,
            replication: 0,
            entity: person,
            year: 0,
            purpose: Purpose::TierChoice,
        };
        p.tier_choice_cumulative = vec![];
        assert_eq!(chosen_tier_index(&p, &mut key.stream()), 0);
        p.tier_choice_cumulative = vec![0.0, 1.0, 1.0];
        assert_eq!(chosen_tier_index(&p, &mut key.stream()), 1);
    }
}

/// Conformance "resident-pension-basic-plus-account" and "...-long-contribution-bonus":
/// 20850 / 139 = 150 a month = 1800 a year; 25 years at 5/month beyond 15 = 50/month = 600.
#[test]
fn basic_and_account_pension() {
    let mut p = params(&[], &[]);
    p.basic_pension_yearly = 190.0 * 12.0;
    p.long_contribution_bonus_yearly = 5.0 * 12.0;
    assert_eq!(account_pension_yearly(&p, 20_850.0), 1_800.0);
    assert_eq!(basic_pension_yearly(&p, 62, 25.0), 2_280.0 + 600.0);
    assert_eq!(basic_pension_yearly(&p, 62, 10.0), 2_280.0);
    assert!(receives_pension(&p, 60, 15.0, false));
    assert!(!receives_pension(&p, 60, 14.0, false));
    assert!(receives_pension(&p, 75, 0.0, true));
    assert!(!receives_pension(&p, 59, 40.0, true));
}

/// Balance 1000 + credit 130 at 2% interest = 1152.6.
#[test]
fn account_credits_then_interest() {
    let mut p = params(&[], &[]);
    p.account_interest_rate = 0.02;
    assert!((account_after_year(&p, 1_000.0, 130.0) - 1_152.6).abs() < 1e-9);
}

#[test]
fn mismatched_tier_lists_name_the_key() {
    let mut r = ResolvedParams::defaults();
    r.set(
        "resident_contribution_tiers",
        ParamValue::List(vec![100.0, 200.0]),
    );
    r.set("resident_tier_subsidy", ParamValue::List(vec![30.0]));
    let err = ResidentPensionParams::from_resolved(&r).unwrap_err();
    assert_eq!(err.key, "resident_tier_subsidy");
    assert!(err.message.contains("one subsidy per tier"), "{err}");
}

/// Spec 3.1 "Scheme" after the dynamics: an entrant employee joins the employee scheme, an
/// entrant farmer the resident scheme, a 16-year-old out of school the resident scheme, a
/// 16-year-old student stays out; nothing moves in the first or a static year.
#[test]
fn join_scheme_after_the_dynamics() {
    let none = Some(PensionScheme::None);
    let person = |age, employment| PersonRow {
        age,
        employment,
        pension_scheme: none,
        ..Default::default()
    };
    let rows = vec![
        person(20, Employment::Employee),
        person(20, Employment::Farmer),
        person(16, Employment::NotWorking),
        person(16, Employment::Student),
    ];
    let p = rule_params(&[]);
    use PensionScheme::{Employee, Resident};
    for (y, static_year, expected) in [
        (
            2025,
            false,
            [Employee, Resident, Resident, PensionScheme::None],
        ),
        (2024, false, [PensionScheme::None; 4]),
        (2024, true, [PensionScheme::None; 4]),
    ] {
        let mut pop = household(Residence::Rural, rows.clone());
        for i in [0, 1] {
            pop.persons.life_events[i].insert(LifeEvents::ENTERED_LABOUR_MARKET);
        }
        let rules = rules_for(&p, y, static_year);
        with_household(&mut pop, &rules, "resident_pension", |hh| {
            join_scheme(hh).unwrap()
        });
        assert_eq!(
            pop.persons.pension_scheme, expected,
            "{y} static {static_year}"
        );
    }
}

/// Conformance "government-paid-contributions-xinjiang" through the step: lowest tier 100,
/// subsidy 30; the dibao member pays 50 of it (government 50), the te-kun member nothing
/// (government 100); both accounts get 130; fiscal cost 80 + 130 = 210, own 50.
#[test]
fn contribute_books_own_paid_and_subsidy() {
    let p = rule_params(&[
        ("resident_contribution_tiers", V::List(vec![100.0, 200.0])),
        ("resident_tier_subsidy", V::List(vec![30.0, 30.0])),
        ("resident_paid_share_dibao", V::Number(0.5)),
        ("resident_paid_share_tekun", V::Number(1.0)),
    ]);
    let mut pop = household(
        Residence::Rural,
        vec![
            PersonRow {
                age: 40,
                employment: Employment::Farmer,
                earnings: 3_000.0,
                resident_tier: 100.0,
                dibao_last_year: true,
                ..Default::default()
            },
            PersonRow {
                age: 50,
                resident_tier: 100.0,
                tekun_last_year: true,
                ..Default::default()
            },
        ],
    );
    let rules = rules_for(&p, 2024, true);
    let ((), out, acc) = with_household(&mut pop, &rules, "resident_pension", |hh| {
        contribute(hh).unwrap()
    });
    let own: Vec<f64> = out.work.parts.iter().map(|x| x.contributions).collect();
    assert_eq!(own, [50.0, 0.0]);
    assert_eq!(
        out.column("government_paid_contribution").unwrap(),
        [50.0, 100.0]
    );
    assert_eq!(out.account_credit(), [130.0, 130.0]);
    assert_eq!(out.work.contributor_tier, [0, 0]);
    let line = acc.line("resident_pension").unwrap();
    assert_eq!(line.paid(Payer::Government), 210.0);
    assert_eq!(line.paid(Payer::Individual), 50.0);
}

/// Conformance "resident-pension-basic-plus-account": 190 x 12 + 20850 / 139 x 12 = 4080 at
/// 65 with 15 years (fiscal: the basic 2280). A 62-year-old with 10 years gets the basic
/// pension as one of the old cohort in the first year (2024), and nothing in 2030, when he was
/// 56 at the start and has too few years.
#[test]
fn pay_pension_to_qualified_and_old_cohort() {
    let p = rule_params(&[("resident_basic_pension", V::Number(2_280.0))]);
    let rows = vec![
        PersonRow {
            age: 65,
            employment: Employment::Retired,
            contribution_years: 15.0,
            account_balance: 20_850.0,
            pension_scheme: Some(PensionScheme::Resident),
            ..Default::default()
        },
        PersonRow {
            age: 62,
            employment: Employment::Retired,
            contribution_years: 10.0,
            pension_scheme: Some(PensionScheme::Resident),
            ..Default::default()
        },
    ];
    for (y, second) in [(2024, 2_280.0), (2030, 0.0)] {
        let mut pop = household(Residence::Rural, rows.clone());
        let rules = rules_for(&p, y, false);
        let ((), out, acc) = with_household(&mut pop, &rules, "resident_pension", |hh| {
            pay_pension(hh).unwrap()
        });
        let pension = out.column("resident_pension").unwrap();
        assert!((pension[0] - 4_080.0).abs() < 1e-9, "{pension:?}");
        assert_eq!(pension[1], second);
        assert_eq!(out.work.resident_pensioner, [true, second > 0.0]);
        let basic = 2_280.0 + second;
        assert_eq!(
            acc.line("resident_pension")
                .unwrap()
                .paid(Payer::Government),
            basic
        );
    }
}

/// Year end: a contributor's balance 1000 takes the credit 130, then 2% interest: 1152.6; one
/// more contribution year. A non-contributor past the pension age keeps a frozen balance.
#[test]
fn carry_accounts_credits_interest_and_years() {
    let p = rule_params(&[("resident_account_interest_rate", V::Number(0.02))]);
    let resident = Some(PensionScheme::Resident);
    let mut pop = household(
        Residence::Rural,
        vec![
            PersonRow {
                age: 40,
                account_balance: 1_000.0,
                contribution_years: 3.0,
                pension_scheme: resident,
                ..Default::default()
            },
            PersonRow {
                age: 70,
                account_balance: 5_000.0,
                pension_scheme: resident,
                ..Default::default()
            },
        ],
    );
    let rules = rules_for(&p, 2024, false);
    with_household(&mut pop, &rules, "resident_pension", |hh| {
        hh.out.work.account_credit[0] = 130.0;
        hh.out.work.contributor_tier[0] = 0;
        carry_accounts(hh).unwrap();
    });
    assert!((pop.persons.account_balance[0] - 1_152.6).abs() < 1e-9);
    assert_eq!(pop.persons.contribution_years[0], 4.0);
    assert_eq!(pop.persons.account_balance[1], 5_000.0);
    assert_eq!(pop.persons.contribution_years[1], 0.0);
}
