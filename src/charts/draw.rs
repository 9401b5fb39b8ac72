//! Drawing a [`Chart`] on any plotters backend (bitmap for PNG, SVG): title, panels, axes with
//! labels, series in the chart's style, and a legend in a strip on the right.

use super::{Chart, FONT_FAMILY, Panel, Style};
use crate::report::terms::Term;
use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use std::ops::Range;

/// Width of every chart, pixels.
const WIDTH: u32 = 1100;
/// Width of the legend strip on the right, pixels.
const LEGEND_WIDTH: u32 = 250;
/// Height of a single-panel chart, pixels.
const SINGLE_HEIGHT: u32 = 600;
/// Height of one row of small multiples, pixels, plus the title band.
const ROW_HEIGHT: u32 = 330;
const TITLE_BAND: u32 = 60;

/// Okabe-Ito colours (distinguishable with colour-vision deficiencies), the yellow darkened to
/// read on white, then four darker ones so that the nine shipped scenarios and a few more get
/// a colour each; series take them in order and cycle beyond twelve.
const PALETTE: [RGBColor; 12] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(160, 150, 20),
    RGBColor(120, 120, 120),
    RGBColor(150, 30, 45),
    RGBColor(110, 60, 160),
    RGBColor(140, 80, 30),
];

type DrawResult<DB> = Result<(), DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Pixel size of a chart: small multiples get two columns and one row per two panels.
pub fn size(chart: &Chart) -> (u32, u32) {
    let (rows, _) = grid(chart.panels.len());
    if chart.panels.len() <= 1 {
        (WIDTH, SINGLE_HEIGHT)
    } else {
        (WIDTH, TITLE_BAND + ROW_HEIGHT * rows as u32)
    }
}

fn grid(panels: usize) -> (usize, usize) {
    let cols = panels.clamp(1, 2);
    (panels.div_ceil(cols).max(1), cols)
}

/// Draws `chart` on `root` and presents it.
pub fn draw<DB: DrawingBackend>(root: DrawingArea<DB, Shift>, chart: &Chart) -> DrawResult<DB> {
    root.fill(&WHITE)?;
    let (width, _) = root.dim_in_pixel();
    let (main, legend) = root.split_horizontally(width - LEGEND_WIDTH);
    let main = main.titled(&chart.title, (FONT_FAMILY, 24).into_font().color(&BLACK))?;
    let names = legend_names(chart);
    let (x_range, y_range) = ranges(chart);
    let areas = main.split_evenly(grid(chart.panels.len()));
    for (area, panel) in areas.iter().zip(&chart.panels) {
        draw_panel(area, chart, panel, &names, x_range.clone(), y_range.clone())?;
    }
    draw_legend(&legend, &chart.legend_title, &names)?;
    root.present()
}

/// Series names across panels, in order of first appearance: a name keeps its colour everywhere.
fn legend_names(chart: &Chart) -> Vec<&str> {
    let mut names: Vec<&str> = Vec::new();
    for s in chart.panels.iter().flat_map(|p| &p.series) {
        if !names.contains(&s.name.as_str()) {
            names.push(&s.name);
        }
    }
    names
}

fn colour(names: &[&str], name: &str) -> RGBColor {
    let i = names.iter().position(|n| *n == name).unwrap_or(0);
    PALETTE[i % PALETTE.len()]
}

