//! Fiscal accounts of one year (spec 3-7 "fiscal cost" lines and indicators.md "Fiscal"): weighted
//! flows per program and payer, beneficiaries and the two insurance funds, as exact sums so that
//! totals are bit-identical however the population is chunked.

use crate::numeric::ExactSum;

/// A program line with a fixed name (categorical programs are lines of their own).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Program {
    /// 城乡居民基本养老保险: basic pension with bonuses, tier subsidies, government-paid contributions.
    ResidentPension = 0,
    /// 城镇职工基本养老保险: contributions, benefits, the fund deficit the government covers.
    EmployeePension = 1,
    /// 最低生活保障.
    Dibao = 2,
    /// 特困人员救助供养.
    Tekun = 3,
    /// 一次性生活补贴.
    OneTimeSubsidy = 4,
    /// 高龄补贴.
    ElderlyAllowance = 5,
    /// 长期护理保险 with the care subsidy.
    Ltc = 6,
    /// 集体补助.
    CollectiveSubsidy = 7,
}

impl Program {
    /// Every fixed program, in report order.
    pub const ALL: [Program; 8] = [
        Program::ResidentPension,
        Program::EmployeePension,
        Program::Dibao,
        Program::Tekun,
        Program::OneTimeSubsidy,
        Program::ElderlyAllowance,
        Program::Ltc,
        Program::CollectiveSubsidy,
    ];

    /// The line's name in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Program::ResidentPension => "resident_pension",
            Program::EmployeePension => "employee_pension",
            Program::Dibao => "dibao",
            Program::Tekun => "tekun",
            Program::OneTimeSubsidy => "one_time_subsidy",
            Program::ElderlyAllowance => "elderly_allowance",
            Program::Ltc => "ltc",
            Program::CollectiveSubsidy => "collective_subsidy",
        }
    }
}

/// A line of the fiscal accounts: a fixed program, or a categorical program (spec 7) by its name
/// in the scenario. Outputs name it `<program>` or `categorical_<name>`.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum FiscalLine {
    /// A fixed program.
    Program(Program),
    /// A categorical program of the scenario, by name.
    Categorical(String),
}

/// Who finances a flow.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[repr(u8)]
pub enum Payer {
    /// Fiscal cost.
    Government = 0,
    /// Village collectives.
    Collective = 1,
    /// An insurance fund paying benefits (employee pension fund, LTC fund).
    InsuranceFund = 2,
    /// Persons (own contributions and premiums).
    Individual = 3,
    /// Employers (contributions and premiums).
    Employer = 4,
}

impl Payer {
    /// Every payer, in report order.
    pub const ALL: [Payer; 5] = [
        Payer::Government,
        Payer::Collective,
        Payer::InsuranceFund,
        Payer::Individual,
        Payer::Employer,
    ];

    /// The payer's name in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Payer::Government => "government",
            Payer::Collective => "collective",
            Payer::InsuranceFund => "insurance_fund",
            Payer::Individual => "individual",
            Payer::Employer => "employer",
        }
    }
}

/// Weighted flows of one program line, yuan/year and persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgramAccount {
    /// Amount financed by each payer (index `Payer as usize`).
    pub paid_by: [ExactSum; 5],
    /// Benefits paid to persons (cash, in kind or into accounts).
    pub benefits: ExactSum,
    /// Weighted persons with a benefit > 0.
    pub beneficiaries_persons: ExactSum,
    /// Weighted households with a member with a benefit > 0.
    pub beneficiaries_households: ExactSum,
}

impl ProgramAccount {
    /// Adds `amount` financed by `payer`.
    #[inline]
    pub fn pay(&mut self, payer: Payer, amount: f64) {
        self.paid_by[payer as usize] += amount;
    }

    /// Total financed by `payer`.
    pub fn paid(&self, payer: Payer) -> f64 {
        self.paid_by[payer as usize].value()
    }

    fn merge(&mut self, other: &ProgramAccount) {
        for (a, b) in self.paid_by.iter_mut().zip(other.paid_by) {
            *a += b;
        }
        self.benefits += other.benefits;
        self.beneficiaries_persons += other.beneficiaries_persons;
        self.beneficiaries_households += other.beneficiaries_households;
    }
}

/// Weighted flows of an insurance fund, yuan/year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct FundFlows {
    /// Contributions or premiums received (every payer).
    pub contributions: ExactSum,
    /// Benefits paid.
    pub benefits: ExactSum,
}

impl FundFlows {
    /// Balance of the year, contributions - benefits (negative: a deficit).
    pub fn balance(&self) -> f64 {
        self.contributions.value() - self.benefits.value()
    }
}

/// Fiscal accounts of a year (or of a chunk of it, before [`FiscalAccounts::merge`]).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct FiscalAccounts {
    /// Fixed program lines (index `Program as usize`).
    pub programs: [ProgramAccount; 8],
    /// Categorical programs, in the order of `YearRules::programs`; line `categorical_<name>`.
    pub categorical: Vec<(String, ProgramAccount)>,
    /// National employee pension fund.
    pub employee_fund: FundFlows,
    /// LTC fund.
    pub ltc_fund: FundFlows,
    /// Whether [`FiscalAccounts::finalize`] has added the fund deficits.
    pub finalized: bool,
}

