//! Processes, as the page runs them: each starts (a worker with its own
//! instance), is sent its share of the items (round-robin, as
//! `lanes_model::share_tasks` deals them) with its input copied in, runs
//! them, and copies its report out. The parent ("Main process") posts the
//! inputs and reads the reports one at a time; each message is a
//! send/receive pair with its bytes.

use lanes_trace::{EventKind, Lane, Scenario, State};

use crate::items::Item;
use crate::jitter::{Rng, stream};
use crate::parcel::{input, report_bytes};
use crate::plain::{ItemFeed, Source};
use crate::record::Recorder;
use crate::shared::{Feed, Step, Work, run_shared};
use crate::{CostModel, Options, SimError};
use lanes_model::{lanes, share_tasks};
use lanes_trace::words::byte_size;

/// The parent's lane.
const PARENT: u32 = 0;

/// What a process's start-up span says.
pub(crate) const COLD_START: &str =
    "cold start: a new worker with its own wasm instance and memory";

/// The share of a copy the parent spends posting (cloning) the message;
/// the rest is spent in transit and unpacking in the process.
const POST_SHARE: f64 = 0.25;

/// Where a process is in its life.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Starting,
    Started,
    CopyingIn,
    Running,
    CopyingOut,
    Done,
}

#[derive(Debug)]
struct Process {
    stage: Stage,
    in_bytes: u64,
    label: String,
    /// Spans of its items so far, for its report's size.
    spans: u64,
    out_bytes: u64,
}

struct Processes<'a> {
    procs: Vec<Process>,
    items: ItemFeed<'a>,
    costs: &'a CostModel,
    rng: Rng,
    /// When the parent is free again.
    parent_free: f64,
}

impl Processes<'_> {
    fn copy_us(&self, bytes: u64) -> f64 {
        bytes as f64 / self.costs.copy_bytes_per_us
    }

    fn latency(&mut self) -> f64 {
        self.costs.message_latency_us * (1.0 + self.costs.jitter * self.rng.signed())
    }
}

impl Feed for Processes<'_> {
    fn next(&mut self, lane: u32, now: f64, rec: &mut Recorder) -> Result<Option<Step>, SimError> {
        let index = lane.saturating_sub(1) as usize;
        let id = 2 * index as u64;
        let number = index + 1;
        let Some(stage) = self.procs.get(index).map(|p| p.stage) else {
            return Ok(None);
        };
        let gap = |end: f64| Step {
            state: None,
            task: None,
            work: Work::Until(end),
        };
        let step = match stage {
            Stage::Starting => {
                let us =
                    self.costs.process_startup_us * (1.0 + self.costs.jitter * self.rng.signed());
                rec.labelled(lane, State::Startup, now, now + us, COLD_START.to_owned())?;
                (Stage::Started, Some(gap(now + us)))
            }
            Stage::Started => {
                let (bytes, label) = self
                    .procs
                    .get(index)
                    .map(|p| (p.in_bytes, p.label.clone()))
                    .unwrap_or_default();
                let sent = now.max(self.parent_free);
                let posted = sent + POST_SHARE * self.copy_us(bytes);
                self.parent_free = posted;
                rec.labelled(
                    PARENT,
                    State::CopyIn,
                    sent,
                    posted,
                    format!("posting process {number}'s input"),
                )?;
                let received = posted + self.latency();
                let unpacked = received + (1.0 - POST_SHARE) * self.copy_us(bytes);
                rec.event(sent, EventKind::message(true, PARENT, lane, bytes, id));
                rec.event(received, EventKind::message(false, PARENT, lane, bytes, id));
                rec.labelled(
                    lane,
                    State::CopyIn,
                    sent,
                    unpacked,
                    format!("{} in: {label}", byte_size(bytes)),
                )?;
                (Stage::CopyingIn, Some(gap(unpacked)))
            }
            Stage::CopyingIn | Stage::Running => match self.items.next_step(lane) {
                Some(step) => {
                    if let Some(p) = self.procs.get_mut(index) {
                        p.spans += 1;
                    }
                    (Stage::Running, Some(step))
                }
                None => {
                    let spans = self.procs.get(index).map_or(0, |p| p.spans);
                    let bytes = report_bytes(spans);
                    let arrived = now + self.latency() + self.copy_us(bytes);
                    rec.event(now, EventKind::message(true, lane, PARENT, bytes, id + 1));
                    rec.event(
                        arrived,
                        EventKind::message(false, lane, PARENT, bytes, id + 1),
                    );
                    rec.labelled(
                        lane,
                        State::CopyOut,
                        now,
                        arrived,
                        format!("{} out: the result and {spans} spans", byte_size(bytes)),
                    )?;
                    if let Some(p) = self.procs.get_mut(index) {
                        p.out_bytes = bytes;
                    }
                    (Stage::CopyingOut, Some(gap(arrived)))
                }
            },
            Stage::CopyingOut => {
                let bytes = self.procs.get(index).map_or(0, |p| p.out_bytes);
                let reading = now.max(self.parent_free);
                let read = reading + self.copy_us(bytes);
                self.parent_free = read;
                rec.labelled(
                    PARENT,
                    State::CopyOut,
                    reading,
                    read,
                    format!("reading process {number}'s report"),
                )?;
                (Stage::Done, None)
            }
            Stage::Done => (Stage::Done, None),
        };
        if let Some(p) = self.procs.get_mut(index) {
            p.stage = step.0;
        }
        Ok(step.1)
    }
}

/// k processes over `items`, on `options.cores` virtual cores.
pub(crate) fn simulate(
    scenario: &Scenario,
    items: &[Item],
    costs: &CostModel,
    options: &Options,
) -> Result<(Vec<Lane>, Recorder), SimError> {
    let k = scenario.k;
    let lanes = lanes::processes(k);
    // Lane 1 + s runs process s's share of the items; the item feed numbers
    // lanes from 0, so lane 0 (the parent) gets none.
    let n = u32::try_from(items.len()).unwrap_or(u32::MAX);
    let mut shares: Vec<Vec<usize>> = vec![Vec::new()];
    shares.extend((0..k).map(|s| share_tasks(n, s, k).map(|t| t as usize).collect()));
    let procs = shares
        .iter()
        .skip(1)
        .map(|share| {
            let tasks: Vec<u32> = share
                .iter()
                .filter_map(|&i| items.get(i))
                .map(|i| i.task)
                .collect();
            let (in_bytes, label) = input(scenario, &tasks);
            Process {
                stage: Stage::Starting,
                in_bytes,
                label,
                spans: 0,
                out_bytes: 0,
            }
        })
        .collect();
    let feed = ItemFeed::new(
        items,
        Source::Dealt(shares.into_iter().map(Vec::into_iter).collect()),
        lanes.len(),
    );
    let mut sim = Processes {
        procs,
        items: feed,
        costs,
        rng: Rng::new(options.seed, stream::OVERHEAD),
        parent_free: 0.0,
    };
    let mut rec = Recorder::new(lanes.len());
    let ids: Vec<u32> = (1..=k).collect();
    run_shared(&ids, f64::from(options.cores), 0.0, &mut sim, &mut rec)?;
    Ok((lanes, rec))
}
