//! Where each registered program's outcome columns, fiscal lines and funds sit in the year's
//! storage: the programs of [`super::PROGRAMS`] in registration order, each family's own indices
//! offset by the sizes of the families before it. Computed once, from the declarations.

use std::sync::LazyLock;

use super::program::{FundDef, LineDef, OutcomeDef, ProgramDef, Slot};
use super::{PROGRAMS, Step};

/// A registered program with the offsets of its outcomes, lines and funds.
#[derive(Debug, Clone, Copy)]
pub struct Placed {
    /// The declaration.
    pub def: &'static ProgramDef,
    /// Global index of its first outcome column.
    pub outcome_offset: usize,
    /// Global index of its first fiscal line.
    pub line_offset: usize,
    /// Global index of its first fund.
    pub fund_offset: usize,
}

/// Every registered program placed, and the flattened declarations.
#[derive(Debug)]
pub struct Layout {
    /// Programs in registration order.
    pub programs: Vec<Placed>,
    /// Every outcome column, by global index.
    pub outcomes: Vec<&'static OutcomeDef>,
    /// Every fixed fiscal line, by global index (categorical lines follow them in the accounts).
    pub lines: Vec<&'static LineDef>,
    /// Every fund, by global index, with the global index of the line booking its deficit.
    pub funds: Vec<(&'static FundDef, usize)>,
    /// Every step in the order of the year: by slot, then registration order, with its program.
    pub steps: Vec<(Step, Placed)>,
    /// The year's passes over the households of a chunk: the steps before the collective amounts,
    /// the assistance steps, and the year end (after the income concepts close).
    pub passes: [Vec<(Step, Placed)>; 3],
}

impl Layout {
    fn build(defs: &[&'static ProgramDef]) -> Layout {
        let mut layout = Layout {
            programs: Vec::with_capacity(defs.len()),
            outcomes: Vec::new(),
            lines: Vec::new(),
            funds: Vec::new(),
            steps: Vec::new(),
            passes: Default::default(),
        };
        for def in defs {
            let placed = Placed {
                def,
                outcome_offset: layout.outcomes.len(),
                line_offset: layout.lines.len(),
                fund_offset: layout.funds.len(),
            };
            layout.outcomes.extend(def.outcomes.iter());
            layout.lines.extend(def.lines.iter());
            layout.funds.extend(
                def.funds
                    .iter()
                    .map(|f| (f, placed.line_offset + f.deficit_line)),
            );
            layout.programs.push(placed);
        }
        let mut steps: Vec<(Step, Placed)> = layout
            .programs
            .iter()
            .flat_map(|p| p.def.steps.iter().map(move |s| (*s, *p)))
            .collect();
        // A stable sort keeps registration order within a slot.
        steps.sort_by_key(|(s, _)| s.slot);
        for step in &steps {
            let pass = match step.0.slot {
                Slot::YearEnd => 2,
                s if s.needs_whole_collectives() => 1,
                _ => 0,
            };
            layout.passes[pass].push(*step);
        }
        layout.steps = steps;
        layout
    }

    /// The registered program named `name`.
    pub fn program(&self, name: &str) -> Option<&Placed> {
        self.programs.iter().find(|p| p.def.name == name)
    }

    /// Global index of the outcome column named `column`.
    pub fn outcome_index(&self, column: &str) -> Option<usize> {
        self.outcomes.iter().position(|o| o.column == column)
    }

    /// Global index of the fixed line named `name`.
    pub fn line_index(&self, name: &str) -> Option<usize> {
        self.lines.iter().position(|l| l.name == name)
    }
}

/// The layout of the registered programs.
pub fn layout() -> &'static Layout {
    static LAYOUT: LazyLock<Layout> = LazyLock::new(|| Layout::build(PROGRAMS));
    &LAYOUT
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Steps run slot by slot; within a slot, in registration order; every family's outcomes and
    /// lines sit contiguously from its offsets.
    #[test]
    fn steps_follow_slots_then_registration() {
        let l = layout();
        assert!(l.steps.windows(2).all(|w| w[0].0.slot <= w[1].0.slot));
        let registration = |name: &str| l.programs.iter().position(|p| p.def.name == name);
        for w in l.steps.windows(2) {
            if w[0].0.slot == w[1].0.slot {
                assert!(registration(w[0].1.def.name) <= registration(w[1].1.def.name));
            }
        }
        for p in &l.programs {
            for (k, o) in p.def.outcomes.iter().enumerate() {
                assert_eq!(l.outcomes[p.outcome_offset + k].column, o.column);
            }
            for (k, line) in p.def.lines.iter().enumerate() {
                assert_eq!(l.lines[p.line_offset + k].name, line.name);
            }
        }
        assert!(Slot::ALL.windows(2).all(|w| w[0] < w[1]));
    }
}
