// The UI-responsiveness lesson: the page's own frames as a lane. Work on the
// main thread freezes the page (long frames); in workers it does not.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { browserSuite, laneNames, open, screenshot, traces, waitForRun } from './support/harness.mjs';

/** Frame spans (the UI lane) longer than `ms`. */
function longFrames(trace, ms = 50) {
  const ui = trace.traceEvents.find((e) => e.ph === 'M' && e.name === 'thread_name' && e.args.kind === 'ui');
  return trace.traceEvents.filter((e) => e.ph === 'X' && e.tid === ui.tid && e.dur > ms * 1000).length;
}

describe('UI responsiveness', () => {
  const { server, browser } = browserSuite();

  test('long frames only when the work is on the main thread', async () => {
    const { page, errors } = await open(
      browser.context,
      `${server.url}?model=sequential,free&workload=ui&k=2&size=3000000&run=1`,
    );
    await waitForRun(page);
    const [main, workers] = await traces(page);
    assert.deepEqual(laneNames(main), ['Page frames', 'Main thread (page)']);
    assert.deepEqual(laneNames(workers), ['Page frames', 'Thread 1', 'Thread 2']);
    assert.ok(longFrames(main) >= 1, 'the page froze while the main thread worked');
    assert.equal(longFrames(workers, 150), 0, 'the page kept drawing while workers worked');
    assert.equal(main.metadata.result, workers.metadata.result);
    assert.match(await page.textContent('#results'), /1 long frame/);
    await screenshot(page, 'ui-lesson');
    assert.deepEqual(errors, []);
    await page.close();
  });
});
