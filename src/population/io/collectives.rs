//! The collectives table beside a population file (`<stem>.collectives.<ext>`, population.md):
//! each village collective's subsidy capacity and whether it takes part (rules 10).

use std::path::Path;

use polars::prelude::Column;

use super::cells::{CellKind, Table, flag, in_range, number, required, whole};
use super::words::{FastMap, words};
use crate::error::{Error, Result};
use crate::population::{CollectiveTable, Collectives, Population};
use crate::table;

/// Reads the collectives table beside a population file, aligned to the collectives the
/// population references.
pub(super) fn read_collectives_table(
    path: &Path,
    coll: &Collectives,
    regions: &[String],
) -> Result<CollectiveTable> {
    let t = Table::read(path)?;
    t.require(&[
        "collective_id",
        "region",
        "capacity_yearly",
        "participating",
    ])?;
    let ids = t.cells("collective_id", CellKind::Number, required(whole))?;
    let region = words(&t, "region")?;
    let capacity = t.cells(
        "capacity_yearly",
        CellKind::Number,
        required(|c| in_range(number(c)?, 0.0, "capacity_yearly")),
    )?;
    let participating = t.cells("participating", CellKind::Flag, required(flag))?;
    let mut row_of: FastMap<u64, usize> = FastMap::default();
    row_of.reserve(ids.len());
    for (i, &id) in ids.iter().enumerate() {
        if let Some(prev) = row_of.insert(id, i) {
            return Err(t.cell_error(
                i,
                "collective_id",
                format!("duplicate id {id} (also on row {})", prev + 1),
            ));
        }
    }
    let mut table = CollectiveTable {
        capacity_yearly: Vec::with_capacity(coll.len()),
        participating: Vec::with_capacity(coll.len()),
    };
    for c in 0..coll.len() {
        let id = coll.collective_id[c];
        let Some(&i) = row_of.get(&id) else {
            return Err(Error::Population {
                file: path.to_path_buf(),
                message: format!(
                    "collective {id} is used by the population file but has no row in this table"
                ),
            });
        };
        let expected = &regions[coll.region[c] as usize];
        if region.word(i) != expected {
            return Err(t.cell_error(
                i,
                "region",
                format!(
                    "`{}` differs from the region `{expected}` of the collective's households",
                    region.word(i)
                ),
            ));
        }
        table.capacity_yearly.push(capacity[i]);
        table.participating.push(participating[i]);
    }
    Ok(table)
}

/// Writes the collectives table of `pop` to `path` (Parquet or CSV by its extension).
pub(super) fn write_collectives_table(
    pop: &Population,
    capacities: &CollectiveTable,
    path: &Path,
) -> Result<()> {
    let c = &pop.collectives;
    let mut cdf = table::frame(
        "the collectives table",
        vec![
            Column::new("collective_id".into(), &c.collective_id),
            Column::new(
                "region".into(),
                c.region
                    .iter()
                    .map(|&r| pop.regions[r as usize].as_str())
                    .collect::<Vec<_>>(),
            ),
            Column::new("capacity_yearly".into(), &capacities.capacity_yearly),
            Column::new("participating".into(), &capacities.participating),
        ],
    )?;
    table::write_frame(&mut cdf, path)
}
