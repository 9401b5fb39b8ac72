//! Planning a batch: scenarios grouped by start population, each group's reference and
//! settings, and on `--resume` the scenarios whose saved results still match.

use super::{BatchOptions, Log, Member, Outcome, PlannedGroup, Tick};
use crate::results::ScenarioStatus;
use crate::run::microdata::sanitize;
use crate::run::store::{self, Fingerprint};
use crate::run::{PopulationKey, Settings};
use crate::scenario::Scenario;

/// Groups scenarios by population (first appearance order), picks each group's reference and
/// settings, and on resume finds the unchanged scenarios. Scenarios that cannot be grouped are
/// recorded as failed.
pub(super) fn plan<F: FnMut(&Tick<'_>)>(
    loaded: Vec<Scenario>,
    opts: &BatchOptions,
    outcomes: &mut Vec<Outcome>,
    log: &mut Log<F>,
) -> Vec<PlannedGroup> {
    let mut by_key: Vec<(PopulationKey, Vec<Scenario>)> = Vec::new();
    for s in loaded {
        match PopulationKey::of(&opts.run, &s) {
            Ok(key) => match by_key.iter_mut().find(|(k, _)| *k == key) {
                Some((_, list)) => list.push(s),
                None => by_key.push((key, vec![s])),
            },
            Err(e) => {
                log.event(&format!("failed {}: {e}", s.name));
                outcomes.push(Outcome {
                    group: String::new(),
                    scenario: s.name.clone(),
                    status: ScenarioStatus::Failed,
                    reason: Some(e.to_string()),
                });
            }
        }
    }
    let several = by_key.len() > 1;
    let mut names: Vec<String> = Vec::new();
    let mut groups = Vec::new();
    for (key, mut scenarios) in by_key {
        let r = scenarios.iter().position(|s| s.reference).unwrap_or(0);
        let reference = scenarios.remove(r);
        scenarios.insert(0, reference);
        let base = sanitize(&scenarios[0].name);
        let mut name = base.clone();
        let mut n = 1;
        while names.contains(&name) {
            n += 1;
            name = format!("{base}-{n}");
        }
        names.push(name.clone());
        let dir = if several {
            opts.out.join(&name)
        } else {
            opts.out.clone()
        };
        // Without settings or a readable population source the group cannot run.
        let (settings, population_sha) = match (
            Settings::resolve(&opts.run, &scenarios[0]),
            store::file_sha256(key.file()),
        ) {
            (Ok(settings), Ok(sha)) => (settings, sha),
            (Err(e), _) | (_, Err(e)) => {
                for s in &scenarios {
                    log.event(&format!("failed {}: {e}", s.name));
                    outcomes.push(Outcome {
                        group: name.clone(),
                        scenario: s.name.clone(),
                        status: ScenarioStatus::Failed,
                        reason: Some(e.to_string()),
                    });
                }
                continue;
            }
        };
        let mut seen: Vec<String> = Vec::new();
        let members: Vec<Member> = scenarios
            .into_iter()
            .map(|scenario| {
                let duplicate = seen.contains(&scenario.name).then(|| {
                    format!(
                        "another scenario of group `{name}` is also named `{}`; names must differ",
                        scenario.name
                    )
                });
                seen.push(scenario.name.clone());
                let fingerprint = Fingerprint::new(
                    &scenario,
                    &key,
                    &population_sha,
                    &settings,
                    opts.run.microdata,
                    opts.run.microdata_csv,
                );
                Member {
                    scenario,
                    fingerprint,
                    resumed: None,
                    failure: duplicate,
                }
            })
            .collect();
        let mut group = PlannedGroup {
            name,
            dir,
            key,
            settings,
            members,
            snapshot: None,
        };
        if opts.resume {
            find_resumable(&mut group, log);
        }
        groups.push(group);
    }
    groups
}

/// Marks the scenarios a resumed batch can skip: a scenario is skipped only when it and its
/// group's reference are both unchanged (same fingerprint, saved results readable), and it was
/// compared with that same reference.
fn find_resumable<F: FnMut(&Tick<'_>)>(group: &mut PlannedGroup, log: &mut Log<F>) {
    let reference_fp = group.members[0].fingerprint.clone();
    for i in 0..group.members.len() {
        let m = &group.members[i];
        if m.failure.is_some() || (i > 0 && group.snapshot.is_none()) {
            continue;
        }
        let dir = store::scenario_dir(&group.dir, &m.scenario.name);
        let Some(done) = store::load_done(&dir).filter(|d| {
            d.fingerprint == m.fingerprint && d.reference.as_ref() == Some(&reference_fp)
        }) else {
            continue;
        };
        let saved = store::verify(&dir, &done, i == 0).and_then(|()| {
            let rows = store::load_rows(&dir)?;
            let snapshot = if i == 0 {
                Some(store::load_snapshot(&dir)?)
            } else {
                None
            };
            Ok((rows, snapshot))
        });
        match saved {
            Ok((rows, snapshot)) => {
                group.members[i].resumed = Some(rows);
                if i == 0 {
                    group.snapshot = snapshot;
                }
            }
            Err(e) => log.event(&format!(
                "{}: saved results cannot be used, it reruns: {e}",
                group.members[i].scenario.name
            )),
        }
    }
}
