//! A playback run: a producer computes a melody in blocks into the ring a
//! player plays from ([`player`]), beside `k` CPU-bound neighbours counting
//! primes item after item until the producer has published its last block.
//!
//! | model | the producer | the neighbours |
//! |---|---|---|
//! | sequential | on the page's main thread, between the page's own tasks of [`MAIN_THREAD_TASK_MS`] (while k ≥ 1) | the page's work |
//! | gil | a thread that drops the GIL in its wait for room before a block and takes it back to compute the block ([`crate::gil`]); a write that finds room at once keeps the lock unless a waiter asked for it | k threads under the same GIL |
//! | free | a thread | k threads, sharing the cores |
//! | processes | a process of its own, started first | a process each, started first |
//!
//! The producer waits (an I/O wait, "waiting for room in the buffer") until
//! the ring has room for one block, computes it (`task` = its index) and
//! publishes it. The player starts once the producer has filled the ring.

mod player;

use lanes_model::playback::{
    MAIN_THREAD_TASK_MS, lanes as playback_lanes, neighbour_numbers, producer_lane,
};
use lanes_trace::{Audio, Lane, Model, Scenario, Span, State};

use crate::gil::{self, Jobs, Lock};
use crate::items::Item;
use crate::jitter::{Rng, stream};
use crate::processes::COLD_START;
use crate::record::Recorder;
use crate::shared::{Feed, Step, Work, run_shared};
use crate::work::prime_units;
use crate::{CostModel, Options, SimError};
use player::Player;

/// The label of the producer's waits.
const WAITING_FOR_ROOM: &str = "waiting for room in the buffer";

/// What a simulated playback run produced.
#[derive(Debug)]
pub(crate) struct PlaybackRun {
    pub(crate) lanes: Vec<Lane>,
    pub(crate) rec: Recorder,
    pub(crate) audio: Audio,
}

/// Simulates a playback run of `scenario` under its model (not the event
/// loop, which the table refuses).
pub(crate) fn simulate(
    scenario: &Scenario,
    costs: &CostModel,
    options: &Options,
) -> Result<PlaybackRun, SimError> {
    let lanes = playback_lanes(scenario);
    let mut run = Melody::new(scenario, costs, options);
    let start = costs.thread_start_us;
    let cores = f64::from(options.cores);
    let rec = match scenario.model {
        Model::Gil => {
            let lock = Lock {
                interval_us: scenario.interval_us,
                unlocked_counter: false,
            };
            gil::run(lanes.len(), &mut run, lock, costs, options)?.0
        }
        Model::Sequential => {
            let mut feed = MainThread {
                melody: &mut run,
                page_work: scenario.k >= 1,
                after_wait: None,
            };
            shared(&lanes, &[0], 1.0, start, &mut feed)?
        }
        Model::Free => {
            let ids: Vec<u32> = (0..=scenario.k).collect();
            let mut feed = Threads {
                melody: &mut run,
                first: 0,
                after_wait: None,
                startup: None,
            };
            shared(&lanes, &ids, cores, start, &mut feed)?
        }
        Model::Asyncio => {
            return Err(SimError::Unsupported {
                model: scenario.model,
                workload: scenario.workload,
            });
        }
        Model::Processes => {
            // Lane 0 is the page; the producer's process is lane 1.
            let ids: Vec<u32> = (1..=scenario.k + 1).collect();
            let mut feed = Threads {
                melody: &mut run,
                first: 1,
                after_wait: None,
                startup: Some(Startup {
                    started: vec![false; lanes.len()],
                    us: costs.process_startup_us,
                    jitter: costs.jitter,
                    rng: Rng::new(options.seed, stream::OVERHEAD),
                }),
            };
            shared(&lanes, &ids, cores, 0.0, &mut feed)?
        }
    };
    let audio = run.player.finish(producer_lane(scenario.model));
    Ok(PlaybackRun { lanes, rec, audio })
}

