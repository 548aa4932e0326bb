// The processes model in the page: k workers, each with its own wasm
// instance and memory; start-up, copy in, running and copy out on every
// process lane; messages with their bytes; the same answer as the
// sequential twin; each process's memory reported; Cancel ends them all;
// with warm=1 the next run reuses them.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  browserSuite,
  laneKinds, laneNames, open, screenshot, spansByLane, stateOverlap, traces, waitForRun,
} from './support/harness.mjs';

// A process's worker: started from process-worker.js, or from the blob: copy
// of it the page makes once (crates/web/src/worker_module.rs).
const WORKER_SCRIPT = /\/process-worker\.js$|^blob:/;

/** Waits up to two seconds for the page to have `n` process workers; returns how many it has. */
async function processWorkers(page, n) {
  const alive = () => page.workers().filter((w) => WORKER_SCRIPT.test(w.url())).length;
  for (let i = 0; i < 40 && alive() !== n; i++) await page.waitForTimeout(50);
  return alive();
}

/** Waits up to two seconds for the page to have no process worker; returns how many are left. */
const processWorkersLeft = (page) => processWorkers(page, 0);

/** The process lanes of a trace: [{name, spans}], in lane order. */
function processLanes(trace) {
  const kinds = laneKinds(trace);
  const names = new Map(
    trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => [e.tid, e.args.name]),
  );
  const spans = spansByLane(trace);
  return [...kinds.entries()]
    .filter(([, kind]) => kind === 'process')
    .sort(([a], [b]) => a - b)
    .map(([tid]) => ({ tid, name: names.get(tid), spans: spans.get(tid) ?? [] }));
}

/**
 * Checks what every processes trace must show; returns its messages. The
 * first `warm` processes were kept from an earlier run: named so, and with
 * no start-up.
 */
function checkProcesses(trace, k, { warm = 0 } = {}) {
  assert.equal(trace.metadata.model, 'processes');
  assert.equal(trace.metadata.k, k);
  const lanes = processLanes(trace);
  assert.deepEqual(lanes.map((l) => l.name),
    Array.from({ length: k }, (_, i) => `Process ${i + 1}${i < warm ? ' (warm)' : ''}`));
  for (const [i, { name, spans }] of lanes.entries()) {
    const states = spans.map((s) => s.name);
    if (i < warm) {
      assert.ok(!states.includes('startup'), `${name} was already running: ${states}`);
      states.unshift('startup');
    }
    assert.equal(states[0], 'startup', `${name} starts up first: ${states}`);
    assert.equal(states[1], 'copy_in', `${name} then gets its input: ${states}`);
    assert.equal(states.at(-1), 'copy_out', `${name} copies its result out last: ${states}`);
    const middle = states.slice(2, -1);
    assert.ok(middle.length > 0 && middle.every((s) => s === 'running'), `${name} runs in between: ${states}`);
    for (let i = 1; i < spans.length; i++) {
      assert.ok(spans[i].start >= spans[i - 1].end, `${name}: spans in order, never overlapping`);
    }
  }
  const tasks = lanes.flatMap((l) => l.spans.filter((s) => s.name === 'running').map((s) => s.task));
  assert.deepEqual(tasks.sort((a, b) => a - b), Array.from({ length: trace.metadata.tasks }, (_, i) => i),
    'every work item ran once, in some process');
  // Each process gets one message in and sends one out, paired by id.
  const messages = trace.traceEvents.filter((e) => e.cat === 'lanes.message');
  const sends = messages.filter((e) => e.ph === 's');
  const receives = messages.filter((e) => e.ph === 'f');
  assert.equal(sends.length, 2 * k);
  assert.equal(receives.length, 2 * k);
  for (const s of sends) {
    const r = receives.find((e) => e.id === s.id);
    assert.ok(r, `message ${s.id} arrives`);
    assert.ok(r.ts >= s.ts - 1000, `message ${s.id} arrives after it leaves`);
    assert.ok(s.args.bytes > 0);
  }
  const inputs = sends.filter((e) => lanes.some((l) => l.tid - 1 === e.args.to));
  assert.equal(inputs.length, k, 'one input per process');
  return { lanes, inputs };
}

