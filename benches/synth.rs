//! Benchmark of the synthetic-population generator: generate N persons (first argument, default
//! 10 000 000) from the national spec, calibrate and validate, write Parquet, and print the wall
//! time of each step and the peak resident memory (VmHWM). Target: 10 M persons in under 60 s on
//! 2 cores, under 3 GB.
//!
//! Run: `cargo bench --bench synth` (or `cargo bench --bench synth -- 1000000`).

use std::path::Path;
use std::time::Instant;

fn main() -> anyhow::Result<()> {
    let persons: usize = match std::env::args().skip(1).find(|a| !a.starts_with('-')) {
        Some(n) => n.replace('_', "").parse()?,
        None => 10_000_000,
    };
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = gongfu::synth::load_spec(&root.join("synthetic_pop/china_2022.toml"))?;
    let out =
        std::env::temp_dir().join(format!("gongfu-bench-synth-{}.parquet", std::process::id()));

    let start = Instant::now();
    let (pop, table) = gongfu::synth::generate(&spec, persons, 1)?;
    let generated = start.elapsed();
    gongfu::population::io::write(&pop, &out)?;
    let total = start.elapsed();

    let size = std::fs::metadata(&out).map(|m| m.len()).unwrap_or(0);
    println!(
        "synth: {} persons, {} households, {} targets passed; threads {}",
        pop.persons.len(),
        pop.households.len(),
        table.rows.len(),
        rayon::current_num_threads()
    );
    println!(
        "generate + calibrate + validate {:.2} s, write Parquet {:.2} s ({:.0} MB), total {:.2} s",
        generated.as_secs_f64(),
        (total - generated).as_secs_f64(),
        size as f64 / 1e6,
        total.as_secs_f64()
    );
    println!("peak resident memory (VmHWM): {}", peak_rss());
    std::fs::remove_file(&out).ok();
    std::fs::remove_file(gongfu::population::io::collectives_path(&out)).ok();
    Ok(())
}

/// VmHWM line of /proc/self/status (Linux), or "unknown".
fn peak_rss() -> String {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmHWM:"))
                .map(|l| l.trim_start_matches("VmHWM:").trim().to_string())
        })
        .unwrap_or_else(|| "unknown".into())
}
