//! End-to-end tests: one integration binary so polars links once. Each module covers one area.

mod allocation;
mod batch;
mod bookkeeping;
mod browser;
mod common;
mod conformance;
mod determinism;
mod frozen_rules;
mod fuzz;
mod grids;
mod medical_calibration;
mod official_gini;
mod overview;
mod parquet_interop;
mod population_errors;
mod report;
mod run_folder;
mod scenario_errors;
mod shipped_scenarios;
mod static_run;
mod stats;
mod synth;
mod workbook;
