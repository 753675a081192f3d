//! `fairfit report`: the fairness report of a trained model as Markdown and as one
//! self-contained HTML page, its plots inlined as SVG (the per-group bars `train` drew, and a
//! sweep's trade-off when `--curve` is given).

use std::path::Path;

use fairfit_eval::curve::{names, Axis, Split, TradeoffCurve};
use fairfit_eval::plot::TradeoffPlot;
use fairfit_eval::report::FairnessReport;
use pulldown_cmark::{html, Options, Parser};

use super::train::{Summary, GROUPS_SVG, SUMMARY_FILE};
use crate::cli::ReportArgs;
use crate::error::{CliError, Result};
use crate::notion_report::NotionReport;
use crate::output::{create_dir, write_file, Output};

/// The trade-off plot's file name.
pub const TRADEOFF_SVG: &str = "tradeoff.svg";

/// Writes `report.md` and `report.html`.
pub fn run(args: &ReportArgs, out: Output) -> Result<bool> {
    let read = |name: &str| {
        let path = args.dir.join(name);
        std::fs::read_to_string(&path).map_err(CliError::io(path))
    };
    let report = FairnessReport::from_json(&read("report.json")?)?;
    let summary: Summary = serde_json::from_str(&read(SUMMARY_FILE)?)?;
    let mut figures: Vec<(&str, String, String)> = vec![(
        GROUPS_SVG,
        "Held-out decisions by group".into(),
        read(GROUPS_SVG)?,
    )];
    if let Some(curve) = &args.curve {
        let curve = TradeoffCurve::read_json(curve)?;
        let svg = TradeoffPlot::default()
            .axes(
                Axis::minimise(names::DP_DIFFERENCE).on(Split::Test),
                Axis::maximise(names::ACCURACY).on(Split::Test),
            )
            .title("Accuracy vs demographic-parity difference (test), every method of the sweep")
            .front(true)
            .render(&curve)?;
        figures.push((TRADEOFF_SVG, "Trade-off of the sweep".into(), svg));
    }
    let dir = args.output.as_deref().unwrap_or(&args.dir);
    create_dir(dir)?;
    let mut markdown = report.to_markdown();
    markdown += &decisions_section(&summary);
    let body = markdown.clone();
    markdown += "\n## Figures\n\n";
    for (file, caption, svg) in &figures {
        write_file(&dir.join(file), svg)?;
        markdown += &format!("![{caption}]({file})\n\n");
    }
    write_file(&dir.join("report.md"), &markdown)?;
    let page = html_page(&report.title, &body, &figures);
    write_file(&dir.join("report.html"), page)?;
    if out.json {
        out.print_json(&serde_json::json!({
            "markdown": dir.join("report.md"),
            "html": dir.join("report.html"),
            "figures": figures.iter().map(|f| f.0).collect::<Vec<_>>(),
        }))?;
    } else {
        out.line(format!(
            "wrote {} and {}",
            show(&dir.join("report.md")),
            show(&dir.join("report.html"))
        ))?;
    }
    Ok(false)
}

fn show(path: &Path) -> String {
    path.display().to_string()
}

/// The held-out decisions as Markdown: gaps on hard decisions and the decision profile.
fn decisions_section(summary: &Summary) -> String {
    let mut md = String::from("\n## Hard decisions on held-out rows\n\n");
    md += &format!("Method: `{}`.\n\n", summary.method);
    for note in &summary.notes {
        md += &format!("- {note}\n");
    }
    md += "\n| notion | training rows | held-out rows |\n|---|---|---|\n";
    let value = |gap: &crate::heldout::Gap| {
        gap.value
            .map_or("undefined".to_string(), |v| format!("{v:.4}"))
    };
    for (i, test) in summary.test.gaps.iter().enumerate() {
        let train = summary.train.as_ref().map_or_else(
            || "not recorded".to_string(),
            |t| t.gaps.get(i).map_or("undefined".to_string(), value),
        );
        md += &format!("| {} | {train} | {} |\n", test.notion, value(test));
    }
    md += &notions_table(&summary.notions);
    md += &format!(
        "\nAccuracy on held-out rows {:.4} (majority-class rule {:.4}). {}\n",
        summary.test.accuracy, summary.test.decisions.majority_accuracy, summary.test.verdict
    );
    if summary.constant_rule {
        md += "\n**The model decides every held-out row alike: a constant rule, which meets parity notions trivially and is not a fair model.**\n";
    }
    md
}

/// The notions measured on the held-out decisions as a Markdown table: value, bootstrap
/// interval, aggregate, the groups each statistic compared and the groups skipped, with why.
fn notions_table(notions: &[NotionReport]) -> String {
    if notions.is_empty() {
        return String::new();
    }
    let mut md = String::from(
        "\n| notion | held-out value | interval | aggregate | groups compared | skipped |\n\
         |---|---|---|---|---|---|\n",
    );
    for n in notions {
        let value = n.value.map_or_else(
            || {
                format!(
                    "undefined: {}",
                    n.undefined.as_deref().unwrap_or("no value")
                )
            },
            |v| format!("{v:.4}"),
        );
        let interval = n.interval.map_or("none".to_string(), |i| {
            format!("[{:.4}, {:.4}] ({:.0}%)", i.lower, i.upper, i.level * 100.0)
        });
        let compared: Vec<String> = n
            .compared
            .iter()
            .map(|c| format!("{}: {}", c.statistic, c.groups.join(", ")))
            .collect();
        let skipped: Vec<String> = n
            .skipped
            .iter()
            .map(|s| format!("{} ({})", s.group, s.reason))
            .collect();
        md += &format!(
            "| {} | {value} | {interval} | {} | {} | {} |\n",
            n.notion,
            n.aggregate,
            compared.join("; "),
            if skipped.is_empty() {
                "none".to_string()
            } else {
                skipped.join("; ")
            }
        );
    }
    md
}

/// One HTML page: the Markdown rendered, then the figures inlined.
fn html_page(title: &str, markdown: &str, figures: &[(&str, String, String)]) -> String {
    let mut body = String::new();
    html::push_html(&mut body, Parser::new_ext(markdown, Options::ENABLE_TABLES));
    let mut page = format!(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{}</title>\n<style>\n\
         body {{ font-family: system-ui, sans-serif; max-width: 70em; margin: 2em auto; padding: 0 1em; line-height: 1.45; }}\n\
         table {{ border-collapse: collapse; margin: 1em 0; }}\n\
         th, td {{ border: 1px solid #ccc; padding: 0.25em 0.6em; text-align: left; }}\n\
         figure svg {{ max-width: 100%; height: auto; }}\n\
         </style>\n</head>\n<body>\n",
        escape(title)
    );
    page += &body;
    page += "<h2>Figures</h2>\n";
    for (_, caption, svg) in figures {
        let svg = svg.find("<svg").map_or(svg.as_str(), |i| &svg[i..]);
        page += &format!(
            "<figure>\n{svg}\n<figcaption>{}</figcaption>\n</figure>\n",
            escape(caption)
        );
    }
    page += "</body>\n</html>\n";
    page
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}