describe('processes', () => {
  const { server, browser } = browserSuite();

  test('two processes count primes on copies of their numbers, in parallel, and agree with the twin', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=sequential,processes&k=2&size=2000000&run=1`);
    await waitForRun(page);
    const [seq, procs] = await traces(page);
    assert.equal(seq.metadata.result, 148_933);
    assert.equal(procs.metadata.result, seq.metadata.result, 'processes agree with the sequential twin');
    assert.deepEqual(laneNames(procs), ['Main process', 'Process 1', 'Process 2']);
    const { inputs } = checkProcesses(procs, 2);
    assert.ok(stateOverlap(procs) > 0, 'running spans of different processes overlap');
    // Each process was sent its numbers, 4 bytes each: half of 2 000 000.
    for (const m of inputs) assert.ok(m.args.bytes >= 4_000_000, `input of ${m.args.bytes} bytes`);
    const labels = procs.traceEvents.filter((e) => e.name === 'copy_in' && e.args?.label).map((e) => e.args.label);
    assert.ok(labels.some((l) => /numbers of 16 ranges/.test(l)), labels.join('; '));
    const memory = await page.evaluate(() => window.lanes.processMemory());
    assert.equal(memory.k, 2);
    assert.equal(memory.bytes_per_process.length, 2);
    for (const b of memory.bytes_per_process) assert.ok(b >= 4_000_000, `a process holds its input: ${b} bytes`);
    assert.ok(memory.main_bytes > 0);
    assert.match(await page.textContent('#memory'), /the 2 processes hold [\d.]+ MB in all/, 'said on the page');
    // What a CPython process costs to start is said beside a run whose
    // processes started faster than a spawn (38.6 ms, lanes_sim::StartMethod).
    const startups = procs.traceEvents.filter((e) => e.name === 'startup').map((e) => e.dur / 1000).sort((a, b) => a - b);
    const median = startups[Math.floor(startups.length / 2)];
    const note = await page.$('#python-start');
    if (median < 38.6) {
      assert.match(await note.textContent(), /^A process started here in [\d.]+ ms: .* about 39 ms by spawn .*, 7\.5 ms by forkserver .* and 1\.2 ms by fork /);
    } else {
      assert.equal(note, null, `no note when a process took ${median} ms, longer than a spawn`);
    }
    assert.equal(await processWorkersLeft(page), 0, 'process workers end with the run');
    await screenshot(page, 'model-processes');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('four processes analyse audio clips sent to them', async () => {
    const { page, errors } = await open(browser.context,
      `${server.url}?model=sequential,processes&workload=audio&size=32&k=4&run=1`);
    await waitForRun(page);
    const [seq, procs] = await traces(page);
    assert.equal(procs.metadata.result, seq.metadata.result, 'processes agree with the sequential twin');
    const { inputs } = checkProcesses(procs, 4);
    // 8 one-second clips of 16 000 four-byte samples each.
    for (const m of inputs) assert.ok(m.args.bytes >= 8 * 64_000, `input of ${m.args.bytes} bytes`);
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('a process whose worker cannot load ends the run with an error that names it', async () => {
    const page = await browser.context.newPage();
    // The context's route, which also sees the requests the page's service
    // worker (registered by the earlier tests) makes for it; a page's does not.
    const gone = /\/process-worker\.js$/;
    await browser.context.route(gone, (route) => route.fulfill({ status: 404, body: 'gone' }));
    await page.goto(`${server.url}?model=processes&k=2&size=100000&run=1`);
    await waitForRun(page, 'error');
    assert.match(await page.textContent('.status'), /process [12] failed: .*could not be loaded/);
    assert.equal(await processWorkersLeft(page), 0, 'the other process is terminated too');
    await browser.context.unroute(gone);
    await page.close();
  });

  test('with warm=1 the next run reuses the processes; unticked, runs are cold again; Cancel ends idle ones too', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=processes&k=2&size=200000&warm=1&run=1`);
    await waitForRun(page);
    assert.ok(await page.isChecked('#warm'), 'the form shows warm=1');
    const run = async () => {
      const before = (await traces(page)).length;
      await page.click('#run-button');
      await page.waitForFunction((n) => window.lanes.traces().length > n, before, { timeout: 60_000 });
      await waitForRun(page);
      const last = (await traces(page)).at(-1);
      assert.equal(last.metadata.result, 17_984, 'primes below 200 000');
      return last;
    };
    const [first] = await traces(page);
    checkProcesses(first, 2);
    const startups = first.traceEvents.filter((e) => e.name === 'startup').map((e) => e.args?.label);
    assert.ok(startups.length === 2 && startups.every((l) => /kept running for the next run \(warm\)/.test(l)),
      startups.join('; '));
    assert.equal(await processWorkers(page, 2), 2, 'the processes stay up, idle');

    checkProcesses(await run(), 2, { warm: 2 });
    assert.equal(await processWorkers(page, 2), 2, 'the same two processes, no new ones');

    // More processes than are kept: the missing one starts cold.
    await page.fill('#k', '3');
    await page.dispatchEvent('#k', 'change');
    checkProcesses(await run(), 3, { warm: 2 });
    assert.equal(await processWorkers(page, 3), 3);

    // Warm off: the idle processes end at once, and runs start cold again.
    await page.uncheck('#warm');
    assert.doesNotMatch(page.url(), /warm=/);
    assert.equal(await processWorkersLeft(page), 0, 'unticking warm ends the idle processes');
    checkProcesses(await run(), 3);
    assert.equal(await processWorkersLeft(page), 0, 'cold processes end with their run');

    // Warm again, then Cancel a long run: no process is left, idle or not.
    await page.check('#warm');
    assert.match(page.url(), /warm=1/);
    await run();
    assert.equal(await processWorkers(page, 3), 3);
    await page.fill('#k', '2');
    await page.dispatchEvent('#k', 'change');
    await page.fill('#size', '16000000');
    await page.dispatchEvent('#size', 'change');
    await page.click('#run-button');
    await waitForRun(page, 'running');
    await page.click('#cancel-button');
    await waitForRun(page, 'cancelled');
    assert.equal(await processWorkersLeft(page), 0, 'Cancel ends the idle processes too');
    assert.deepEqual(errors, []);
    await page.close();
  });

  test('Cancel terminates every process at once, and the next run works', async () => {
    const { page, errors } = await open(browser.context, `${server.url}?model=processes&k=8&size=16000000&run=1`);
    await page.waitForEvent('worker', { predicate: (w) => WORKER_SCRIPT.test(w.url()), timeout: 60_000 });
    await page.click('#cancel-button');
    await waitForRun(page, 'cancelled');
    assert.equal(await processWorkersLeft(page), 0, 'no process worker outlives a cancelled run');
    assert.equal(await page.evaluate(() => window.lanes.processMemory()), null);
    await page.fill('#size', '100000');
    await page.dispatchEvent('#size', 'change');
    await page.click('#run-button');
    await waitForRun(page);
    const last = (await traces(page)).at(-1);
    assert.equal(last.metadata.model, 'processes');
    assert.equal(last.metadata.result, 9_592);
    assert.deepEqual(errors, []);
    await page.close();
  });
});
