//! Charts of one run (spec indicators.md, "Outputs of one batch"): each chart is written as PNG and
//! SVG with its data as CSV beside it. Text uses the embedded WenQuanYi Micro Hei font (CJK glyphs,
//! `assets/fonts/`), so PNGs render on machines without system fonts; SVG text names the same
//! family followed by CJK fallbacks and `sans-serif`, since SVG viewers use their own fonts.

mod build;
mod draw;
mod frontier;

pub use build::{IMPOVERISHMENT_CHART, build_charts};
pub use frontier::{FRONTIER_GINI_CHART, FRONTIER_POVERTY_CHART};

use crate::fsutil::atomic_write;
use crate::report::terms::Lang;
use crate::results::view::View;
use crate::table::csv::{Cell, write_csv};
use crate::{Error, Result};
use plotters::prelude::{BitMapBackend, IntoDrawingArea, SVGBackend};
use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

/// Font family every chart text uses: the embedded font is registered under this name, and SVG
/// `font-family` attributes carry it verbatim (a CSS list ending in a generic family).
pub const FONT_FAMILY: &str = "WenQuanYi Micro Hei, Noto Sans CJK SC, Source Han Sans SC, Microsoft YaHei, PingFang SC, sans-serif";

/// WenQuanYi Micro Hei 0.2.0-beta (Apache-2.0), a TrueType collection; face 0 is used.
static FONT_BYTES: &[u8] = include_bytes!("../../assets/fonts/wqy-microhei.ttc");

/// Registers the embedded font with plotters once; every drawing calls this first.
pub fn ensure_font() -> Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        plotters::style::register_font(FONT_FAMILY, plotters::style::FontStyle::Normal, FONT_BYTES)
            .is_ok()
    });
    if ok {
        Ok(())
    } else {
        Err(Error::io(
            "assets/fonts/wqy-microhei.ttc",
            std::io::Error::other("the embedded chart font could not be parsed"),
        ))
    }
}

/// How a chart draws its series.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// One line with markers per series (x = year).
    Lines,
    /// Lorenz curves on [0, 1] x [0, 1] with the equality diagonal.
    Lorenz,
    /// Series stacked on top of one another as filled areas, one panel per scenario.
    StackedArea,
    /// Bars grouped by integer x (deciles 1..=10), one bar per series.
    GroupedBars,
    /// One labelled point per series, with the axes through zero.
    LabelledPoints,
    /// Points joined in the series' order (a reform grid's), each labelled, with the axes
    /// through zero and the chart's mark at the origin.
    Frontier,
}

/// A named series of (x, y) points.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Legend name (scenario or program).
    pub name: String,
    /// Points in x order (a frontier's in grid order), in the axis units.
    pub points: Vec<(f64, f64)>,
    /// Text drawn beside each point, by index (a frontier's grid values); empty for none.
    pub labels: Vec<String>,
}

/// One plot area: a title (empty for single-panel charts) and its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Panel {
    /// Panel title, e.g. the scenario of a small multiple.
    pub title: String,
    /// Series drawn in this panel.
    pub series: Vec<Series>,
}

/// A chart ready to draw, with the names of its data columns.
#[derive(Debug, Clone, PartialEq)]
pub struct Chart {
    /// File stem: `<stem>.png`, `<stem>.svg`, `<stem>.csv`.
    pub stem: &'static str,
    /// Language of the words drawn by the chart itself (the diagonal's label).
    pub lang: Lang,
    /// Title drawn at the top.
    pub title: String,
    /// What the report says under the chart (year shown, reference, reading hints).
    pub note: String,
    /// X axis label with unit.
    pub x_label: String,
    /// Y axis label with unit.
    pub y_label: String,
    /// Legend heading ("Scenario", "Program").
    pub legend_title: String,
    /// CSV column of the panel title, for charts with several panels.
    pub panel_column: Option<&'static str>,
    /// CSV columns of series name, x and y.
    pub columns: [String; 3],
    /// How series are drawn.
    pub style: Style,
    /// A labelled cross at the origin (a frontier's reference), if any.
    pub mark: Option<String>,
    /// Panels, at least one.
    pub panels: Vec<Panel>,
}

/// A chart after writing: what the report needs.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderedChart {
    /// File stem under `charts/`.
    pub stem: &'static str,
    /// Chart title.
    pub title: String,
    /// Note shown under the chart.
    pub note: String,
    /// The SVG document.
    pub svg: String,
}

/// Builds every chart with data and writes it into `dir` (created if absent); returns them in
/// report order. Charts without any point are left out.
pub fn write_charts(dir: &Path, view: &View<'_>) -> Result<Vec<RenderedChart>> {
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    build_charts(view)
        .into_iter()
        .filter(|c| {
            c.panels
                .iter()
                .any(|p| p.series.iter().any(|s| !s.points.is_empty()))
        })
        .map(|chart| write_chart(dir, &chart))
        .collect()
}

