//! Issue 15, item 5: a warm year allocates nothing per person. A counting allocator counts the
//! allocations made by the threads of one rayon pool (its threads mark themselves when they
//! start), so other tests running beside this one do not disturb the count. The national
//! baseline runs on two populations, one four times the other, in one chunk each: every year
//! after the first two (the warm years: buffers have their size) must allocate no more on the
//! large population than on the small one, give or take the growth of a buffer whose population
//! grew past its capacity. Measured: 166 allocations in each warm year at either size, all of
//! them per year, per chunk or per indicator row.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::path::Path;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};

use gongfu::engine::{EngineConfig, simulate};
use gongfu::run::collect::{Gathered, Workspace, indicators_of_year};
use gongfu::scenario::{Scenario, YearRange};

/// The system allocator, counting the allocations of marked threads.
struct Counting;

static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);

thread_local! {
    static COUNTED: Cell<bool> = const { Cell::new(false) };
}

fn note() {
    // `try_with`: a thread being torn down has no thread-locals left.
    if COUNTED.try_with(Cell::get).unwrap_or(false) {
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
    }
}

// SAFETY: every call is forwarded unchanged to `System`; counting touches no allocation.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        note();
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        note();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

const START: i32 = 2022;
const END: i32 = 2027;

/// Allocations of each year of the baseline on `persons` generated persons (dynamics, rules and
/// every indicator), on two counted threads, everything in one chunk.
fn allocations_by_year(persons: usize) -> Vec<(i32, u64)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = gongfu::synth::load_spec(&root.join("synthetic_pop/china_2022.toml")).unwrap();
    let (population, _) = gongfu::synth::generate(&spec, persons, 7).unwrap();
    let scenario = Scenario::load(&root.join("scenarios/baseline.toml"))
        .unwrap()
        .compile(
            &population.regions,
            YearRange {
                start: START,
                end: END,
            },
            gongfu::rules::Demand::ANY,
        )
        .unwrap();
    let cfg = EngineConfig {
        start_year: START,
        end_year: END,
        seed: 3,
        replication: 0,
        chunk_households: usize::MAX,
        static_year: false,
    };
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(2)
        .start_handler(|_| COUNTED.with(|c| c.set(true)))
        .build()
        .unwrap();
    let (mut g, mut ws) = (Gathered::default(), Workspace::default());
    let mut by_year = Vec::new();
    let mut before = 0;
    pool.install(|| {
        // The closure runs on a pool thread: what happens between two years is counted.
        before = ALLOCATIONS.load(Ordering::Relaxed);
        simulate(
            &scenario,
            &population,
            &cfg,
            &AtomicBool::new(false),
            |view| {
                drop(indicators_of_year(view, "baseline", &mut g, &mut ws));
                let now = ALLOCATIONS.load(Ordering::Relaxed);
                by_year.push((view.year, now - before));
                before = now;
                Ok(())
            },
        )
    })
    .unwrap();
    by_year
}

#[test]
fn a_warm_year_allocates_nothing_per_person() {
    let small = allocations_by_year(4_000);
    let large = allocations_by_year(16_000);
    // The counter works: the first year allocates every buffer.
    assert!(
        large[0].1 > 100,
        "no allocation counted in the first year: {large:?}"
    );
    for (&(year, a), &(_, b)) in small.iter().zip(&large).skip(2) {
        // A buffer that outgrows its capacity doubles: a few such events a year at most, and
        // they do not grow with the population (a fourfold population doubles twice more once).
        assert!(
            b <= a + 16,
            "year {year}: {b} allocations on 16,000 persons, {a} on 4,000: some allocate per person \
             (every year: small {small:?}, large {large:?})"
        );
    }
}
