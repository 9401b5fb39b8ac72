//! Hukou-linked eligibility of social assistance (户籍): rules.md 13. With
//! `assistance_local_hukou_only`, dibao is paid only for members whose hukou is registered where the
//! household lives (the means test still divides by the whole household), only they can be
//! te-kun, and only they get the care subsidy and medical assistance. The families that apply it
//! embed [`HukouRule`]; temporary assistance has a flag of its own.

use crate::params::{ParamDef, ParamError, ResolvedParams};

/// Parameters of hukou-linked eligibility.
pub const PARAMS: &[ParamDef] = &[ParamDef::flag(
    "assistance_local_hukou_only",
    false,
    "rules.md 13",
    "Dibao, te-kun, the care subsidy and medical assistance only for members with local hukou",
)];

/// Whether assistance requires local hukou, for one year, region and residence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HukouRule {
    /// Only members with local hukou are eligible.
    pub local_only: bool,
}

impl HukouRule {
    /// Reads the rule.
    pub fn from_resolved(p: &ResolvedParams) -> Result<Self, ParamError> {
        Ok(HukouRule {
            local_only: p.flag("assistance_local_hukou_only"),
        })
    }

    /// Whether a person with this hukou status may receive the assistance.
    pub fn eligible(self, local_hukou: bool) -> bool {
        local_hukou || !self.local_only
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spec 13: open to every resident by default; with the flag, local hukou only.
    #[test]
    fn local_hukou_only_when_asked() {
        let open = HukouRule { local_only: false };
        let local = HukouRule { local_only: true };
        assert!(open.eligible(false) && open.eligible(true));
        assert!(local.eligible(true) && !local.eligible(false));
    }
}
