//! End-to-end tests: one integration binary so polars links once. Each module covers one area.

mod batch;
mod browser;
mod common;
mod conformance;
mod determinism;
mod medical_calibration;
mod overview;
mod population_errors;
mod report;
mod scenario_errors;
mod shipped_scenarios;
mod static_run;
mod stats;
mod synth;
mod workbook;
