//! A reform loaded on another baseline (`run --on`, issue 18): what the reform sets must reach
//! the new baseline. A baseline that sets the same parameter at a more specific level (its
//! `[params.region.<code>]`, `[params.urban]` ...) would win over the reform's value and turn the
//! reform into a silent no-op there; that is an error naming both places.

use super::source::Source;
use super::{Level, file::Layer};
use crate::{Error, Result};

/// Whether `narrow` is a more specific level inside `wide` (the same region or residence where
/// `wide` names one, and narrower somewhere).
fn narrows(narrow: &Level, wide: &Level) -> bool {
    narrow != wide
        && wide
            .region
            .as_ref()
            .is_none_or(|r| narrow.region.as_ref() == Some(r))
        && wide.residence.is_none_or(|r| narrow.residence == Some(r))
}

/// The error for the first reform setting (chain[0]) that a more specific setting of the base
/// chain (chain[1..]) shadows, unless the reform also sets that level.
pub(super) fn check_reaches_base(chain: &[(Source, Layer)]) -> Result<()> {
    let Some(((reform_src, reform), base)) = chain.split_first() else {
        return Ok(());
    };
    for (level, stem, setting) in &reform.params {
        for (src, layer) in base {
            for (narrow, other_stem, other) in &layer.params {
                let covered = reform
                    .params
                    .iter()
                    .any(|(l, s, _)| l == narrow && s == stem);
                if other_stem != stem || !narrows(narrow, level) || covered {
                    continue;
                }
                let key = if other.monthly {
                    format!("{stem}_monthly")
                } else {
                    (*stem).to_owned()
                };
                return Err(Error::Config {
                    file: reform_src.path.clone(),
                    line: Some(setting.origin.line),
                    column: None,
                    message: format!(
                        "`{key}` set here does not reach the baseline {}: its {} at line {} sets \
                         the same parameter and wins",
                        src.path.display(),
                        narrow.section_brackets(),
                        other.origin.line
                    ),
                    hint: Some(format!(
                        "set `{key}` under {} in this file too, or leave that baseline out of --on",
                        narrow.section_brackets()
                    )),
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::population::Residence;

    fn level(region: Option<&str>, residence: Option<Residence>) -> Level {
        Level {
            region: region.map(str::to_owned),
            residence,
        }
    }

    /// The precedence of rules of scenarios.md: region + residence > region > residence > base.
    #[test]
    fn narrower_levels_are_inside_the_wider_one() {
        let base = level(None, None);
        let zhejiang = level(Some("zhejiang"), None);
        let urban = level(None, Some(Residence::Urban));
        let zhejiang_urban = level(Some("zhejiang"), Some(Residence::Urban));
        assert!(narrows(&zhejiang, &base));
        assert!(narrows(&urban, &base));
        assert!(narrows(&zhejiang_urban, &zhejiang));
        assert!(narrows(&zhejiang_urban, &urban));
        assert!(!narrows(&base, &zhejiang), "wider is not narrower");
        assert!(
            !narrows(&zhejiang, &zhejiang),
            "the same level is the reform's own"
        );
        assert!(!narrows(&level(Some("jiangsu"), None), &zhejiang));
        assert!(!narrows(&level(None, Some(Residence::Rural)), &urban));
        assert!(
            !narrows(&zhejiang, &urban),
            "a region is not inside a residence"
        );
    }
}
