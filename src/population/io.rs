//! Reading and writing population files (Parquet and CSV), with validation (population.md).
