// Loads the Lanes wasm module. The module's start function mounts the page;
// the rayon worker threads import the same glue file and skip it.
import init from './pkg/lanes.js';

function fail(error) {
  const app = document.getElementById('app');
  const message = document.createElement('p');
  message.className = 'banner warn';
  message.setAttribute('role', 'alert');
  message.textContent =
    'Lanes could not start: ' + (error && error.message ? error.message : String(error)) +
    '. It needs a browser with WebAssembly threads (a recent Chrome, Edge or Firefox) and must be served over HTTP, not opened as a file.';
  app.replaceChildren(message);
}

init().catch(fail);
