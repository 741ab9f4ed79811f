//! `framesift select`: flags → [`SelectSettings`] → the library's
//! `select` workflow → the diversity tables and the exit code.

use framesift::settings::{Method, OutputSettings, SelectConfig, SelectSettings};
use framesift::workflow::{self, diversity_table, Inputs};

use super::flags::SelectArgs;
use super::progress::Display;
use super::{batch, candidates, embedder, finish, gates, output, Print};

/// Runs `framesift select`.
pub fn run(a: &SelectArgs) -> anyhow::Result<u8> {
    let settings = SelectSettings {
        candidates: candidates(&a.candidates),
        embedder: embedder(&a.embed)?,
        select: SelectConfig {
            method: a.method.parse::<Method>()?,
            n: a.n,
            fraction: a.fraction,
            min_distance: a.min_distance,
            seed: a.seed,
            dedup: !a.keep_duplicates,
        },
        gate: gates(&a.gates),
        output: OutputSettings {
            contact_sheet: a.outputs.contact_sheet,
            ..output(&a.out)
        },
        keep_transitions: a.keep_transitions,
        keep_poor: a.keep_poor,
        global: a.global,
        keep_candidates: a.outputs.report,
    };
    let quiet = a.run.batch.quiet;
    let print = Print::from_flags(&a.run, false);
    let display = Display::new(quiet);
    let outputs = a.outputs.settings();
    outputs.check()?;
    let result = workflow::select(
        &Inputs::videos(&a.inputs),
        &a.output,
        &settings,
        &batch(&a.run, -1),
        &display,
    )?;
    let code = finish(&result.outcome, &a.output, print, &display, &outputs);
    if let Some(n) = settings.select.n {
        // Fewer frames than asked for: say so, it is not an error.
        for (input, rows) in &result.diversity {
            if let Some(chosen) = rows.iter().find(|r| r.set != "candidates") {
                if chosen.samples < n {
                    display.line(&format!(
                        "framesift: note: {input}: {n} frames asked for, {} chosen (all the \
                         distinct candidates there are)",
                        chosen.samples
                    ));
                }
            }
        }
    }
    if !quiet && !print.json {
        for (input, rows) in &result.diversity {
            println!("diversity: {input}\n{}", diversity_table(rows));
        }
    }
    Ok(code)
}
