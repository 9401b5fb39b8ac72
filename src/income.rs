//! Income concepts of the statistics bureau (spec rules.md section 2): market income M,
//! individual contributions C, pensions P, assistance A, other cash transfers T, disposable income
//! D = M + P + A + T - C, care-adjusted income D_care, and (v1.3) health-adjusted income D_health
//! and D_care_health after the medical bills insurance and assistance did not pay. Plain arithmetic on yuan per year; the
//! same sums serve a person or a household.

/// An income component of rules.md 2, as programs book their cash into it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Concept {
    /// M: earnings + business/farm + property income.
    Market,
    /// C: individual contributions and premiums the person pays (subtracted).
    Contributions,
    /// P: pensions.
    Pensions,
    /// A: social assistance.
    Assistance,
    /// T: other cash transfers.
    OtherTransfers,
}

/// The income components of a person or a household, yuan/year.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct IncomeParts {
    /// M: earnings + business/farm + property income.
    pub market: f64,
    /// C: employee pension contribution + own resident contribution + own LTC premium.
    pub contributions: f64,
    /// P: resident pension + employee pension.
    pub pensions: f64,
    /// A: dibao + te-kun support + one-time living subsidy.
    pub assistance: f64,
    /// T: elderly allowance + care subsidy + categorical transfers + LTC cash benefit.
    pub other_transfers: f64,
    /// Care cost the household bears, D - D_care: care cost - in-kind reimbursement (with a cash
    /// benefit, the whole care cost, since the reimbursement is already in T).
    pub out_of_pocket_care: f64,
    /// Medical out-of-pocket (rules.md 11): medical need less what basic and critical-illness
    /// insurance, huiminbao and medical assistance have paid so far.
    pub medical_out_of_pocket: f64,
    /// Huiminbao premium (private: not in C, subtracted in D_health).
    pub huiminbao_premium: f64,
}

impl IncomeParts {
    /// Market income plus pensions, M + P (the indicators' "after pensions").
    pub fn market_and_pensions(&self) -> f64 {
        self.market + self.pensions
    }

    /// Income before assistance, M + P + T - C (the dibao means test's numerator).
    pub fn before_assistance(&self) -> f64 {
        self.market + self.pensions + self.other_transfers - self.contributions
    }

    /// Disposable income D = M + P + A + T - C (income tax not modelled in v1).
    pub fn disposable(&self) -> f64 {
        self.before_assistance() + self.assistance
    }

    /// Care-adjusted income D_care = D - out-of-pocket care.
    pub fn disposable_care(&self) -> f64 {
        self.disposable() - self.out_of_pocket_care
    }

    /// Adds `amount` to one component.
    #[inline]
    pub fn book(&mut self, concept: Concept, amount: f64) {
        match concept {
            Concept::Market => self.market += amount,
            Concept::Contributions => self.contributions += amount,
            Concept::Pensions => self.pensions += amount,
            Concept::Assistance => self.assistance += amount,
            Concept::OtherTransfers => self.other_transfers += amount,
        }
    }

    /// Health-adjusted income D_health = D - medical out-of-pocket - huiminbao premium.
    pub fn disposable_health(&self) -> f64 {
        self.disposable() - self.medical_out_of_pocket - self.huiminbao_premium
    }

    /// D_care_health = D_care - medical out-of-pocket - huiminbao premium.
    pub fn disposable_care_health(&self) -> f64 {
        self.disposable_care() - self.medical_out_of_pocket - self.huiminbao_premium
    }

    /// Adds another person's parts (household totals).
    pub fn add(&mut self, other: &IncomeParts) {
        self.market += other.market;
        self.contributions += other.contributions;
        self.pensions += other.pensions;
        self.assistance += other.assistance;
        self.other_transfers += other.other_transfers;
        self.out_of_pocket_care += other.out_of_pocket_care;
        self.medical_out_of_pocket += other.medical_out_of_pocket;
        self.huiminbao_premium += other.huiminbao_premium;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Conformance "ltc-severe-capped": M = 40000, C = 30, out of pocket 36000 - 24000 = 12000:
    /// D = 39970, D_care = 27970.
    #[test]
    fn disposable_and_care_adjusted() {
        let parts = IncomeParts {
            market: 40_000.0,
            contributions: 30.0,
            out_of_pocket_care: 12_000.0,
            ..Default::default()
        };
        assert_eq!(parts.disposable(), 39_970.0);
        assert_eq!(parts.disposable_care(), 27_970.0);
    }

    /// M 12000, P 2280, A 7820, T 1200, C 100: before assistance 15380, D 23200, M + P 14280.
    #[test]
    fn components_add_up() {
        let mut a = IncomeParts {
            market: 12_000.0,
            contributions: 100.0,
            ..Default::default()
        };
        a.add(&IncomeParts {
            pensions: 2_280.0,
            assistance: 7_820.0,
            other_transfers: 1_200.0,
            ..Default::default()
        });
        assert_eq!(a.before_assistance(), 15_380.0);
        assert_eq!(a.disposable(), 23_200.0);
        assert_eq!(a.market_and_pensions(), 14_280.0);
    }
}