/// Runs `ids` of `lanes` on `cores` from `start_us`.
fn shared(
    lanes: &[Lane],
    ids: &[u32],
    cores: f64,
    start_us: f64,
    feed: &mut dyn Feed,
) -> Result<Recorder, SimError> {
    let mut rec = Recorder::new(lanes.len());
    run_shared(ids, cores, start_us, feed, &mut rec)?;
    Ok(rec)
}

/// The producer's melody, the player, and the neighbours' shared count.
struct Melody {
    player: Player,
    /// µs each block takes to compute, with the seed's noise.
    block_us: Vec<f64>,
    /// Whether the producer is computing the next block.
    computing: bool,
    /// The neighbours' next item.
    next_item: u32,
    primes_us_per_unit: f64,
    jitter: f64,
    noise: Rng,
}

/// The producer's next block: its index, when the ring has room for it
/// (`None`: at once, while the producer fills it) and its computing time.
#[derive(Clone, Copy, Debug)]
struct Block {
    task: u32,
    room_us: Option<f64>,
    cpu_us: f64,
}

impl Block {
    /// The block as a work item begun at `now_us`: its wait for room, then
    /// its computing.
    fn item(self, now_us: f64) -> Item {
        Item {
            task: self.task,
            wait_us: self.room_us.map_or(0.0, |room| (room - now_us).max(0.0)),
            cpu_us: self.cpu_us,
        }
    }
}

impl Melody {
    fn new(scenario: &Scenario, costs: &CostModel, options: &Options) -> Self {
        let player = Player::new(scenario);
        let mut cpu = Rng::new(options.seed, stream::CPU);
        let per_block = f64::from(player.block_frames()) * costs.synth_us_per_frame;
        let block_us = (0..player.blocks())
            .map(|_| per_block * (1.0 + costs.jitter * cpu.signed()))
            .collect();
        Self {
            player,
            block_us,
            computing: false,
            next_item: 0,
            primes_us_per_unit: costs.primes_us_per_unit,
            jitter: costs.jitter,
            noise: Rng::new(options.seed, stream::NEIGHBOURS),
        }
    }

    /// The producer is free at `now_us`: it publishes the block it
    /// computed, if any.
    fn publish(&mut self, now_us: f64) {
        if std::mem::take(&mut self.computing) {
            self.player.publish(now_us);
        }
    }

    /// The block the producer computes next, if any is left.
    fn next_block(&self) -> Option<Block> {
        let task = self.player.published();
        let cpu_us = *self.block_us.get(task as usize)?;
        Some(Block {
            task,
            room_us: self.player.room_at(),
            cpu_us,
        })
    }

    /// The producer is free at `now_us`: publishes what it computed and
    /// takes the next block, if any is left.
    fn produce(&mut self, now_us: f64) -> Option<Block> {
        self.publish(now_us);
        let block = self.next_block()?;
        self.computing = true;
        Some(block)
    }

    /// A neighbour's next item: the next count of primes, until the
    /// producer has published its last block.
    fn neighbour(&mut self) -> Option<Item> {
        if self.player.all_published() {
            return None;
        }
        let task = self.next_item;
        self.next_item = self.next_item.saturating_add(1);
        let units = prime_units(neighbour_numbers(task));
        let noise = 1.0 + self.jitter * self.noise.signed();
        Some(Item {
            task,
            wait_us: 0.0,
            cpu_us: units * self.primes_us_per_unit * noise,
        })
    }
}

/// Under the GIL: thread 0 is the producer, the others the neighbours.
impl Jobs for Melody {
    fn next(&mut self, lane: u32, now_us: f64) -> Option<Item> {
        if lane == 0 {
            self.produce(now_us).map(|b| b.item(now_us))
        } else {
            self.neighbour()
        }
    }

    /// Every block begins with the producer's blocking write, which drops
    /// the GIL (as the live producer's does). When there is room at once
    /// and no waiter has asked for the lock, the producer takes it straight
    /// back before any waiter wakes (CPython's `take_gil` after a short
    /// call, and the live GIL's first-awake hand-off): no drop to model.
    /// With a drop request pending the write hands the lock over (CPython's
    /// `FORCE_SWITCHING`) and the producer must wait for it again.
    fn waits(&self, lane: u32, item: &Item, drop_requested: bool) -> bool {
        item.wait_us > 0.0 || (lane == 0 && drop_requested)
    }

