//! Fiscal accounts of one year (spec 3-7 "fiscal cost" lines and indicators.md "Fiscal"): weighted
//! flows per program and payer, beneficiaries and the two insurance funds, as exact sums so that
//! totals are bit-identical however the population is chunked.

use super::layout::layout;
use crate::numeric::ExactSum;

/// A fixed line of the fiscal accounts: a registered program's line (its place in
/// [`super::layout::Layout::lines`], which is also the report order).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Program(u8);

impl Program {
    /// Every fixed line, in report order.
    pub fn all() -> impl Iterator<Item = Program> {
        (0..layout().lines.len()).map(|k| Program(k as u8))
    }

    /// The line named `name` in outputs (`"dibao"`), if a registered program books it.
    pub fn named(name: &str) -> Option<Program> {
        layout().line_index(name).map(|k| Program(k as u8))
    }

    /// The line's name in outputs.
    pub fn as_str(self) -> &'static str {
        layout().lines[self.index()].name
    }

    /// The program's Chinese name.
    pub fn chinese(self) -> &'static str {
        layout().lines[self.index()].chinese
    }

    /// Its index among the fixed lines.
    pub fn index(self) -> usize {
        usize::from(self.0)
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
    /// A commercial insurer (huiminbao benefits): neither fiscal nor a social-insurance fund.
    PrivateInsurer = 5,
}

impl Payer {
    /// Every payer, in report order.
    pub const ALL: [Payer; 6] = [
        Payer::Government,
        Payer::Collective,
        Payer::InsuranceFund,
        Payer::Individual,
        Payer::Employer,
        Payer::PrivateInsurer,
    ];

    /// The payer's name in outputs.
    pub fn as_str(self) -> &'static str {
        match self {
            Payer::Government => "government",
            Payer::Collective => "collective",
            Payer::InsuranceFund => "insurance_fund",
            Payer::Individual => "individual",
            Payer::Employer => "employer",
            Payer::PrivateInsurer => "private_insurer",
        }
    }
}

/// Weighted flows of one program line, yuan/year and persons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ProgramAccount {
    /// Amount financed by each payer (index `Payer as usize`).
    pub paid_by: [ExactSum; 6],
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
    /// Fixed lines (index [`Program::index`]).
    pub lines: Vec<ProgramAccount>,
    /// Categorical programs, in the order of `YearRules::programs`; line `categorical_<name>`.
    pub categorical: Vec<(String, ProgramAccount)>,
    /// The registered insurance funds (fund order of the layout).
    pub funds: Vec<FundFlows>,
    /// Whether [`FiscalAccounts::finalize`] has added the fund deficits.
    pub finalized: bool,
}

impl FiscalAccounts {
    /// Empty accounts: every registered line and fund, and one line per categorical program name.
    pub fn new<'a>(categorical_names: impl IntoIterator<Item = &'a str>) -> Self {
        let l = layout();
        FiscalAccounts {
            lines: vec![ProgramAccount::default(); l.lines.len()],
            categorical: categorical_names
                .into_iter()
                .map(|n| (n.to_string(), ProgramAccount::default()))
                .collect(),
            funds: vec![FundFlows::default(); l.funds.len()],
            finalized: false,
        }
    }

    /// A fixed line.
    pub fn program(&self, p: Program) -> &ProgramAccount {
        &self.lines[p.index()]
    }

    /// A fixed line by its output name, if a registered program books it.
    pub fn line(&self, name: &str) -> Option<&ProgramAccount> {
        Program::named(name).map(|p| self.program(p))
    }

    /// A fixed line by index, mutably.
    #[inline]
    pub fn line_mut(&mut self, k: usize) -> &mut ProgramAccount {
        &mut self.lines[k]
    }

    /// A registered fund by its output name (`employee_fund`).
    pub fn fund(&self, name: &str) -> Option<&FundFlows> {
        let k = layout().funds.iter().position(|(f, _)| f.name == name)?;
        Some(&self.funds[k])
    }

    /// Adds a chunk's accounts (same categorical programs, neither finalized).
    pub fn merge(&mut self, other: &FiscalAccounts) {
        debug_assert!(!self.finalized && !other.finalized, "merge after finalize");
        debug_assert_eq!(self.categorical.len(), other.categorical.len());
        for (a, b) in self.lines.iter_mut().zip(&other.lines) {
            a.merge(b);
        }
        for ((_, a), (_, b)) in self.categorical.iter_mut().zip(&other.categorical) {
            a.merge(b);
        }
        for (a, b) in self.funds.iter_mut().zip(&other.funds) {
            a.contributions += b.contributions;
            a.benefits += b.benefits;
        }
    }

    /// Year-level close: the government covers `deficit_shares[k]` of fund k's deficit (benefits
    /// over contributions), booked on the line its program names; a surplus is no negative cost.
    /// Call once, after merging every chunk.
    pub fn finalize(&mut self, deficit_shares: &[f64]) {
        if self.finalized {
            return;
        }
        for (k, (_, line)) in layout().funds.iter().enumerate() {
            let deficit = (-self.funds[k].balance()).max(0.0);
            let share = deficit_shares.get(k).copied().unwrap_or(0.0);
            self.lines[*line].pay(Payer::Government, share * deficit);
        }
        self.finalized = true;
    }

    /// Every line with its account: fixed programs, then the categorical ones.
    pub fn lines(&self) -> impl Iterator<Item = (FiscalLine, &ProgramAccount)> {
        Program::all()
            .map(|p| (FiscalLine::Program(p), self.program(p)))
            .chain(
                self.categorical
                    .iter()
                    .map(|(n, a)| (FiscalLine::Categorical(n.clone()), a)),
            )
    }

    /// Every fund with its output name.
    pub fn fund_flows(&self) -> impl Iterator<Item = (&'static str, &FundFlows)> {
        layout()
            .funds
            .iter()
            .zip(&self.funds)
            .map(|((f, _), flows)| (f.name, flows))
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

    fn line(name: &str) -> usize {
        Program::named(name).unwrap().index()
    }

    /// Employee fund: contributions 100, benefits 160: deficit 60, share 0.5 -> 30 fiscal. LTC
    /// fund in surplus (90 in, 40 out): nothing added. Government total 30 + 80 (dibao) = 110.
    #[test]
    fn finalize_covers_deficits_only() {
        let mut a = FiscalAccounts::new(["child"]);
        let fund = |name: &str| {
            layout()
                .funds
                .iter()
                .position(|(f, _)| f.name == name)
                .unwrap()
        };
        let (employee, ltc) = (fund("employee_fund"), fund("ltc_fund"));
        a.funds[employee].contributions += 100.0;
        a.funds[employee].benefits += 160.0;
        a.funds[ltc].contributions += 90.0;
        a.funds[ltc].benefits += 40.0;
        a.line_mut(line("dibao")).pay(Payer::Government, 80.0);
        let mut shares = vec![1.0; layout().funds.len()];
        shares[employee] = 0.5;
        a.finalize(&shares);
        a.finalize(&shares);
        assert_eq!(
            a.line("employee_pension").unwrap().paid(Payer::Government),
            30.0
        );
        assert_eq!(a.line("ltc").unwrap().paid(Payer::Government), 0.0);
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
        b.funds[0].benefits += 7.0;
        a.merge(&b);
        assert_eq!(a.categorical[0].1.paid(Payer::Government), 3.5);
        assert_eq!(a.funds[0].balance(), -7.0);
    }
}
