//! What a rule family declares about itself, in its own file: its parameters, the steps it runs and
//! where in the year (rules.md 8), the outcome columns it writes and the fiscal lines and insurance
//! funds it books. A family is registered by one line of [`super::PROGRAMS`]; the year
//! ([`super::year`]) runs the registered steps slot by slot, and the rest of the house (microdata,
//! income concepts, fiscal accounts, the parameter registry) reads the declarations, so nothing a
//! program pays can be booked nowhere.

use super::RuleParams;
use super::household::Household;
use crate::income::Concept;
use crate::params::ParamDef;

/// Where in the year a step runs, in the order of rules.md 8. Steps of one slot run in the order
/// their programs are registered. Every household of a chunk goes through the slots before
/// [`Slot::CollectiveSubsidy`] before any goes through it and the slots after (a collective's pro
/// rata share needs all its members' demand).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Slot {
    /// 1 (end). Who belongs to which pension scheme after this year's dynamics (rules.md 3.1).
    Membership,
    /// 2. Contributions (pension contributions and premiums).
    Contributions,
    /// 3. Pensions.
    Pensions,
    /// 4. Long-term-care insurance.
    LongTermCare,
    /// 5. Medical need, basic medical insurance, critical-illness insurance, huiminbao.
    MedicalSecurity,
    /// 6. Collective subsidy: which contributors a collective targets (amounts come later).
    CollectiveTargets,
    /// 7. Categorical transfers and the elderly allowance.
    Transfers,
    /// 6 (amounts). Collective subsidy amounts, pro rata within each collective's capacity.
    CollectiveSubsidy,
    /// 8. Te-kun support (before dibao, which it excludes).
    Tekun,
    /// 8. Dibao, the low-income margin and the one-time living subsidy.
    Dibao,
    /// 9. Medical assistance (it sees what insurance left to pay).
    MedicalAssistance,
    /// 10. Temporary assistance (it sees D and D_health after every other program).
    TemporaryAssistance,
    /// 11 (end). State carried to next year (accounts, contribution years, statuses), once the
    /// income concepts of the year are closed.
    YearEnd,
}

impl Slot {
    /// Every slot in the order of the year.
    pub const ALL: [Slot; 13] = [
        Slot::Membership,
        Slot::Contributions,
        Slot::Pensions,
        Slot::LongTermCare,
        Slot::MedicalSecurity,
        Slot::CollectiveTargets,
        Slot::Transfers,
        Slot::CollectiveSubsidy,
        Slot::Tekun,
        Slot::Dibao,
        Slot::MedicalAssistance,
        Slot::TemporaryAssistance,
        Slot::YearEnd,
    ];

    /// True for the slots that run once every household of the chunk is through the earlier ones.
    pub fn needs_whole_collectives(self) -> bool {
        self >= Slot::CollectiveSubsidy
    }
}

/// A rule error: what is undefined (a table without a key a person needs). The year adds where
/// (year, region, residence, person).
pub type StepResult = Result<(), String>;

/// One step of a program over one household.
#[derive(Debug, Clone, Copy)]
pub struct Step {
    /// Its place in the year.
    pub slot: Slot,
    /// What it does, for messages and the design docs.
    pub name: &'static str,
    /// The step over one household.
    pub run: fn(&mut Household<'_>) -> StepResult,
}

/// What an outcome column is to the income concepts (rules.md 2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Cash income of this concept (booked into the person's and household's concept totals).
    Income(Concept),
    /// A benefit in kind (reimbursement of a cost): not income; reduces what a cost leaves to pay.
    InKind,
    /// A cost the household faces (care need): enters the cost-adjusted incomes.
    Cost,
    /// Paid into a pension account, or on the person's behalf: not income this year.
    Account,
    /// Medical need (rules.md 11): the bill insurance and assistance then pay part of; what they
    /// leave is the medical out-of-pocket of D_health.
    MedicalNeed,
    /// A payment toward the medical bill (insurance, huiminbao, medical assistance): in kind, it
    /// lowers the medical out-of-pocket.
    MedicalCover,
}

impl Role {
    /// Whether someone pays it (a program's fiscal line must book it), as opposed to a cost the
    /// household faces.
    pub fn is_paid(self) -> bool {
        !matches!(self, Role::Cost | Role::MedicalNeed)
    }
}

/// One per-person outcome column a program writes, yuan/year.
#[derive(Debug, Clone, Copy)]
pub struct OutcomeDef {
    /// Column name in the microdata (indicators.md "Per-person microdata").
    pub column: &'static str,
    /// What it is to the income concepts.
    pub role: Role,
    /// One line: what it is.
    pub doc: &'static str,
}

/// One line of the fiscal accounts (indicators.md "Fiscal"): flows by payer, beneficiaries.
#[derive(Debug, Clone, Copy)]
pub struct LineDef {
    /// Name in outputs (`fiscal_cost_<name>`, the `program` column of fiscal.csv).
    pub name: &'static str,
    /// The program's Chinese name.
    pub chinese: &'static str,
}

/// An insurance fund a program keeps (contributions in, benefits out); the government covers a
/// share of a deficit on one of the program's lines.
#[derive(Debug, Clone, Copy)]
pub struct FundDef {
    /// Name in outputs (`<name>_balance`).
    pub name: &'static str,
    /// The program's line (index into its `lines`) that books the deficit cover.
    pub deficit_line: usize,
    /// The parameter giving the government's share of a deficit (one value nationally).
    pub deficit_share_key: &'static str,
    /// That share, from a region's and residence's parameters.
    pub deficit_share: fn(&RuleParams) -> f64,
}

/// Everything a rule family declares.
#[derive(Debug, Clone, Copy)]
pub struct ProgramDef {
    /// Family name (`dibao`).
    pub name: &'static str,
    /// Chinese name of the program.
    pub chinese: &'static str,
    /// Spec sections it implements (`rules.md 4.1, 4.2`).
    pub spec: &'static str,
    /// Its scenario parameters.
    pub params: &'static [ParamDef],
    /// Its steps; their slots say when they run.
    pub steps: &'static [Step],
    /// The per-person outcome columns it writes (indices into this list are the family's own).
    pub outcomes: &'static [OutcomeDef],
    /// Its fiscal lines (indices into this list are the family's own).
    pub lines: &'static [LineDef],
    /// Its insurance funds.
    pub funds: &'static [FundDef],
    /// Books one line per categorical program of the scenario (rules.md 7), named by the scenario.
    pub scenario_lines: bool,
}
