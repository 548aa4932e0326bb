//! The seven steps' words and scenarios. Quotes in “…” are the course's
//! own bullet points; every claim the text makes is checked against the
//! runs by `evaluate`.

use lanes_trace::{Model, Workload};

use super::{Choice, Lesson, Run, Runs};

/// The choices' ids, one module per step, shared with the checks.
pub(super) mod ids {
    /// Step 1: how much faster free threads are than one thread.
    pub mod why {
        /// Under 1.25×.
        pub const NO_FASTER: &str = "no-faster";
        /// Faster, but under 0.8× the cores the threads could use.
        pub const SOME: &str = "faster-short-of-cores";
        /// At least 0.8× the cores the threads could use.
        pub const PER_CORE: &str = "one-per-core";
    }

    /// Step 2: processes against one thread.
    pub mod process {
        /// The processes were slower than one thread.
        pub const THREAD: &str = "one-thread";
        /// Faster, but under 0.9× the cores the processes could use.
        pub const SHORT: &str = "processes-short-of-cores";
        /// At least 0.9× the cores the processes could use.
        pub const FULL: &str = "processes-one-per-core";
    }

    /// Step 3: the share of updates an unlocked counter lost.
    pub mod thread {
        /// None lost.
        pub const NONE: &str = "none-lost";
        /// Under 1 % lost.
        pub const FEW: &str = "few-lost";
        /// 1 % or more lost.
        pub const MANY: &str = "many-lost";
    }

    /// Step 4: threads under the GIL against one thread.
    pub mod gil {
        /// Under 0.85×.
        pub const SLOWER: &str = "gil-slower";
        /// 0.85× to 1.25×.
        pub const SAME: &str = "gil-same";
        /// 1.25× or more.
        pub const FASTER: &str = "gil-faster";
    }

    /// Step 5: processes against threads under the GIL.
    pub mod versus {
        /// The threads were at least 1.25× faster.
        pub const THREADS: &str = "threads";
        /// Within 1.25× of each other.
        pub const TIE: &str = "about-the-same";
        /// The processes were at least 1.25× faster.
        pub const PROCESSES: &str = "processes";
    }

    /// Step 6: how the copy-in time grows with 4× the data.
    pub mod pros_cons {
        /// Under 1.5× for 4× the data.
        pub const FLAT: &str = "copy-flat";
        /// Under 0.6× the data's growth.
        pub const SLOWER: &str = "copy-grows-slower";
        /// 0.6× to 1.6× the data's growth.
        pub const IN_STEP: &str = "copy-in-step";
        /// More than 1.6× the data's growth.
        pub const FASTER: &str = "copy-grows-faster";
    }

    /// Step 7: which model wins the CPU-bound and the I/O-bound work.
    pub mod use_cases {
        /// Processes win the audio, threads the requests.
        pub const PROCESSES_THEN_THREADS: &str = "processes-then-threads";
        /// Threads win both.
        pub const THREADS_BOTH: &str = "threads-for-both";
        /// Processes win the audio; threads do not speed up the requests.
        pub const PROCESSES_ONLY: &str = "processes-only";
        /// Threads win the audio; nothing speeds up the requests.
        pub const THREADS_ONLY: &str = "threads-only";
    }

    /// Step 8: whether the sound stays clean beside CPU-bound threads.
    pub mod audio {
        /// Clean under the GIL and with free threads.
        pub const CLEAN_BOTH: &str = "clean-both";
        /// Clicks under the GIL, clean with free threads.
        pub const GIL_CLICKS: &str = "clicks-under-the-gil";
        /// Clicks in both.
        pub const CLICKS_BOTH: &str = "clicks-both";
    }
}

/// Step 6's sweep: processes on growing data, then free threads on the
/// largest, then the unlocked counter.
pub(super) const SWEEP: [u64; 3] = [1_250_000, 2_500_000, 5_000_000];

