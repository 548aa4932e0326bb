import { launchEngine } from './support/engines.mjs';
import { serve } from './support/harness.mjs';
const srv = await serve({ dir: '/tmp/probe', recordErrors: true });
for (const e of (process.env.E ?? 'chromium,firefox,webkit').split(',')) {
  const b = await launchEngine(e);
  try {
    const p = await b.open(srv.url + 'index.html');
    const r = await p.evaluate(() => window.probe());
    console.log(e, JSON.stringify(r));
  } catch (err) { console.log(e, 'ERR', err.message); }
  await b.close();
}
srv.close();
