// `make bench`, the audio lesson: underruns the AudioWorklet counted, per
// model and buffer size, beside k = 2 CPU-bound neighbours, in Chromium and
// Firefox (the engines that play it live; WebKit has no memory to share
// with its worklet). Silent mode, 4 notes (2 s) a run. Figures only, never
// pass/fail; one engine at a time, nothing else running. Adds
// `audio_<engine>_<model>_<frames>` figures to target/bench.json and prints
// a table.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, serve } from './support/harness.mjs';
import { launchEngine } from './support/engines.mjs';

const MODELS = ['gil', 'free', 'sequential', 'processes'];
const FRAMES = [128, 256, 512, 1024, 4096];
const engines = (process.env.LANES_ENGINES ?? 'chromium,firefox').split(',').filter((e) => e !== 'webkit');
const out = path.join(ROOT, 'target', 'bench.json');
const previous = existsSync(out) ? JSON.parse(readFileSync(out, 'utf8')) : {};

const server = await serve({ recordErrors: true });
const figures = {};
const rows = [];
try {
  for (const engine of engines) {
    const browser = await launchEngine(engine);
    try {
      const page = await browser.open(`${server.url}?workload=playback`);
      for (const model of MODELS) {
        const cells = [];
        for (const frames of FRAMES) {
          await page.goto(`${server.url}?workload=playback&model=${model}&k=2&size=${frames}&notes=4&sound=0&run=1`);
          await page.waitFor(() => ['done', 'error'].includes(document.querySelector('#run')?.dataset.runState), {
            timeout: 120_000, what: `${engine} ${model} ${frames}`,
          });
          const got = await page.evaluate(() => {
            const t = window.lanes.traces().at(-1);
            const audio = t?.traceEvents.filter((e) => e.cat === 'lanes.audio') ?? [];
            const due = audio.filter((e) => e.name === 'block due');
            return {
              state: document.querySelector('#run').dataset.runState,
              worklet: window.lanes.audio().underruns,
              blocks: due.length,
              worst: Math.max(0, ...due.map((e) => e.args.late_ms)),
            };
          });
          if (got.state !== 'done') {
            cells.push('failed');
            continue;
          }
          figures[`audio_${engine}_${model}_${frames}`] = got.worklet;
          cells.push(`${got.worklet}/${got.blocks} (${got.worst.toFixed(1)} ms)`);
        }
        rows.push(`| ${engine} | ${model} | ${cells.join(' | ')} |`);
      }
    } finally {
      await browser.close();
    }
  }
} finally {
  server.close();
}

console.log('\nAudio lesson: underruns / blocks (worst lateness), k = 2 CPU-bound neighbours, 2 s of sound');
console.log(`| engine | model | ${FRAMES.map((f) => `${f} frames`).join(' | ')} |`);
console.log(`|---|---|${FRAMES.map(() => '---:').join('|')}|`);
for (const row of rows) console.log(row);
writeFileSync(out, JSON.stringify({ ...previous, ...figures }, null, 2));
