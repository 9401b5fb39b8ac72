//! Disability transitions (rules.md 9): onset (0 -> 1), progression (g -> g + 1) and recovery
//! (g -> g - 1) by age band, from one uniform draw per person and year.

use super::DynamicsParams;
use crate::params::band_lookup;
use crate::population::SEVERE_DISABILITY;

/// New disability grade from one uniform draw: onset (0 -> 1), progression (g -> g + 1) or
/// recovery (g -> g - 1), by age band.
#[inline]
pub(super) fn disability_transition(p: &DynamicsParams, grade: u8, age: u8, u: f64) -> u8 {
    if grade == 0 {
        let onset = band_lookup(&p.disability_onset_rate, u32::from(age)).unwrap_or(0.0);
        return u8::from(u < onset);
    }
    let up = if grade < SEVERE_DISABILITY {
        band_lookup(&p.disability_progression_rate, u32::from(age)).unwrap_or(0.0)
    } else {
        0.0
    };
    if u < up {
        grade + 1
    } else if u < up + p.disability_recovery_rate {
        grade - 1
    } else {
        grade
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dynamics::params::tests::quiet as params;

    #[test]
    fn disability_transitions_follow_rates() {
        let p = DynamicsParams {
            disability_onset_rate: vec![(60, 0.1)],
            disability_progression_rate: vec![(60, 0.2)],
            disability_recovery_rate: 0.05,
            ..params()
        };
        assert_eq!(
            disability_transition(&p, 0, 50, 0.0),
            0,
            "no onset below the lowest band"
        );
        assert_eq!(disability_transition(&p, 0, 70, 0.099), 1);
        assert_eq!(disability_transition(&p, 0, 70, 0.1), 0);
        assert_eq!(disability_transition(&p, 1, 70, 0.19), 2);
        assert_eq!(disability_transition(&p, 2, 70, 0.24), 1);
        assert_eq!(
            disability_transition(&p, 3, 70, 0.04),
            2,
            "grade 3 cannot progress, may recover"
        );
        assert_eq!(disability_transition(&p, 3, 70, 0.5), 3);
    }
}
