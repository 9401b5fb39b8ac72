//! The four rule families and categorical transfers, one module each (spec rules.md sections 2-8).
//! Rules are pure: no I/O, no threads, no random draws of their own (draws come from `rng` keyed by
//! entity, year and purpose, so scenarios share them).

use crate::params::ParamDef;

/// Parameter definitions of every rule family and of the dynamics, in display order.
pub const PARAM_GROUPS: &[&[ParamDef]] = &[];
