// The example deck: reveal.js (vendored from npm, same origin) and the
// remote control of the Lanes frame on each slide.
//
// A Lanes slide is a <section class="lanes"> with one iframe and an
// <output class="lanes-state">. The R key posts {type: 'lanes:run'} to the
// frame of the slide on show; the frame answers {type: 'lanes:ready'} once
// it has loaded and {type: 'lanes:state', state, lesson, runs} whenever its
// run state changes, which the output shows (and carries as data-state,
// data-runs and data-ready).
import Reveal from './vendor/reveal/reveal.mjs';

const ORIGIN = window.location.origin;

/** Words for each run state a frame reports. */
const STATE_WORDS = {
  loading: 'loading…',
  ready: 'ready',
  waiting: 'starting…',
  idle: 'ready',
  running: 'running…',
  done: 'done',
  error: 'error: see the timeline',
  cancelled: 'cancelled',
};

/** One Lanes slide: its frame, its state line and what the frame last said. */
class LanesSlide {
  constructor(section) {
    this.section = section;
    this.iframe = section.querySelector('iframe');
    this.output = section.querySelector('.lanes-state');
    this.ready = false;
    this.pending = null;
    this.show('loading');
    // reveal.js sets src when the slide is shown and removes it when the
    // slide is left: each load is a fresh page that says ready again.
    new MutationObserver(() => this.unload()).observe(this.iframe, { attributes: true, attributeFilter: ['src'] });
  }

  unload() {
    this.ready = false;
    this.pending = null;
    this.show('loading');
  }

  /** Posts a command to the frame, or keeps it until the frame is ready. */
  post(type) {
    if (!this.iframe.getAttribute('src')) return;
    if (!this.ready) {
      this.pending = type;
      this.show('waiting');
      return;
    }
    this.iframe.contentWindow.postMessage({ type }, ORIGIN);
  }

  /** Handles a message from this slide's frame. */
  receive(data) {
    if (data.type === 'lanes:ready') {
      this.ready = true;
      this.show('ready');
      const pending = this.pending;
      this.pending = null;
      if (pending) this.post(pending);
    } else if (data.type === 'lanes:state' && typeof data.state === 'string') {
      this.show(data.state, Number.isInteger(data.runs) ? data.runs : undefined);
    }
  }

  show(state, runs) {
    const out = this.output;
    out.dataset.state = state;
    if (this.ready) out.dataset.ready = 'true';
    else delete out.dataset.ready;
    if (runs === undefined) delete out.dataset.runs;
    else out.dataset.runs = String(runs);
    const words = STATE_WORDS[state] ?? state;
    out.textContent = state === 'done' && runs ? `${words} (${runs} ${runs === 1 ? 'run' : 'runs'})` : words;
  }
}

const slides = [...document.querySelectorAll('section.lanes')].map((section) => new LanesSlide(section));

window.addEventListener('message', (event) => {
  if (event.origin !== ORIGIN || typeof event.data !== 'object' || event.data === null) return;
  const slide = slides.find((s) => s.iframe.contentWindow === event.source);
  if (slide) slide.receive(event.data);
});

/** The Lanes slide on show, if the current slide is one. */
function current() {
  return slides.find((s) => s.section === Reveal.getCurrentSlide());
}

// Keys stay with the deck: a click in a frame (its Run button, say) would
// leave the keyboard focus in it, and the arrows would then step through the
// tour inside the frame instead of moving to the next slide. So after a
// click the focus comes back; tabbing into a frame keeps it there.
let tabbedAt = -Infinity;
window.addEventListener('keydown', (event) => {
  if (event.key === 'Tab') tabbedAt = performance.now();
});
window.addEventListener('blur', () => {
  setTimeout(() => {
    const active = document.activeElement;
    if (active?.tagName === 'IFRAME' && performance.now() - tabbedAt > 1000) active.blur();
  }, 0);
});

const status = document.getElementById('isolation-status');
if (status) {
  status.dataset.isolated = String(window.crossOriginIsolated);
  status.textContent = window.crossOriginIsolated
    ? 'This deck is cross-origin isolated: its frames run real threads.'
    : 'This deck is not cross-origin isolated: its frames simulate free threads and say so in a banner.';
}

Reveal.initialize({
  width: 960,
  height: 540,
  margin: 0.04,
  hash: true,
  center: true,
  // Arrows at the sides, beside the 16:9 frames rather than over their corner.
  controlsLayout: 'edges',
  transition: 'fade',
  transitionSpeed: 'fast',
  // Frames load only while their slide is shown (and are unloaded when it
  // is left): a Lanes page holds a pool of threads and a few MB of memory.
  preloadIframes: false,
  viewDistance: 2,
}).then(() => {
  Reveal.addKeyBinding(
    { keyCode: 82, key: 'R', description: 'Run the timeline on this slide' },
    () => current()?.post('lanes:run'),
  );
  document.documentElement.dataset.deck = 'ready';
});

// The deck's automation surface (tests, a presenter's console).
window.Reveal = Reveal;
