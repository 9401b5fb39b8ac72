//! End-to-end tests: one integration binary so polars links once. Each module covers one area.

mod common;
mod synth;