fn draw_panel<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    chart: &Chart,
    panel: &Panel,
    names: &[&str],
    x_range: Range<f64>,
    y_range: Range<f64>,
) -> DrawResult<DB> {
    let mut builder = ChartBuilder::on(area);
    builder
        .margin(14)
        .x_label_area_size(52)
        .y_label_area_size(78);
    if !panel.title.is_empty() {
        builder.caption(&panel.title, (FONT_FAMILY, 18).into_font().color(&BLACK));
    }
    let mut cc = builder.build_cartesian_2d(x_range.clone(), y_range)?;

    let whole_numbers = |v: &f64| {
        if v.fract() == 0.0 {
            format!("{v:.0}")
        } else {
            String::new()
        }
    };
    let mut mesh = cc.configure_mesh();
    mesh.x_desc(&chart.x_label)
        .y_desc(&chart.y_label)
        .label_style((FONT_FAMILY, 14).into_font().color(&BLACK))
        .axis_desc_style((FONT_FAMILY, 15).into_font().color(&BLACK))
        .bold_line_style(RGBColor(225, 225, 225))
        .light_line_style(WHITE);
    if matches!(
        chart.style,
        Style::Lines | Style::StackedArea | Style::GroupedBars
    ) {
        // Years and deciles: a tick per whole number, at most 12 labels.
        let span = (x_range.end - x_range.start).round() as usize + 1;
        mesh.x_labels(span.min(12))
            .x_label_formatter(&whole_numbers);
    }
    if chart.style == Style::GroupedBars {
        mesh.disable_x_mesh();
    }
    mesh.draw()?;

    let thin_grey = RGBColor(120, 120, 120).stroke_width(1);
    match chart.style {
        Style::Lines | Style::Lorenz => {
            if chart.style == Style::Lorenz {
                cc.draw_series(LineSeries::new([(0.0, 0.0), (1.0, 1.0)], thin_grey))?;
                cc.draw_series(std::iter::once(Text::new(
                    chart.lang.t(Term::LineOfEquality),
                    (0.08, 0.30),
                    (FONT_FAMILY, 14).into_font().color(&RGBColor(90, 90, 90)),
                )))?;
            }
            for s in &panel.series {
                let c = colour(names, &s.name);
                cc.draw_series(LineSeries::new(s.points.iter().copied(), c.stroke_width(3)))?;
                if chart.style == Style::Lines {
                    cc.draw_series(s.points.iter().map(|&p| Circle::new(p, 4, c.filled())))?;
                }
            }
        }
        Style::StackedArea => {
            let mut lower: Vec<(f64, f64)> = panel
                .series
                .first()
                .map(|s| s.points.iter().map(|&(x, _)| (x, 0.0)).collect())
                .unwrap_or_default();
            for s in &panel.series {
                let c = colour(names, &s.name);
                let upper: Vec<(f64, f64)> = lower
                    .iter()
                    .zip(&s.points)
                    .map(|(&(x, low), &(_, y))| (x, low + y))
                    .collect();
                let outline: Vec<(f64, f64)> =
                    upper.iter().chain(lower.iter().rev()).copied().collect();
                cc.draw_series(std::iter::once(Polygon::new(outline, c.mix(0.85).filled())))?;
                cc.draw_series(LineSeries::new(upper.iter().copied(), c.stroke_width(1)))?;
                lower = upper;
            }
        }
        Style::GroupedBars => {
            const GROUP_WIDTH: f64 = 0.8;
            let bar = GROUP_WIDTH / panel.series.len().max(1) as f64;
            for (k, s) in panel.series.iter().enumerate() {
                let c = colour(names, &s.name);
                cc.draw_series(s.points.iter().map(|&(x, y)| {
                    let x0 = x - GROUP_WIDTH / 2.0 + k as f64 * bar;
                    Rectangle::new([(x0, 0.0), (x0 + bar * 0.92, y)], c.filled())
                }))?;
            }
            cc.draw_series(LineSeries::new(
                [(x_range.start, 0.0), (x_range.end, 0.0)],
                BLACK.stroke_width(1),
            ))?;
        }
        Style::LabelledPoints | Style::Frontier => {
            let (y0, y1) = (cc.y_range().start, cc.y_range().end);
            cc.draw_series(LineSeries::new([(0.0, y0), (0.0, y1)], thin_grey))?;
            cc.draw_series(LineSeries::new(
                [(x_range.start, 0.0), (x_range.end, 0.0)],
                thin_grey,
            ))?;
            if chart.style == Style::Frontier {
                return draw_frontier(&mut cc, chart, panel, names);
            }
            let middle = (x_range.start + x_range.end) / 2.0;
            for s in &panel.series {
                let c = colour(names, &s.name);
                for &(x, y) in &s.points {
                    // Labels point inwards so they stay inside the plot.
                    let (h_pos, dx) = if x > middle {
                        (HPos::Right, -10)
                    } else {
                        (HPos::Left, 10)
                    };
                    let label = (FONT_FAMILY, 16)
                        .into_font()
                        .color(&BLACK)
                        .pos(Pos::new(h_pos, VPos::Bottom));
                    cc.draw_series(std::iter::once(
                        EmptyElement::at((x, y))
                            + Circle::new((0, 0), 7, c.filled())
                            + Text::new(s.name.clone(), (dx, -6), label),
                    ))?;
                }
            }
        }
    }
    Ok(())
}

/// A frontier's series: points joined in their order and labelled, then the chart's mark (the
/// reference) as a cross at the origin.
fn draw_frontier<DB: DrawingBackend>(
    cc: &mut ChartContext<
        '_,
        DB,
        Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
    >,
    chart: &Chart,
    panel: &Panel,
    names: &[&str],
) -> DrawResult<DB> {
    let label = (FONT_FAMILY, 14).into_font().color(&BLACK);
    for s in &panel.series {
        let c = colour(names, &s.name);
        cc.draw_series(LineSeries::new(s.points.iter().copied(), c.stroke_width(2)))?;
        for (i, &p) in s.points.iter().enumerate() {
            let text = s.labels.get(i).cloned().unwrap_or_default();
            cc.draw_series(std::iter::once(
                EmptyElement::at(p)
                    + Circle::new((0, 0), 5, c.filled())
                    + Text::new(text, (8, -18), label.clone()),
            ))?;
        }
    }
    if let Some(mark) = &chart.mark {
        cc.draw_series(std::iter::once(
            EmptyElement::at((0.0, 0.0))
                + Cross::new((0, 0), 8, BLACK.stroke_width(3))
                + Text::new(mark.clone(), (10, 6), label),
        ))?;
    }
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    title: &str,
    names: &[&str],
) -> DrawResult<DB> {
    let heading = (FONT_FAMILY, 17).into_font().color(&BLACK);
    let entry = (FONT_FAMILY, 15).into_font().color(&BLACK);
    area.draw(&Text::new(title, (10, 70), heading))?;
    let room = LEGEND_WIDTH.saturating_sub(50);
    for (i, name) in names.iter().enumerate() {
        let y = 102 + 28 * i as i32;
        let c = PALETTE[i % PALETTE.len()];
        area.draw(&Rectangle::new([(10, y), (32, y + 14)], c.filled()))?;
        area.draw(&Text::new(
            fit(area, name, &entry, room)?,
            (40, y - 2),
            entry.clone(),
        ))?;
    }
    Ok(())
}

