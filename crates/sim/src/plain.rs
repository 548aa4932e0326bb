//! Plain threads, with no GIL: one for sequential, k for free threads, each
//! pulling items from one queue (or, for mixed, each its own role's).

use std::ops::Range;

use lanes_trace::{Lane, Model, Scenario, State, Workload};

use crate::items::Item;
use crate::record::Recorder;
use crate::shared::{Feed, Step, Work, run_shared};
use crate::{CostModel, Options, SimError};
use lanes_model::lanes;

/// Where each lane takes its items from.
#[derive(Debug)]
pub(crate) enum Source {
    /// One queue that every lane pulls from.
    Shared(Range<usize>),
    /// A queue of its own per lane.
    PerLane(Vec<Range<usize>>),
    /// A list of its own per lane (processes' dealt shares).
    Dealt(Vec<std::vec::IntoIter<usize>>),
}

impl Source {
    /// Where the worker lanes of `scenario` take its `items` from: a mixed
    /// run's CPU lane the first half, its I/O lane the second; one shared
    /// queue otherwise.
    pub(crate) fn of(scenario: &Scenario, items: usize) -> Self {
        if scenario.workload == Workload::Mixed && scenario.model != Model::Sequential {
            let half = items / 2;
            Self::PerLane(vec![0..half, half..items])
        } else {
            Self::Shared(0..items)
        }
    }

    /// The index of the next item `lane` runs, if any is left for it (an
    /// index past the items means none).
    pub(crate) fn take(&mut self, lane: u32) -> Option<usize> {
        let range = match self {
            Self::Shared(range) => range,
            Self::PerLane(ranges) => ranges.get_mut(lane as usize)?,
            Self::Dealt(lists) => return lists.get_mut(lane as usize)?.next(),
        };
        range.next()
    }
}

/// Items become steps: a wait (I/O), then computing.
#[derive(Debug)]
pub(crate) struct ItemFeed<'a> {
    items: &'a [Item],
    source: Source,
    /// Per lane: the item whose computing follows its wait.
    after_wait: Vec<Option<Item>>,
    /// The state a wait is recorded in.
    wait_state: State,
}

impl<'a> ItemFeed<'a> {
    pub(crate) fn new(items: &'a [Item], source: Source, lanes: usize) -> Self {
        Self {
            items,
            source,
            after_wait: vec![None; lanes],
            wait_state: State::IoWait,
        }
    }

    /// The next step of `lane`, if any.
    pub(crate) fn next_step(&mut self, lane: u32) -> Option<Step> {
        let slot = self.after_wait.get_mut(lane as usize)?;
        if let Some(item) = slot.take() {
            return Some(computing(&item));
        }
        let item = *self.items.get(self.source.take(lane)?)?;
        if item.wait_us > 0.0 {
            *slot = Some(item);
            return Some(Step {
                state: Some(self.wait_state),
                task: Some(item.task),
                work: Work::Wait(item.wait_us),
            });
        }
        Some(computing(&item))
    }
}

fn computing(item: &Item) -> Step {
    Step {
        state: Some(State::Running),
        task: Some(item.task),
        work: Work::Cpu(item.cpu_us),
    }
}

impl Feed for ItemFeed<'_> {
    fn next(&mut self, lane: u32, _: f64, _: &mut Recorder) -> Result<Option<Step>, SimError> {
        Ok(self.next_step(lane))
    }
}

/// Sequential or free threads over `items`.
pub(crate) fn simulate(
    scenario: &Scenario,
    items: &[Item],
    costs: &CostModel,
    options: &Options,
) -> Result<(Vec<Lane>, Recorder), SimError> {
    let lanes = lanes::of_run(scenario);
    let source = Source::of(scenario, items.len());
    let count = u32::try_from(lanes.len()).unwrap_or(u32::MAX);
    let ids: Vec<u32> = (0..count).collect();
    // Updates under one lock take turns, whatever the cores.
    let capacity = if scenario.workload == Workload::CounterLocked {
        1.0
    } else {
        f64::from(options.cores)
    };
    let mut rec = Recorder::new(lanes.len());
    let mut feed = ItemFeed::new(items, source, lanes.len());
    run_shared(&ids, capacity, costs.thread_start_us, &mut feed, &mut rec)?;
    Ok((lanes, rec))
}
