//! Counter-based random streams: the only source of randomness in gongfu.
//!
//! Every draw is a pure function of (seed, replication, entity id, year, purpose, counter), so
//! results do not depend on thread count, chunk size or the order in which work is done, and two
//! scenarios see the same draws for the same person, year and purpose (common random numbers).
//! The generator is SplitMix64's output function applied to a counter offset from a hashed key:
//! value-stable across crate versions because it is ours (spec rules.md section 9).

use std::convert::Infallible;

/// What a draw is for. Each purpose gets its own stream, so adding draws for one purpose never
/// shifts the draws of another (a reform that changes a benefit leaves deaths untouched).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u16)]
pub enum Purpose {
    // Synthetic population generation.
    /// Household composition (size, ages, sexes) of one generated household.
    SynthHousehold = 1,
    /// Person attributes drawn by the generator (employment, earnings, pensions, flags).
    SynthPerson = 2,
    /// Collective table of the generator.
    SynthCollective = 3,
    /// Order among households of equal income in the generator's income alignment.
    SynthIncomeRank = 4,
    /// Whether a generated household is a migrant household without local hukou.
    SynthHukou = 5,
    // Scenario-independent rule draws (drawn once per person or collective).
    /// Resident-pension enrolment (rules 3.1), once per person.
    ResidentEnrolment = 10,
    /// Resident-pension tier choice (rules 3.1), once per person.
    TierChoice = 11,
    /// LTC insurance coverage (rules 5), once per person.
    LtcCoverage = 12,
    /// Collective participation (rules 6), once per collective.
    CollectiveParticipation = 13,
    /// Dibao take-up or inclusion error (rules 4.1), once per household and year.
    DibaoTargeting = 14,
    /// Tier upgrade response to a collective subsidy (rules 6), once per person and year.
    TierUpgrade = 15,
    /// Birth month (the population gives whole-year ages), once per person: the month in which
    /// the statutory retirement age is reached (rules 3.2, 9).
    BirthMonth = 16,
    /// Basic medical insurance coverage (rules 11), once per person.
    MedicalInsuranceCoverage = 17,
    /// Huiminbao take-up (rules 11), once per person.
    HuiminbaoTakeUp = 18,
    /// Temporary assistance take-up (rules 12), once per household and year.
    TemporaryAssistanceTakeUp = 19,
    /// Outpatient cost factor (rules 11), once per person and year.
    OutpatientCost = 30,
    /// Whether a person has an inpatient stay, and its cost factor (rules 11), once per person and
    /// year.
    InpatientCost = 31,
    // Life-cycle dynamics (rules 9).
    /// Death.
    Mortality = 20,
    /// Disability onset, progression, recovery.
    Disability = 21,
    /// Births.
    Fertility = 22,
    /// Sex of a newborn.
    NewbornSex = 23,
    /// Rural-urban migration of a household.
    Migration = 24,
    /// Transitory earnings shock.
    EarningsShock = 25,
    /// Permanent traits of a newborn (its id).
    NewbornTraits = 26,
    /// Status and earnings of a young person entering the labour market.
    LabourEntry = 27,
}

/// Key of one stream: everything that identifies a family of draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StreamKey {
    /// Master seed of the run or of the generator.
    pub seed: u64,
    /// Replication number (0 for the first).
    pub replication: u32,
    /// Person, household or collective id (the stable id of the population file).
    pub entity: u64,
    /// Calendar year of the draw (0 for once-per-entity draws).
    pub year: i32,
    /// What the draw is for.
    pub purpose: Purpose,
}

const GAMMA: u64 = 0x9E37_79B9_7F4A_7C15;

/// SplitMix64 finaliser: a bijective 64-bit mixer with full avalanche.
#[inline]
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl StreamKey {
    /// Hash of the key: the offset of this stream's counter.
    #[inline]
    pub fn hash(&self) -> u64 {
        let mut h = mix64(self.seed ^ 0x6A09_E667_F3BC_C908);
        h = mix64(h ^ (u64::from(self.replication) << 16) ^ self.purpose as u64);
        h = mix64(h ^ self.entity);
        mix64(h ^ (self.year as i64 as u64).wrapping_mul(GAMMA))
    }

    /// A fresh stream for this key, positioned at counter 0.
    #[inline]
    pub fn stream(&self) -> Stream {
        Stream {
            base: self.hash(),
            counter: 0,
        }
    }
}

/// A counter-based generator: draw `i` of a stream is `mix64(base + i * GAMMA)`.
/// Cheap to create (one hash), no heap, no shared state.
#[derive(Debug, Clone)]
pub struct Stream {
    base: u64,
    counter: u64,
}