/// The tour, in the course's order.
pub static LESSONS: [Lesson; 8] = [
    Lesson {
        number: 1,
        title: "Why bother?",
        slide: "Why bothering with threading / multiprocessing?",
        text: &[
            "The course's answer to why we bother with threads and processes is “To run our programmes faster”: a laptop has several cores, and one thread uses only one of them.",
            "Here the same job, counting the primes below 5 000 000, runs first on one thread, then cut into 32 pieces that 4 threads pull from one queue and compute at the same time.",
            "Each lane is a thread and each span a piece of work; the speedup is the first run's time over the second's.",
        ],
        query: "model=sequential,free&workload=primes&k=4&size=5000000",
        runs: Runs::Models,
        question: "Four threads share the work one thread did alone. How much faster will they finish?",
        choices: &[
            Choice {
                id: ids::why::NO_FASTER,
                label: "No faster: they just take turns",
            },
            Choice {
                id: ids::why::SOME,
                label: "Faster, but well short of one × per core",
            },
            Choice {
                id: ids::why::PER_CORE,
                label: "About one × per core they can use (4× at most)",
            },
        ],
        notice: &[
            "The threads' lanes are busy side by side: that is parallelism. Hover a span to see which piece (#n) it computed.",
            "The speedup cannot beat the cores: on a 2-core laptop 4 threads share 2 cores, as Python threads do. Try k=2 or k=8, or simulate a bigger machine with sim=1&cores=8.",
        ],
        python: Some(
            "In CPython the four threads take turns holding the GIL, so the same counting is no faster there than on one thread: only a free-threaded build (3.13t and later) runs them at once, as Lanes' free threads do.",
        ),
    },
    Lesson {
        number: 2,
        title: "What's a process?",
        slide: "What's a process?",
        text: &[
            "A process is an “Execution environment for a programme” with its own memory: “A programme can be run in parallel in multiple processes”, and “Each process has different data and computer resources”.",
            "Here 4 processes count the same primes as one thread, and each must first start up (load its own copy of the programme) and be sent the numbers it tests, copied into its memory, then copy its result back out.",
            "Start-up, copy in, running and copy out are spans on each process's lane; the memory figure shows what each process holds beside the page.",
        ],
        query: "model=sequential,processes&workload=primes&k=4&size=5000000",
        runs: Runs::Models,
        question: "Four processes against one thread, on the same primes: which finishes first, and by how much?",
        choices: &[
            Choice {
                id: ids::process::THREAD,
                label: "One thread: starting processes costs more than they save",
            },
            Choice {
                id: ids::process::SHORT,
                label: "The processes, but short of one × per core: start-up and copying cost time",
            },
            Choice {
                id: ids::process::FULL,
                label: "The processes, a full × per core, as if starting them were free",
            },
        ],
        notice: &[
            "Each process lane reads start-up, copy in, running, copy out: the running part is what a thread would have done, the rest is the price of a process.",
            "The main process sends each process its numbers one after another, so the copies start one after another too.",
            "Try warm=1 and run twice: processes kept alive (a multiprocessing.Pool left open) skip the start-up the second time.",
        ],
        python: Some(
            "CPython's processes pay a real start-up (a fresh interpreter each under spawn, a copy of the parent under fork), and each task's numbers are pickled in and its count pickled out.",
        ),
    },
    Lesson {
        number: 3,
        title: "What's a thread?",
        slide: "What's a thread?",
        text: &[
            "A thread is a “Unit of execution in a process”: “A process can have multiple threads (concurrency)”, and “Threads in a process share data and CPU”, with nothing to start or copy.",
            "Sharing has a catch: here 4 threads add 1 to one shared counter, 1 000 000 times in all, and counter += 1 is read, add, write, so when two threads interleave, one overwrites the other's update.",
            "Then they do it again with a lock around each update; these threads run truly at once, as native threads or free-threaded Python do (the GIL comes next).",
        ],
        query: "model=free&workload=counter&k=4&size=1000000",
        runs: Runs::List(&[
            Run {
                model: Model::Free,
                workload: Workload::Counter,
                size: None,
            },
            Run {
                model: Model::Free,
                workload: Workload::CounterLocked,
                size: None,
            },
        ]),
        question: "Four threads add 1 to a shared counter, 1 000 000 times in all, with no lock. What will it read at the end?",
        choices: &[
            Choice {
                id: ids::thread::NONE,
                label: "1 000 000: every update counts",
            },
            Choice {
                id: ids::thread::FEW,
                label: "A little short: under 1 % of the updates lost",
            },
            Choice {
                id: ids::thread::MANY,
                label: "Far short: 1 % or more lost",
            },
        ],
        notice: &[
            "The results table shows each run's count: the unlocked one falls short, and each missing update is a real one, overwritten by another thread.",
            "A lock makes the updates safe by making the threads wait for each other at every update; what that costs depends on the machine (compare the two makespans). Try k=1: one thread loses nothing, lock or not.",
        ],
        python: None,
    },
    Lesson {
        number: 4,
        title: "The GIL",
        slide: "Global Interpreter Lock (GIL)",
        text: &[
            "CPython's Global Interpreter Lock is a “Process lock” that a thread must hold to run Python code: the “GIL prevents multiple threads from executing simultaneously”, so “Multiple threads can run concurrently” but the “GIL enforces threads are executed serially”.",
            "Here 4 threads count the primes under a GIL, between one thread alone and 4 free threads (as in free-threaded Python 3.13t), and a waiting thread asks the holder to let go once the switch interval (5 ms, sys.setswitchinterval) has passed.",
            "The GIL lane shows who holds the lock, and arrows mark the hand-offs.",
        ],
        query: "model=sequential,gil,free&workload=primes&k=4&size=5000000&interval=5",
        runs: Runs::Models,
        question: "Four threads under the GIL against one thread: how much faster?",
        choices: &[
            Choice {
                id: ids::gil::SLOWER,
                label: "Slower: handing the lock around costs time",
            },
            Choice {
                id: ids::gil::SAME,
                label: "About the same: one runs at a time",
            },
            Choice {
                id: ids::gil::FASTER,
                label: "Faster, as free threads are",
            },
        ],
        notice: &[
            "Under the GIL one lane at a time is running while the others wait for the GIL: concurrency without parallelism, and the time of one thread.",
            "The switch interval is a knob: try interval=1 or interval=50. The hand-offs come closer together or further apart; the total time hardly moves.",
            "The free threads' lanes run side by side, as in step 1.",
        ],
        python: Some(
            "CPython's threads hold the real GIL: the recording measures each thread's waits for it from the thread's CPU clock.",
        ),
    },
    Lesson {
        number: 5,
        title: "Processes against threads",
        slide: "Multiprocessing vs threads",
        text: &[
            "Python spreads a job over workers in two ways: the multiprocessing module (processes, each with its own interpreter and so its own GIL) and the threading module (threads in one process, sharing one GIL).",
            "Here the same CPU-bound job, counting primes, runs both ways with 2 workers, stacked on one time axis.",
        ],
        query: "model=gil,processes&workload=primes&k=2&size=5000000",
        runs: Runs::Models,
        question: "The same CPU-bound work in 2 threads under the GIL and in 2 processes: which is faster, by about how much?",
        choices: &[
            Choice {
                id: ids::versus::THREADS,
                label: "The threads: processes pay for start-up and copies",
            },
            Choice {
                id: ids::versus::TIE,
                label: "About the same (within a quarter)",
            },
            Choice {
                id: ids::versus::PROCESSES,
                label: "The processes, by a quarter or more: each has its own GIL",
            },
        ],
        notice: &[
            "The processes' running spans overlap: each has its own GIL. The threads' spans never do.",
            "The processes start later, after their start-up and copy-in. Try size=1000000, where start-up weighs more, or k=4.",
        ],
        python: Some(
            "The same race in CPython: its threads under its GIL against a pool of its processes, with their real start-up.",
        ),
    },
    Lesson {
        number: 6,
        title: "Pros and cons",
        slide: "Multiprocessing pros and cons",
        text: &[
            "Processes give a “Significant performance boost” and “Make the most out of your multi-core CPU”, at the price of a “Significant overhead to manage processes”, with the “Entire memory copied in each subprocess”.",
            "Threads “Run tasks concurrently” and “Don't be blocked by slow tasks (e.g., I/O)”, but they “Increase complexity of the programme”, and there is an “Overhead to manage threads” too.",
            "Here 2 processes count the primes below 1 250 000, 2 500 000 and 5 000 000, so that start-up and copying show as the data grows; then 2 free threads do the largest job, and 2 threads share a counter with no lock.",
        ],
        query: "model=processes&workload=primes&k=2&size=5000000",
        runs: Runs::List(&[
            Run {
                model: Model::Processes,
                workload: Workload::Primes,
                size: Some(SWEEP[0]),
            },
            Run {
                model: Model::Processes,
                workload: Workload::Primes,
                size: Some(SWEEP[1]),
            },
            Run {
                model: Model::Processes,
                workload: Workload::Primes,
                size: Some(SWEEP[2]),
            },
            Run {
                model: Model::Free,
                workload: Workload::Primes,
                size: Some(SWEEP[2]),
            },
            // Ten million updates: long enough that the two threads surely
            // overlap, whatever else the machine is doing.
            Run {
                model: Model::Free,
                workload: Workload::Counter,
                size: Some(10_000_000),
            },
        ]),
        question: "The processes are sent 1¼, then 2½, then 5 million numbers. How does the time to copy them in grow?",
        choices: &[
            Choice {
                id: ids::pros_cons::FLAT,
                label: "It stays about the same, like the start-up",
            },
            Choice {
                id: ids::pros_cons::SLOWER,
                label: "It grows, but more slowly than the data",
            },
            Choice {
                id: ids::pros_cons::IN_STEP,
                label: "In step with the data: 4× the numbers, about 4× the copying",
            },
            Choice {
                id: ids::pros_cons::FASTER,
                label: "Faster than the data",
            },
        ],
        notice: &[
            "Compare the three processes runs: the start-up spans keep their length while the copy-in spans grow with the numbers.",
            "The free threads start at once and copy nothing: threads are cheap to manage. Their cost is complexity, and the counter run shows it: lost updates.",
        ],
        python: None,
    },
    Lesson {
        number: 7,
        title: "Use cases",
        slide: "Use cases",
        text: &[
            "The course's rule of thumb: multiprocessing for “CPU bound tasks” such as “Crunching data” and “Data preprocessing”, threading for “I/O”, “Network access”, “GUI” and “Audio programming”.",
            "Here audio preprocessing (the features of 384 one-second clips) runs in 4 processes and in 4 threads under the GIL, then 32 network requests of 20 ms each run on one thread, in 4 threads under the GIL and in an event loop (asyncio) of 4 coroutines.",
            "A thread waiting for the network holds no GIL, so the waits overlap, GIL or not.",
        ],
        query: "model=processes,gil&workload=audio&k=4&size=384&latency=20",
        runs: Runs::List(&[
            Run {
                model: Model::Processes,
                workload: Workload::Audio,
                size: None,
            },
            Run {
                model: Model::Gil,
                workload: Workload::Audio,
                size: None,
            },
            Run {
                model: Model::Sequential,
                workload: Workload::Io,
                size: None,
            },
            Run {
                model: Model::Gil,
                workload: Workload::Io,
                size: None,
            },
            Run {
                model: Model::Asyncio,
                workload: Workload::Io,
                size: None,
            },
        ]),
        question: "Which wins where: on the audio features (CPU-bound), and on the network requests (I/O-bound)?",
        choices: &[
            Choice {
                id: ids::use_cases::PROCESSES_THEN_THREADS,
                label: "Processes for the audio, threads for the requests",
            },
            Choice {
                id: ids::use_cases::THREADS_BOTH,
                label: "Threads for both",
            },
            Choice {
                id: ids::use_cases::PROCESSES_ONLY,
                label: "Processes for the audio; nothing speeds up the requests",
            },
            Choice {
                id: ids::use_cases::THREADS_ONLY,
                label: "Threads for the audio; nothing speeds up the requests",
            },
        ],
        notice: &[
            "On the audio, the processes' lanes run side by side after their start-up while the GIL threads take turns.",
            "On the requests, the threads' I/O-wait spans overlap: a waiting thread holds no GIL. The event loop overlaps its waits on one thread.",
            "GUI: keep the main thread free. Try workload=ui with model=sequential, then with model=free: the frames lane shows the page freezing, then not (this one always runs live).",
            "Audio programming: a callback must never wait. The next step plays it: a melody whose producer misses its deadlines under the GIL beside CPU-bound threads. Or try workload=mixed with model=gil,free: the I/O thread waits behind the CPU-bound one (the convoy effect).",
        ],
        python: Some(
            "CPython computes the audio features in a pool of processes and in threads, and makes its requests one after another, in threads and with asyncio.",
        ),
    },
    Lesson {
        number: 8,
        title: "Audio programming",
        slide: "Use cases",
        text: &[
            "Threading is the course's answer for “Audio programming”: a thread produces the sound while others work. But an audio callback must get a block of sound every few milliseconds, or the speaker plays silence: a click.",
            "Here a producer computes a melody in blocks of 128 frames (about 3 ms of sound each) for the browser's audio callback, beside 3 threads that count primes: first all under the GIL, then as free threads, two seconds each. Turn the sound on to hear it, or keep the silent mode: the deadlines are the same.",
            "The audio lane under the runs shows each block's deadline (a red mark when the callback had to play silence) and how full the buffer was.",
        ],
        query: "model=gil,free&workload=playback&k=3&size=128&interval=5&notes=4",
        runs: Runs::Models,
        question: "Will the sound stay clean beside three CPU-bound threads under the GIL?",
        choices: &[
            Choice {
                id: ids::audio::CLEAN_BOTH,
                label: "Clean in both: a block is only a few microseconds of work",
            },
            Choice {
                id: ids::audio::GIL_CLICKS,
                label: "Clicks under the GIL, clean with free threads",
            },
            Choice {
                id: ids::audio::CLICKS_BOTH,
                label: "Clicks in both: the threads take the cores",
            },
        ],
        notice: &[
            "Under the GIL, the producer's lane shows it waiting for the GIL each time it wakes up to fill the buffer: a CPU-bound thread keeps the lock until the switch interval (5 ms) runs out, and another may take it first, while the buffer holds only about 10 ms of sound.",
            "Try a bigger buffer (size=1024, or 4096): fewer, longer deadlines, so the GIL's 5 ms fits in, but the sound starts later after a key press (latency). Or a smaller switch interval (interval=1).",
            "In a real program the audio callback runs in a thread of the audio library (sounddevice, PyAudio), and it needs the GIL too. Keep its work small, or put the heavy work in a process.",
        ],
        python: None,
    },
];