/// `text`, shortened with an ellipsis until it fits `room` pixels.
fn fit<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    text: &str,
    style: &TextStyle<'_>,
    room: u32,
) -> Result<String, DrawingAreaErrorKind<DB::ErrorType>> {
    let mut chars: Vec<char> = text.chars().collect();
    let mut shown = text.to_owned();
    while area.estimate_text_size(&shown, style)?.0 > room && chars.len() > 1 {
        chars.pop();
        shown = chars.iter().collect::<String>() + "…";
    }
    Ok(shown)
}

/// Axis ranges shared by all panels, padded so nothing touches the frame; 0..1 where the data
/// give no usable range (infinite values).
fn ranges(chart: &Chart) -> (Range<f64>, Range<f64>) {
    let (x, y) = data_ranges(chart);
    (usable(x), usable(y))
}

fn usable(r: Range<f64>) -> Range<f64> {
    if r.start.is_finite() && r.end.is_finite() && r.end > r.start {
        r
    } else {
        0.0..1.0
    }
}

fn data_ranges(chart: &Chart) -> (Range<f64>, Range<f64>) {
    let points = || {
        chart
            .panels
            .iter()
            .flat_map(|p| &p.series)
            .flat_map(|s| s.points.iter().copied())
    };
    let (x_min, x_max) = bounds(points().map(|p| p.0));
    let (y_min, y_max) = bounds(points().map(|p| p.1));
    match chart.style {
        Style::Lorenz => (0.0..1.0, 0.0..1.0),
        Style::Lines => (pad_x(x_min, x_max), pad(y_min, y_max, 0.1)),
        Style::StackedArea => {
            let top = chart.panels.iter().flat_map(stack_tops).fold(0.0, f64::max);
            (widen(x_min, x_max, 0.5), 0.0..top * 1.08)
        }
        Style::GroupedBars => (
            x_min - 0.5..x_max + 0.5,
            pad(y_min.min(0.0), y_max.max(0.0), 0.1),
        ),
        Style::LabelledPoints | Style::Frontier => (
            pad(x_min.min(0.0), x_max.max(0.0), 0.2),
            pad(y_min.min(0.0), y_max.max(0.0), 0.2),
        ),
    }
}

/// Heights of the stacked total at each x of a panel.
fn stack_tops(panel: &Panel) -> Vec<f64> {
    let mut tops: Vec<f64> = Vec::new();
    for s in &panel.series {
        for (i, &(_, y)) in s.points.iter().enumerate() {
            match tops.get_mut(i) {
                Some(t) => *t += y,
                None => tops.push(y),
            }
        }
    }
    tops
}

fn bounds(values: impl Iterator<Item = f64>) -> (f64, f64) {
    values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    })
}

/// `lo..hi` widened by `half` on each side when it is a single value.
fn widen(lo: f64, hi: f64, half: f64) -> Range<f64> {
    if hi > lo {
        lo..hi
    } else {
        lo - half..hi + half
    }
}

/// Years on a line chart: a quarter year of room on each side so end markers clear the frame.
fn pad_x(lo: f64, hi: f64) -> Range<f64> {
    lo - 0.25..hi + 0.25
}

/// `lo..hi` padded by `frac` of its span on each side (by 1% of the magnitude, at least 0.01,
/// when the span is zero).
fn pad(lo: f64, hi: f64, frac: f64) -> Range<f64> {
    let span = hi - lo;
    let margin = if span > 0.0 {
        span * frac
    } else {
        (hi.abs() * 0.01).max(0.01)
    };
    lo - margin..hi + margin
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn padding_keeps_points_inside_and_handles_flat_data() {
        assert_eq!(pad(0.4, 0.5, 0.1), 0.39..0.51);
        assert_eq!(pad(2.0, 2.0, 0.1), 1.98..2.02);
        assert_eq!(widen(2025.0, 2025.0, 0.5), 2024.5..2025.5);
        assert_eq!(usable(0.0..f64::INFINITY), 0.0..1.0);
        assert_eq!(usable(0.0..0.0), 0.0..1.0);
    }

    #[test]
    fn small_multiples_use_two_columns() {
        assert_eq!(grid(1), (1, 1));
        assert_eq!(grid(2), (1, 2));
        assert_eq!(grid(5), (3, 2));
    }
}