impl Stream {
    /// Uniform draw in [0, 1) with 53 bits of precision.
    #[inline]
    pub fn uniform(&mut self) -> f64 {
        (self.next() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p` (p <= 0 never, p >= 1 always, without consuming extra draws).
    #[inline]
    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Standard normal draw (Box-Muller, one value per two uniforms; the twin is discarded so
    /// that the draw count per call is fixed).
    #[inline]
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = 1.0 - self.uniform(); // (0, 1]
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Index drawn from cumulative shares (last entry the total; need not be exactly 1).
    #[inline]
    pub fn pick_cumulative(&mut self, cumulative: &[f64]) -> usize {
        let total = cumulative.last().copied().unwrap_or(0.0);
        let u = self.uniform() * total;
        cumulative
            .iter()
            .position(|&c| u < c)
            .unwrap_or(cumulative.len().saturating_sub(1))
    }

    #[inline]
    fn next(&mut self) -> u64 {
        let v = mix64(self.base.wrapping_add(self.counter.wrapping_mul(GAMMA)));
        self.counter = self.counter.wrapping_add(1);
        v
    }
}

/// One uniform draw in [0, 1) for a key: the common case of one decision per entity and year.
#[inline]
pub fn uniform(key: StreamKey) -> f64 {
    key.stream().uniform()
}

impl rand::TryRng for Stream {
    type Error = Infallible;
    #[inline]
    fn try_next_u32(&mut self) -> Result<u32, Infallible> {
        Ok((self.next() >> 32) as u32)
    }
    #[inline]
    fn try_next_u64(&mut self) -> Result<u64, Infallible> {
        Ok(self.next())
    }
    fn try_fill_bytes(&mut self, dst: &mut [u8]) -> Result<(), Infallible> {
        for chunk in dst.chunks_mut(8) {
            let bytes = self.next().to_le_bytes();
            chunk.copy_from_slice(&bytes[..chunk.len()]);
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(entity: u64, purpose: Purpose) -> StreamKey {
        StreamKey {
            seed: 7,
            replication: 0,
            entity,
            year: 2022,
            purpose,
        }
    }

    #[test]
    fn same_key_same_draws_and_keys_differ() {
        let a: Vec<f64> = (0..4)
            .map(|_| 0.0)
            .scan(key(1, Purpose::Mortality).stream(), |s, _| {
                Some(s.uniform())
            })
            .collect();
        let b: Vec<f64> = (0..4)
            .map(|_| 0.0)
            .scan(key(1, Purpose::Mortality).stream(), |s, _| {
                Some(s.uniform())
            })
            .collect();
        assert_eq!(a, b);
        assert_ne!(
            uniform(key(1, Purpose::Mortality)),
            uniform(key(2, Purpose::Mortality))
        );
        assert_ne!(
            uniform(key(1, Purpose::Mortality)),
            uniform(key(1, Purpose::Disability))
        );
        let mut k = key(1, Purpose::Mortality);
        k.replication = 1;
        assert_ne!(uniform(k), uniform(key(1, Purpose::Mortality)));
    }

    /// Moments of 200k draws across entities: mean 1/2 and variance 1/12 for uniforms, mean 0 and
    /// variance 1 for normals, within about 5 standard errors.
    #[test]
    fn uniform_and_normal_moments_across_entities() {
        let n = 200_000u64;
        let (mut s, mut s2, mut z, mut z2) = (0.0, 0.0, 0.0, 0.0);
        for e in 0..n {
            let u = uniform(key(e, Purpose::EarningsShock));
            s += u;
            s2 += u * u;
            let x = key(e, Purpose::SynthPerson).stream().standard_normal();
            z += x;
            z2 += x * x;
        }
        let nf = n as f64;
        assert!((s / nf - 0.5).abs() < 5.0 * (1.0 / 12.0f64 / nf).sqrt());
        assert!((s2 / nf - s * s / nf / nf - 1.0 / 12.0).abs() < 0.002);
        assert!((z / nf).abs() < 5.0 / nf.sqrt());
        assert!((z2 / nf - 1.0).abs() < 0.02);
    }

    #[test]
    fn pick_cumulative_respects_shares() {
        let cum = [0.2, 0.5, 1.0];
        let mut counts = [0usize; 3];
        for e in 0..100_000 {
            counts[key(e, Purpose::TierChoice).stream().pick_cumulative(&cum)] += 1;
        }
        assert!((counts[0] as f64 / 1e5 - 0.2).abs() < 0.01);
        assert!((counts[1] as f64 / 1e5 - 0.3).abs() < 0.01);
        assert!((counts[2] as f64 / 1e5 - 0.5).abs() < 0.01);
    }
}