/// Writes `<stem>.csv`, `<stem>.png` and `<stem>.svg` of one chart into `dir`.
pub fn write_chart(dir: &Path, chart: &Chart) -> Result<RenderedChart> {
    ensure_font()?;
    write_chart_data(&dir.join(format!("{}.csv", chart.stem)), chart)?;

    let size = draw::size(chart);
    let png_path = dir.join(format!("{}.png", chart.stem));
    let drawing_error = |path: &Path, e: String| Error::io(path, std::io::Error::other(e));
    let mut pixels = vec![0u8; size.0 as usize * size.1 as usize * 3];
    draw::draw(
        BitMapBackend::with_buffer(&mut pixels, size).into_drawing_area(),
        chart,
    )
    .map_err(|e| drawing_error(&png_path, e.to_string()))?;
    atomic_write(&png_path, |w| encode_png(w, size, &pixels))?;

    let svg_path = dir.join(format!("{}.svg", chart.stem));
    let mut svg = String::new();
    draw::draw(
        SVGBackend::with_string(&mut svg, size).into_drawing_area(),
        chart,
    )
    .map_err(|e| drawing_error(&svg_path, e.to_string()))?;
    atomic_write(&svg_path, |w| w.write_all(svg.as_bytes()))?;

    Ok(RenderedChart {
        stem: chart.stem,
        title: chart.title.clone(),
        note: chart.note.clone(),
        svg,
    })
}

/// Encodes an RGB8 buffer as PNG.
pub fn encode_png(w: impl std::io::Write, size: (u32, u32), rgb: &[u8]) -> std::io::Result<()> {
    let mut encoder = png::Encoder::new(w, size.0, size.1);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(std::io::Error::other)?;
    writer
        .write_image_data(rgb)
        .map_err(std::io::Error::other)?;
    writer.finish().map_err(std::io::Error::other)
}

fn write_chart_data(path: &Path, chart: &Chart) -> Result<()> {
    let [series, x, y] = chart.columns.each_ref().map(String::as_str);
    let header = match chart.panel_column {
        Some(panel) => vec![panel, series, x, y],
        None => vec![series, x, y],
    };
    write_csv(path, &header, |w| {
        for panel in &chart.panels {
            for s in &panel.series {
                for &(px, py) in &s.points {
                    let tail = [Cell::Text(&s.name), Cell::Num(px), Cell::Num(py)];
                    match chart.panel_column {
                        Some(_) => w.row(&[Cell::Text(&panel.title), tail[0], tail[1], tail[2]])?,
                        None => w.row(&tail)?,
                    }
                }
            }
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use plotters::prelude::*;

    const SIZE: (u32, u32) = (120, 60);

    /// Renders `text` black on white with the chart font and returns the RGB pixels.
    fn render(text: &str) -> Vec<u8> {
        ensure_font().unwrap();
        let mut pixels = vec![0u8; (SIZE.0 * SIZE.1 * 3) as usize];
        {
            let root = BitMapBackend::with_buffer(&mut pixels, SIZE).into_drawing_area();
            root.fill(&WHITE).unwrap();
            root.draw_text(text, &(FONT_FAMILY, 40).into_font().color(&BLACK), (4, 4))
                .unwrap();
            root.present().unwrap();
        }
        pixels
    }

    fn dark_pixels(rgb: &[u8]) -> usize {
        rgb.chunks(3).filter(|p| p.iter().all(|&c| c < 100)).count()
    }

    /// A font without CJK glyphs draws the same fallback box (tofu) or nothing for every
    /// character, so two different Hanzi would give identical pixels. With the embedded font, 浙
    /// and 江 each draw ink, differently, and differently from a character no font here covers
    /// (U+E000, private use).
    #[test]
    fn chinese_text_renders_real_glyphs() {
        let zhe = render("浙");
        let jiang = render("江");
        let unknown = render("\u{E000}");
        assert!(
            dark_pixels(&zhe) > 100,
            "浙 drew {} dark pixels",
            dark_pixels(&zhe)
        );
        assert!(
            dark_pixels(&jiang) > 100,
            "江 drew {} dark pixels",
            dark_pixels(&jiang)
        );
        // Checked with DejaVu Sans (no CJK) in place of the embedded font: this test then fails
        // here, both characters drawing the same box.
        assert!(
            zhe != jiang,
            "浙 and 江 draw the same pixels: a fallback box"
        );
        assert!(
            zhe != unknown && jiang != unknown,
            "Hanzi draw like a missing glyph"
        );
        let both = render("浙江");
        assert!(dark_pixels(&both) > dark_pixels(&zhe));
    }

    #[test]
    fn png_encoding_round_trips_pixels() {
        // A 2x1 image: one red pixel, one blue pixel.
        let rgb = [255, 0, 0, 0, 0, 255];
        let mut bytes = Vec::new();
        encode_png(&mut bytes, (2, 1), &rgb).unwrap();
        assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n");
        let mut reader = png::Decoder::new(std::io::Cursor::new(bytes))
            .read_info()
            .unwrap();
        let mut out = vec![0; reader.output_buffer_size()];
        reader.next_frame(&mut out).unwrap();
        assert_eq!(out, rgb);
    }
}
