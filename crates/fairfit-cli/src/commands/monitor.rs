//! `fairfit monitor`: sliding windows over a scored stream, bounds on notions, alerts; exit 1
//! when any alert fires (for cron and CI).

use fairfit_eval::monitor::{read_stream, Monitor, WindowSpec};
use fairfit_eval::plot::DisparityTimeline;

use crate::cli::MonitorArgs;
use crate::error::{CliError, Result};
use crate::notion::notion_value;
use crate::output::{create_dir, write_file, Output};

/// Monitors; `Ok(true)` when an alert fired.
pub fn run(args: &MonitorArgs, out: Output) -> Result<bool> {
    let window = match (args.window_rows, args.window_time) {
        (Some(size), None) => {
            let step = args.step.map_or(Ok(size), |s| {
                if s >= 1.0 && s.fract() == 0.0 {
                    Ok(s as usize)
                } else {
                    Err(CliError::Usage(format!(
                        "--step {s}: a number of rows (≥ 1)"
                    )))
                }
            })?;
            WindowSpec::Rows { size, step }
        }
        (None, Some(size)) => WindowSpec::Time {
            size,
            step: args.step.unwrap_or(size),
        },
        _ => {
            return Err(CliError::Usage(
                "give --window-rows N or --window-time T".into(),
            ))
        }
    };
    let mut monitor = Monitor::new(window).threshold(args.threshold);
    for bound in &args.bound {
        let (notion, limit) = notion_value(bound, "LIMIT", None)?;
        monitor = monitor.bound(notion, limit)?;
    }
    let records = read_stream(&args.stream)?;
    let report = monitor.run(&records)?;
    if let Some(dir) = &args.output {
        create_dir(dir)?;
        report.write_windows_csv(dir.join("windows.csv"))?;
        report.write_alerts_csv(dir.join("alerts.csv"))?;
        write_file(&dir.join("report.json"), report.to_json()?)?;
        DisparityTimeline::default()
            .title("Disparity by window")
            .write_svg(&report, dir.join("disparity.svg"))?;
    }
    if out.json {
        out.line(report.to_json()?)?;
    } else {
        out.text(report.to_string())?;
        for a in &report.alerts {
            out.line(format!(
                "ALERT window {} [{}, {}): {} = {:.4}",
                a.window,
                a.start,
                a.end,
                a.disparity.column(),
                a.value
            ))?;
        }
        out.line(format!(
            "{} records, {} windows, {} alerts",
            records.len(),
            report.windows.len(),
            report.alerts.len()
        ))?;
    }
    Ok(!report.alerts.is_empty())
}
