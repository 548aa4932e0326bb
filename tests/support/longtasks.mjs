// Main-thread long tasks, for the long-task test and `make bench`.
//
// Chromium has two entries on its performance timeline: the Long Tasks API
// (every task over 50 ms) and long animation frames (every frame whose work
// took over 50 ms: its tasks, animation-frame callbacks and rendering).
// Work that runs inside an animation frame (the UI lesson's main-thread run
// starts from one) is only a long animation frame, so both are recorded,
// each entry with its kind. Firefox and WebKit have neither; there a timer
// that should fire every 10 ms measures how late it fires, and a lateness
// over 50 ms counts as a task that long (an estimate: it also counts the
// OS keeping the main thread off the CPU, never less than the real task).

/** The script that records, installed before the page's own (both methods; `method` says which one). */
const RECORDER = `(() => {
  const tasks = [];
  window.__lanesLongTasks = { tasks, method: 'long tasks API' };
  const types = (typeof PerformanceObserver === 'function' ? PerformanceObserver.supportedEntryTypes ?? [] : [])
    .filter((type) => type === 'longtask' || type === 'long-animation-frame');
  if (types.length > 0) {
    window.__lanesLongTasks.method = types.join(' + ');
    for (const type of types) {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) tasks.push({ kind: type, start: e.startTime, duration: e.duration });
      }).observe({ type, buffered: true });
    }
    return;
  }
  window.__lanesLongTasks.method = 'timer lateness';
  const PERIOD = 10;
  let last = performance.now();
  const tick = () => {
    const now = performance.now();
    const late = now - last - PERIOD;
    if (late > 50) tasks.push({ kind: 'late timer', start: last + PERIOD, duration: late });
    last = now;
    setTimeout(tick, PERIOD);
  };
  setTimeout(tick, PERIOD);
})();`;

/** Installs the recorder in every document `page` (playwright) loads from now on. */
export async function recordLongTasks(page) {
  await page.addInitScript(RECORDER);
}

/** The recorder's source, for drivers that install it by evaluating it. */
export const LONG_TASK_RECORDER = RECORDER;

/** The long tasks that started after `since` (page ms), as {kind, start, duration}. */
export function longTasksSince(page, since) {
  return page.evaluate((s) => (window.__lanesLongTasks?.tasks ?? []).filter((t) => t.start >= s), since);
}

/**
 * A Chrome trace of `events` complete slices, about 100 bytes each: four
 * threads of nested calls, as a profiler of a real program writes them.
 */
export function bigTraceJson(events) {
  const parts = [];
  const perThread = Math.ceil(events / 4);
  for (let tid = 1; tid <= 4; tid++) {
    parts.push(JSON.stringify({ ph: 'M', name: 'thread_name', pid: 1, tid, args: { name: `worker-${tid}` } }));
    for (let i = 0; i < perThread; i += 2) {
      const ts = i * 10;
      parts.push(`{"ph":"X","name":"outer_${i % 50}","pid":1,"tid":${tid},"ts":${ts},"dur":18}`);
      parts.push(`{"ph":"X","name":"inner_${i % 7}","pid":1,"tid":${tid},"ts":${ts + 2},"dur":10}`);
    }
  }
  return `{"traceEvents":[\n${parts.join(',\n')}\n]}`;
}

/**
 * The work whose main-thread tasks the long-task test and `make bench`
 * measure, in one page: each model's run, a big simulated batch and a
 * simulated sweep (`button` is what starts it). Opening a big trace and the
 * UI lesson are their callers' own.
 */
export const LONG_TASK_WORK = [
  ...['sequential', 'gil', 'free', 'processes', 'asyncio'].map((model) => ({
    name: model,
    query: model === 'asyncio' ? `model=${model}&workload=io&k=4&latency=20` : `model=${model}&k=2&size=2000000`,
  })),
  { name: 'simulated', query: 'model=sequential,gil,free,processes&sim=1&cores=4&k=4&size=20000000' },
  { name: 'sweep', query: 'model=free&sim=1&cores=4&size=2000000', button: '#sweep-button' },
];

/**
 * In the page: goes to `query` as the back button would, and records every
 * state the run element takes from now on (a run is known to have happened
 * by its states: the kept runs' count may stay at its bound).
 */
export function goAndWatchRun(query) {
  history.pushState(null, '', `?${query}`);
  dispatchEvent(new PopStateEvent('popstate'));
  window.__runStates = [];
  new MutationObserver(() => window.__runStates.push(document.querySelector('#run').dataset.runState))
    .observe(document.querySelector('#run'), { attributes: true, attributeFilter: ['data-run-state'] });
}

/** In the page: whether Run can be pressed. */
export function runEnabled() {
  return !document.querySelector('#run-button')?.disabled;
}

/** In the page: whether the run watched since goAndWatchRun went through `running` and has settled. */
export function runSettled() {
  return window.__runStates.includes('running') &&
    ['done', 'error'].includes(document.querySelector('#run')?.dataset.runState);
}
