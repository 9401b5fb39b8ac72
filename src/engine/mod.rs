//! The yearly engine (rules 8 and 9).

pub mod chunks;