    fn wait_label(&self, lane: u32) -> Option<&'static str> {
        (lane == 0).then_some(WAITING_FOR_ROOM)
    }
}

/// The producer's wait for room on its lane, labelled, then a gap until
/// the room is there.
fn wait_for_room(
    rec: &mut Recorder,
    lane: u32,
    task: u32,
    from_us: f64,
    room_us: f64,
) -> Result<Step, SimError> {
    let span = Span {
        lane,
        state: State::IoWait,
        start_us: from_us,
        end_us: room_us,
        task: Some(task),
        holder: None,
    };
    rec.push_labelled(span, WAITING_FOR_ROOM.to_owned())?;
    Ok(Step {
        state: None,
        task: None,
        work: Work::Until(room_us),
    })
}

fn computing(task: Option<u32>, cpu_us: f64) -> Step {
    Step {
        state: Some(State::Running),
        task,
        work: Work::Cpu(cpu_us),
    }
}

/// How processes start: each once, before its first step.
struct Startup {
    started: Vec<bool>,
    us: f64,
    jitter: f64,
    rng: Rng,
}

/// Free threads or processes: lane `first` is the producer, the lanes after
/// it the neighbours; processes start first.
struct Threads<'a> {
    melody: &'a mut Melody,
    first: u32,
    /// The block the producer computes once its wait for room is over.
    after_wait: Option<Block>,
    startup: Option<Startup>,
}

impl Feed for Threads<'_> {
    fn next(&mut self, lane: u32, now: f64, rec: &mut Recorder) -> Result<Option<Step>, SimError> {
        if let Some(s) = &mut self.startup
            && let Some(started) = s.started.get_mut(lane as usize)
            && !*started
        {
            *started = true;
            let end = now + s.us * (1.0 + s.jitter * s.rng.signed());
            rec.labelled(lane, State::Startup, now, end, COLD_START.to_owned())?;
            return Ok(Some(Step {
                state: None,
                task: None,
                work: Work::Until(end),
            }));
        }
        if lane != self.first {
            return Ok(self
                .melody
                .neighbour()
                .map(|item| computing(Some(item.task), item.cpu_us)));
        }
        if let Some(block) = self.after_wait.take() {
            return Ok(Some(computing(Some(block.task), block.cpu_us)));
        }
        let Some(block) = self.melody.produce(now) else {
            return Ok(None);
        };
        match block.room_us {
            Some(room) if room > now => {
                self.after_wait = Some(block);
                wait_for_room(rec, lane, block.task, now, room).map(Some)
            }
            _ => Ok(Some(computing(Some(block.task), block.cpu_us))),
        }
    }
}

/// The page's main thread: the producer fills the ring between the page's
/// own tasks, which nothing interrupts.
struct MainThread<'a> {
    melody: &'a mut Melody,
    /// Whether the page has work of its own (k ≥ 1).
    page_work: bool,
    /// The block the producer computes once its wait for room is over
    /// (without page work).
    after_wait: Option<Block>,
}

impl Feed for MainThread<'_> {
    fn next(&mut self, lane: u32, now: f64, rec: &mut Recorder) -> Result<Option<Step>, SimError> {
        if let Some(block) = self.after_wait.take() {
            return Ok(Some(computing(Some(block.task), block.cpu_us)));
        }
        self.melody.publish(now);
        let Some(block) = self.melody.next_block() else {
            // The melody is made: the page's work ends with it.
            return Ok(None);
        };
        match block.room_us.filter(|&room| room > now) {
            None => {
                self.melody.computing = true;
                Ok(Some(computing(Some(block.task), block.cpu_us)))
            }
            Some(_) if self.page_work => {
                let us = f64::from(MAIN_THREAD_TASK_MS) * 1000.0;
                Ok(Some(computing(None, us)))
            }
            Some(room) => {
                self.melody.computing = true;
                self.after_wait = Some(block);
                wait_for_room(rec, lane, block.task, now, room).map(Some)
            }
        }
    }
}

#[cfg(test)]
mod tests;