impl FiscalAccounts {
    /// Empty accounts with one line per categorical program name.
    pub fn new<'a>(categorical_names: impl IntoIterator<Item = &'a str>) -> Self {
        FiscalAccounts {
            categorical: categorical_names
                .into_iter()
                .map(|n| (n.to_string(), ProgramAccount::default()))
                .collect(),
            ..Default::default()
        }
    }

    /// A fixed program line.
    pub fn program(&self, p: Program) -> &ProgramAccount {
        &self.programs[p as usize]
    }

    /// A fixed program line, mutably.
    pub fn program_mut(&mut self, p: Program) -> &mut ProgramAccount {
        &mut self.programs[p as usize]
    }

    /// Adds a chunk's accounts (same categorical programs, neither finalized).
    pub fn merge(&mut self, other: &FiscalAccounts) {
        debug_assert!(!self.finalized && !other.finalized, "merge after finalize");
        debug_assert_eq!(self.categorical.len(), other.categorical.len());
        for (a, b) in self.programs.iter_mut().zip(&other.programs) {
            a.merge(b);
        }
        for ((_, a), (_, b)) in self.categorical.iter_mut().zip(&other.categorical) {
            a.merge(b);
        }
        for (a, b) in [
            (&mut self.employee_fund, &other.employee_fund),
            (&mut self.ltc_fund, &other.ltc_fund),
        ] {
            a.contributions += b.contributions;
            a.benefits += b.benefits;
        }
    }

    /// Year-level close: the government covers `fund_deficit_fiscal_share` of the national
    /// employee-fund deficit and `ltc_deficit_fiscal_share` of the LTC fund deficit (benefits over
    /// all premiums); a surplus is no negative cost. Call once, after merging every chunk.
    pub fn finalize(&mut self, fund_deficit_fiscal_share: f64, ltc_deficit_fiscal_share: f64) {
        if self.finalized {
            return;
        }
        for (program, fund, share) in [
            (
                Program::EmployeePension,
                self.employee_fund,
                fund_deficit_fiscal_share,
            ),
            (Program::Ltc, self.ltc_fund, ltc_deficit_fiscal_share),
        ] {
            let deficit = (-fund.balance()).max(0.0);
            self.program_mut(program)
                .pay(Payer::Government, share * deficit);
        }
        self.finalized = true;
    }

    /// Every line with its account: fixed programs, then the categorical ones.
    pub fn lines(&self) -> impl Iterator<Item = (FiscalLine, &ProgramAccount)> {
        Program::ALL
            .iter()
            .map(|&p| (FiscalLine::Program(p), self.program(p)))
            .chain(
                self.categorical
                    .iter()
                    .map(|(n, a)| (FiscalLine::Categorical(n.clone()), a)),
            )
    }

    /// Total government cost, yuan/year: the exact sum over every line.
    pub fn government_total(&self) -> f64 {
        let mut total = ExactSum::default();
        for (_, a) in self.lines() {
            total += a.paid_by[Payer::Government as usize];
        }
        total.value()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Employee fund: contributions 100, benefits 160: deficit 60, share 0.5 -> 30 fiscal. LTC
    /// fund in surplus (90 in, 40 out): nothing added. Government total 30 + 80 (dibao) = 110.
    #[test]
    fn finalize_covers_deficits_only() {
        let mut a = FiscalAccounts::new(["child"]);
        a.employee_fund.contributions += 100.0;
        a.employee_fund.benefits += 160.0;
        a.ltc_fund.contributions += 90.0;
        a.ltc_fund.benefits += 40.0;
        a.program_mut(Program::Dibao).pay(Payer::Government, 80.0);
        a.finalize(0.5, 1.0);
        a.finalize(0.5, 1.0);
        assert_eq!(
            a.program(Program::EmployeePension).paid(Payer::Government),
            30.0
        );
        assert_eq!(a.program(Program::Ltc).paid(Payer::Government), 0.0);
        assert_eq!(a.government_total(), 110.0);
        let lines: Vec<FiscalLine> = a.lines().map(|(n, _)| n).collect();
        assert_eq!(
            lines.last().unwrap(),
            &FiscalLine::Categorical("child".into())
        );
    }

    #[test]
    fn merge_adds_every_flow() {
        let mut a = FiscalAccounts::new(["child"]);
        let mut b = FiscalAccounts::new(["child"]);
        a.categorical[0].1.pay(Payer::Government, 1.5);
        b.categorical[0].1.pay(Payer::Government, 2.0);
        b.ltc_fund.benefits += 7.0;
        a.merge(&b);
        assert_eq!(a.categorical[0].1.paid(Payer::Government), 3.5);
        assert_eq!(a.ltc_fund.balance(), -7.0);
    }
}
