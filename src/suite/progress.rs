//! What `pitcrew test` shows while its shards run: one line per shard plus
//! a total on a terminal, plain lines otherwise (CI logs, pipes).

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{MultiProgress, ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::suite::plan::PlanFile;
use crate::suite::result::ShardResult;

/// One line per shard plus a total, on a terminal; plain lines otherwise.
pub struct Progress {
    bars: Vec<ProgressBar>,
    total: ProgressBar,
    plain: bool,
}

impl Progress {
    pub fn new(plan: &PlanFile) -> Self {
        let plain = !std::io::stderr().is_terminal();
        let multi = MultiProgress::with_draw_target(if plain {
            ProgressDrawTarget::hidden()
        } else {
            ProgressDrawTarget::stderr()
        });
        let style = ProgressStyle::with_template("{spinner} {prefix:>10} {wide_msg}")
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        let count = plan.plan.shards.len();
        let bars = plan
            .plan
            .shards
            .iter()
            .map(|s| {
                let bar = multi.add(ProgressBar::new_spinner().with_style(style.clone()));
                bar.set_prefix(format!("shard {}/{count}", s.index));
                bar.set_message(format!(
                    "waiting ({} items, ~{:.1} s)",
                    s.items.len(),
                    s.estimated_seconds
                ));
                bar
            })
            .collect();
        let total_style =
            ProgressStyle::with_template("{prefix:>12} [{bar:30}] {pos}/{len} shards, {elapsed}")
                .unwrap_or_else(|_| ProgressStyle::default_bar());
        let total =
            multi.add(ProgressBar::new(count as u64).with_style(total_style.progress_chars("=> ")));
        total.set_prefix("total");
        Self { bars, total, plain }
    }

    pub fn start(&self, i: usize, items: usize) {
        self.bars[i].set_message(format!("running {items} items"));
        self.bars[i].enable_steady_tick(Duration::from_millis(120));
    }

    pub fn finish(&self, i: usize, result: &ShardResult) {
        let line = super::shard::one_line(result);
        let first = line.lines().next().unwrap_or_default();
        self.bars[i].finish_with_message(
            first
                .split_once(": ")
                .map_or(first, |(_, rest)| rest)
                .to_string(),
        );
        self.total.inc(1);
        if self.plain {
            eprintln!("{line}");
        }
    }

    pub fn done(&self) {
        self.total.finish();
    }
}
