//! The report and the batch overview in a real browser (issue 18): headless Chromium (the Debian
//! package `chromium`, installed by `.ci/run`) renders `report.html` and `index.html` of a small
//! two-group run (a reform and a reform grid on two baselines) in English and in Chinese; each screenshot is not blank and each rendered page
//! (`--dump-dom`) holds every chart of its folder. Without Chromium the test fails and says so:
//! `scripts/check_report.sh` stays for people.

use std::path::Path;
use std::process::Command;

use crate::common::{Scratch, gongfu_in, stderr};

/// The browser's command, from `CHROMIUM` or the Debian package's name.
fn chromium() -> String {
    std::env::var("CHROMIUM").unwrap_or_else(|_| "chromium".to_owned())
}

fn headless(page: &Path, extra: &[String]) -> std::process::Output {
    let url = format!("file://{}", page.display());
    Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--hide-scrollbars",
        ])
        .args(extra)
        .arg(url)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot start `{}` ({e}): install Chromium (`apt-get install chromium`) or set \
                 CHROMIUM to a Chromium binary; .ci/run installs it",
                chromium()
            )
        })
}

/// Screenshot pixels that are not (near) white, and the number of distinct colours.
fn ink(png_path: &Path) -> (usize, usize) {
    let file =
        std::fs::File::open(png_path).unwrap_or_else(|e| panic!("{}: {e}", png_path.display()));
    let mut reader = png::Decoder::new(std::io::BufReader::new(file))
        .read_info()
        .unwrap();
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).unwrap();
    let channels = info.color_type.samples();
    let mut colours = std::collections::HashSet::new();
    let mut dark = 0;
    for px in buf[..info.buffer_size()].chunks(channels) {
        if px[..3].iter().any(|&c| c < 200) {
            dark += 1;
        }
        if colours.len() < 1000 {
            colours.insert([px[0], px[1], px[2]]);
        }
    }
    (dark, colours.len())
}

/// Renders one page: a screenshot with ink and colours, and a DOM with one `<svg` per chart of
/// `charts` (file stems), each chart's title text present.
fn check_page(dir: &Scratch, page: &Path, charts: &[String]) {
    let shot = dir.path(&format!(
        "{}.png",
        page.display().to_string().replace(['/', '.'], "_")
    ));
    let o = headless(
        page,
        &[
            format!("--screenshot={}", shot.display()),
            "--window-size=1200,2400".to_owned(),
        ],
    );
    assert!(
        o.status.success(),
        "screenshot of {}: {}",
        page.display(),
        stderr(&o)
    );
    let (dark, colours) = ink(&shot);
    assert!(
        dark > 20_000 && colours > 20,
        "{}: blank screenshot ({dark} dark pixels, {colours} colours)",
        page.display()
    );
    let o = headless(page, &["--dump-dom".to_owned()]);
    assert!(
        o.status.success(),
        "dump-dom of {}: {}",
        page.display(),
        stderr(&o)
    );
    let dom = String::from_utf8_lossy(&o.stdout);
    assert_eq!(
        dom.matches("<svg").count(),
        charts.len(),
        "{}: rendered charts, expected {charts:?}",
        page.display()
    );
    for stem in charts {
        assert!(
            dom.contains(&format!("charts/{stem}.png")),
            "{}: no {stem}",
            page.display()
        );
    }
}

/// Chart stems written into `dir/charts` (by their SVG files).
fn chart_stems(dir: &Path) -> Vec<String> {
    let mut stems: Vec<String> = std::fs::read_dir(dir.join("charts"))
        .unwrap()
        .filter_map(|e| {
            let name = e.unwrap().file_name().to_string_lossy().into_owned();
            name.strip_suffix(".svg").map(str::to_owned)
        })
        .collect();
    stems.sort();
    stems
}

#[test]
fn report_and_overview_render_in_chromium_in_both_languages() {
    let dir = Scratch::new("browser");
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let reform = root.join("dibao_quarter_median.toml").display().to_string();
    // A reform grid too: its frontier charts are among each group's charts.
    let grid = root.join("dibao_standard_grid.toml").display().to_string();
    let national = root.join("baseline.toml").display().to_string();
    let xinjiang = root.join("xinjiang/baseline.toml").display().to_string();
    for lang in ["en", "zh"] {
        let args = [
            "run",
            &reform,
            &grid,
            "--on",
            &national,
            &xinjiang,
            "--persons",
            "2000",
            "--years",
            "2022..2024",
            "--lang",
            lang,
            "--out",
            lang,
            "--quiet",
        ];
        let o = gongfu_in(&dir.0, &args, &[]);
        assert!(o.status.success(), "run failed: {}", stderr(&o));
        let out = dir.path(lang);
        for group in ["baseline", "xinjiang_baseline"] {
            let g = out.join(group);
            let stems = chart_stems(&g);
            assert!(stems.iter().any(|s| s == "frontier_poverty"), "{stems:?}");
            check_page(&dir, &g.join("report.html"), &stems);
        }
        check_page(&dir, &out.join("index.html"), &chart_stems(&out));
    }
}
