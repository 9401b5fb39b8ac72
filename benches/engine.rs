//! Engine benchmark (issue 4, item 6): nanoseconds per person-year of the full yearly step
//! (dynamics plus all rules) on 1 and 2 threads, the whole-run wall time of a baseline with
//! indicators, and peak memory. Run: `cargo bench --bench engine -- [PERSONS] [YEARS] [THREADS]`
//! (defaults 1,000,000 persons, 10 years, threads `1,2`). Figures go to docs/performance.md.

use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use gongfu::engine::{EngineConfig, chunks::DEFAULT_CHUNK_HOUSEHOLDS, simulate};
use gongfu::run::collect::{Gathered, Workspace, indicators_of_year};
use gongfu::scenario::Scenario;

fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find(|l| l.starts_with("VmHWM:"))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|kb| kb.parse::<f64>().ok())
        .map_or(f64::NAN, |kb| kb / 1024.0)
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let persons: usize = args
        .first()
        .and_then(|a| a.parse().ok())
        .unwrap_or(1_000_000);
    let years: i32 = args.get(1).and_then(|a| a.parse().ok()).unwrap_or(10);
    let thread_counts: Vec<usize> = args.get(2).map_or(vec![1, 2], |a| {
        a.split(',').filter_map(|t| t.parse().ok()).collect()
    });
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let scenario =
        Scenario::load(&root.join("scenarios/baseline.toml")).expect("baseline scenario");
    let spec = gongfu::synth::load_spec(&root.join("synthetic_pop/china_2022.toml")).expect("spec");
    let t = Instant::now();
    let (population, _) = gongfu::synth::generate(&spec, persons, 2022).expect("population");
    println!(
        "generated {} persons in {:.2} s",
        population.persons.len(),
        t.elapsed().as_secs_f64()
    );
    let scenario = scenario
        .compile(
            &population.regions,
            gongfu::scenario::YearRange {
                start: 2022,
                end: 2022 + years - 1,
            },
            gongfu::rules::Demand::ANY,
        )
        .expect("baseline compiles");
    let cancel = AtomicBool::new(false);
    for threads in thread_counts {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("thread pool");
        let cfg = EngineConfig {
            start_year: 2022,
            end_year: 2022 + years - 1,
            seed: 1,
            replication: 0,
            chunk_households: DEFAULT_CHUNK_HOUSEHOLDS,
            static_year: false,
        };
        // Steps only (dynamics + rules): the observer counts person-years.
        let mut person_years = 0usize;
        let t = Instant::now();
        pool.install(|| {
            simulate(&scenario, &population, &cfg, &cancel, |view| {
                person_years += view.chunks.iter().map(|c| c.persons.len()).sum::<usize>();
                Ok(())
            })
        })
        .expect("simulate");
        let step = t.elapsed().as_secs_f64();
        // The same run with every indicator of every year.
        let (mut g, mut ws) = (Gathered::default(), Workspace::default());
        let t = Instant::now();
        pool.install(|| {
            simulate(&scenario, &population, &cfg, &cancel, |view| {
                indicators_of_year(view, "baseline", &mut g, &mut ws);
                Ok(())
            })
        })
        .expect("simulate with indicators");
        let full = t.elapsed().as_secs_f64();
        println!(
            "threads {threads}: {person_years} person-years; step {:.1} ns/person-year ({:.1} ns per core), {step:.2} s; with indicators {full:.2} s ({:.1} ns/person-year)",
            step * 1e9 / person_years as f64,
            step * 1e9 * threads as f64 / person_years as f64,
            full * 1e9 / person_years as f64,
        );
    }
    memory_traffic(&scenario, &population, years);
    println!("peak memory {:.0} MB", peak_rss_mb());
}

/// The bytes a person-year's step touches at least (dynamics read last year's row and write next
/// year's, the rules write every outcome column), against this machine's copy bandwidth: the
/// floor of the step's time per person-year on one core.
fn memory_traffic(
    scenario: &gongfu::scenario::CompiledScenario,
    population: &gongfu::population::Population,
    years: i32,
) {
    use gongfu::population::{Households, Persons};
    let cfg = EngineConfig {
        start_year: 2022,
        end_year: 2022 + years.min(2) - 1,
        seed: 1,
        replication: 0,
        chunk_households: DEFAULT_CHUNK_HOUSEHOLDS,
        static_year: false,
    };
    let (mut outcome_bytes, mut persons, mut households) = (0usize, 0usize, 0usize);
    simulate(
        scenario,
        population,
        &cfg,
        &AtomicBool::new(false),
        |view| {
            outcome_bytes = view.chunks.iter().map(|c| c.outcomes.bytes()).sum();
            persons = view.chunks.iter().map(|c| c.persons.len()).sum();
            households = view.chunks.iter().map(|c| c.households.len()).sum();
            Ok(())
        },
    )
    .expect("simulate");
    let row = Persons::bytes_per_person() as f64
        + (Households::bytes_per_household() * households) as f64 / persons as f64;
    let outcomes = outcome_bytes as f64 / persons as f64;
    let touched = 2.0 * row + outcomes;
    // Copy bandwidth on one core: read and write 256 MiB, best of three.
    let source = vec![1u8; 256 << 20];
    let mut target = vec![0u8; 256 << 20];
    let best = (0..3)
        .map(|_| {
            let t = Instant::now();
            target.copy_from_slice(&source);
            std::hint::black_box(&target);
            t.elapsed().as_secs_f64()
        })
        .fold(f64::INFINITY, f64::min);
    let bandwidth = 2.0 * source.len() as f64 / best;
    println!(
        "memory traffic: a person's row {row:.0} bytes (with its household's share), outcome columns \
         {outcomes:.0} bytes; the step touches at least {touched:.0} bytes a person-year (read and \
         write the row, write the outcomes); copy bandwidth {:.1} GB/s on one core, so the floor is \
         {:.1} ns a person-year per core",
        bandwidth / 1e9,
        touched / bandwidth * 1e9
    );
}
