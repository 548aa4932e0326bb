// A Lanes worker: one "process" (its own instance of the worker module and
// its own memory, as a multiprocessing worker is a separate interpreter),
// the solo worker of a page without a thread pool, or a trace import. The
// page (crates/web/src/processes.rs, solo.rs, import.rs) starts it and
// terminates it when its answer is in; with warm=1 a process is kept alive
// and sent the next run's 'run' (no second 'init').
//
// A classic script: the build (make build) puts the worker module's
// wasm-bindgen glue (`--target no-modules`, which defines `wasm_bindgen`)
// in front of this file, so a worker fetches this one script and nothing
// else, and instantiates the module the page compiled once.
//
// Messages, page -> worker:
//   {type: 'init', module}       module: the worker module, compiled by the
//                                page (a WebAssembly.Module). Posted right
//                                after `new Worker`. No memory is passed, so
//                                the glue makes a fresh one.
//   {type: 'run', job, payload}  job: JSON string (what to do); payload: a
//                                Uint8Array of input data, copied by the
//                                structured clone (never transferred).
//   {type: 'solo', job}          A whole scenario on this worker's one thread
//                                (a page without cross-origin isolation has
//                                no thread pool). job: JSON string; the
//                                result's report is the run's trace as
//                                lanes_trace::encode bytes (a Uint8Array).
//   {type: 'simulate', job}      A simulation, for a page without a pool.
//                                job: JSON string (lanes_sim::SimJob); the
//                                result's report is its trace, as for 'solo'.
//   {type: 'import', bytes}      A trace file's bytes (an ArrayBuffer,
//                                transferred). Progress messages follow; the
//                                result's report is {traces, summary}: the
//                                traces as lanes_trace::encode bytes, the
//                                import's report in words.
//   {type: 'playback', job}      The audio lesson's producer: job: JSON string
//                                (lanes_runtime's PlaybackJob). The worker
//                                first answers 'ring', then produces the
//                                melody into it; the result's report is a
//                                LaneReport (JSON string).
//   {type: 'neighbour', stop}    A CPU-bound neighbour of the audio lesson:
//                                counts primes until stop[0] (an Int32Array
//                                on a SharedArrayBuffer) is 1; the result's
//                                report is a LaneReport (JSON string).
//   {type: 'trap'}               Traps this worker's wasm (an injected fault,
//                                for tests: window.lanes.injectFault).
// Messages, worker -> page (times in µs on the page clock,
// (performance.timeOrigin + performance.now()) * 1000):
//   {type: 'ready', at_us}                  the instance is up.
//   {type: 'ring', buffer, header, data}    the producer's ring: this
//                                           instance's memory (a
//                                           SharedArrayBuffer) and the
//                                           byte addresses of its header and
//                                           samples, for the page's worklet.
//   {type: 'progress', phase, done, total}  an import's progress: phase is
//                                           'reading' or 'building'.
//   {type: 'result', received_us, report}   received_us: when the job
//                                           arrived; report: see above
//                                           (a process's: a JSON string).
//   {type: 'failed', message, trapped}      init or the job failed; trapped: its
//                                           wasm trapped (the instance is dead).
/* global wasm_bindgen */
'use strict';

const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'init') {
      await wasm_bindgen({ module_or_path: data.module });
      self.postMessage({ type: 'ready', at_us: nowUs() });
    } else if (data.type === 'run') {
      const received_us = nowUs();
      const report = wasm_bindgen.lanes_process_run(data.job, data.payload);
      self.postMessage({ type: 'result', received_us, report });
    } else if (data.type === 'solo') {
      const received_us = nowUs();
      const report = wasm_bindgen.lanes_solo_run(data.job);
      self.postMessage({ type: 'result', received_us, report }, [report.buffer]);
    } else if (data.type === 'simulate') {
      const received_us = nowUs();
      const report = wasm_bindgen.lanes_simulate(data.job);
      self.postMessage({ type: 'result', received_us, report }, [report.buffer]);
    } else if (data.type === 'import') {
      const received_us = nowUs();
      const progress = (phase, done, total) => self.postMessage({ type: 'progress', phase, done, total });
      const report = wasm_bindgen.lanes_import(new Uint8Array(data.bytes), progress);
      self.postMessage({ type: 'result', received_us, report }, [report.traces.buffer]);
    } else if (data.type === 'playback') {
      const received_us = nowUs();
      const onRing = (buffer, header, samples) => self.postMessage({ type: 'ring', buffer, header, data: samples });
      const report = wasm_bindgen.lanes_playback(data.job, onRing);
      self.postMessage({ type: 'result', received_us, report });
    } else if (data.type === 'neighbour') {
      const received_us = nowUs();
      const report = wasm_bindgen.lanes_neighbour(data.stop);
      self.postMessage({ type: 'result', received_us, report });
    } else if (data.type === 'trap') {
      wasm_bindgen.lanes_trap();
    } else {
      throw new Error(`unknown message type ${JSON.stringify(data.type)}`);
    }
  } catch (error) {
    self.postMessage({
      type: 'failed',
      message: error instanceof Error ? error.message : String(error),
      trapped: error instanceof WebAssembly.RuntimeError,
    });
  }
};
