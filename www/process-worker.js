// One Lanes "process": a module worker with its own instance of the page's
// wasm module and its own memory, as a multiprocessing worker is a separate
// interpreter. The page (crates/web/src/processes.rs) starts one per process
// for every run and terminates it when its report is in; with warm=1 it keeps
// it alive instead and sends it the next run's 'run' (no second 'init').
//
// Messages, page -> worker:
//   {type: 'init', module}       module: the page's compiled WebAssembly.Module.
//                                Posted right after `new Worker`. No memory is
//                                passed, so the glue makes a fresh one.
//   {type: 'run', job, payload}  job: JSON string (what to do); payload: a
//                                Uint8Array of input data, copied by the
//                                structured clone (never transferred).
//   {type: 'trap'}               Traps this worker's wasm (an injected fault,
//                                for tests: window.lanes.injectFault).
//   {type: 'solo', job}          A whole scenario on this worker's one thread
//                                (a page without cross-origin isolation has
//                                no thread pool; crates/web/src/solo.rs).
//                                job: JSON string; the result's report is
//                                the run's trace as Chrome Trace Event JSON.
// Messages, worker -> page (times in µs on the page clock,
// (performance.timeOrigin + performance.now()) * 1000):
//   {type: 'ready', at_us}                  the instance is up.
//   {type: 'result', received_us, report}   received_us: when 'run' arrived;
//                                           report: JSON string from
//                                           lanes_process_run.
//   {type: 'failed', message, trapped}      init or the job failed; trapped: its
//                                           wasm trapped (the instance is dead).
import init, { lanes_process_run, lanes_solo_run, lanes_trap } from './pkg/lanes.js';

const nowUs = () => (performance.timeOrigin + performance.now()) * 1000;

self.onmessage = async ({ data }) => {
  try {
    if (data.type === 'init') {
      await init({ module_or_path: data.module });
      self.postMessage({ type: 'ready', at_us: nowUs() });
    } else if (data.type === 'run') {
      const received_us = nowUs();
      const report = lanes_process_run(data.job, data.payload);
      self.postMessage({ type: 'result', received_us, report });
    } else if (data.type === 'solo') {
      const received_us = nowUs();
      const report = lanes_solo_run(data.job);
      self.postMessage({ type: 'result', received_us, report });
    } else if (data.type === 'trap') {
      lanes_trap();
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
