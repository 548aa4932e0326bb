// The player of the audio lesson: an AudioWorkletProcessor that plays what
// a producer writes into a ring buffer in shared memory, and logs when each
// block was due and how late it came.
//
// The ring (lanes_runtime::AudioRing, which documents it) lives in the
// producer's wasm memory: a header of 8 u32 slots (WRITE, READ, CAPACITY,
// BLOCK, DONE, STARTED, FINISHED) and CAPACITY mono f32 samples, frame i at
// data[i % CAPACITY]. The producer publishes whole blocks (WRITE moves by
// BLOCK); this player takes 128 frames a call and stores READ.
//
// Semantics (lanes_trace::Audio): the player starts once the ring is full
// (the producer's prefill). A block is due when the player first needs one
// of its frames; if it is not in the ring then, the player plays silence
// until it is — an underrun — and the block is late by that silence. Later
// blocks come that much later; nothing is skipped.
//
// Times are Date.now() (ms): an AudioWorkletGlobalScope has no
// performance.now(); the page maps them onto its own clock.
//
// Messages in: {type:'play', id, buffer, header, data, gain} starts a
//   playback; {type:'gain', gain}; {type:'stop'} ends the playback in
//   progress.
// Messages out: {type:'burst', frames} (what the device takes at once,
//   when it changes); {type:'underruns', id, count} (when it changes);
//   {type:'done', id, due, late, fill, stopped}: each
//   block's due time and silence (ms) in play order, and [ms, frames] fill
//   samples.
const WRITE = 0;
const READ = 1;
const CAPACITY = 2;
const BLOCK = 3;
const DONE = 4;
const STARTED = 5;
const FINISHED = 6;
const QUANTUM = 128;
// Calls this close together (ms) belong to one burst of the device.
const BURST_GAP_MS = 2;
// Bursts seen before the burst size is told, and kept for its maximum.
const BURSTS_KEPT = 64;

class LanesPlayer extends AudioWorkletProcessor {
  constructor() {
    super();
    this.gain = 0;
    this.play = null;
    this.lastCall = -Infinity;
    this.inBurst = 0;
    this.bursts = [];
    this.toldBurst = 0;
    this.port.onmessage = (e) => this.message(e.data);
  }

  message(m) {
    if (m.type === 'gain') {
      this.gain = m.gain;
    } else if (m.type === 'play') {
      if (this.play) this.finish(true);
      this.gain = m.gain;
      this.play = {
        id: m.id,
        h: new Int32Array(m.buffer, m.header, 8),
        data: new Float32Array(m.buffer, m.data, new Int32Array(m.buffer, m.header, 8)[CAPACITY]),
        started: false,
        waiting: false,
        due: [],
        late: [],
        fill: [],
        underruns: 0,
      };
    } else if (m.type === 'stop') {
      if (this.play) this.finish(true);
    }
  }

  // Learns how many frames the device takes at once.
  burst(now) {
    if (now - this.lastCall >= BURST_GAP_MS) {
      if (this.inBurst > 0) {
        this.bursts.push(this.inBurst * QUANTUM);
        if (this.bursts.length > BURSTS_KEPT) this.bursts.shift();
        // The usual burst, not the largest: two of the device's calls that
        // a busy machine runs back to back are a hiccup of the device, not
        // what it takes at once.
        const sorted = [...this.bursts].sort((a, b) => a - b);
        const usual = sorted[Math.floor(sorted.length * 0.75)];
        if (this.bursts.length >= 8 && usual !== this.toldBurst) {
          this.toldBurst = usual;
          this.port.postMessage({ type: 'burst', frames: usual });
        }
      }
      this.inBurst = 0;
    }
    this.inBurst += 1;
    this.lastCall = now;
  }

  finish(stopped) {
    const p = this.play;
    this.play = null;
    // The last look at the ring: a producer in a process frees it after this.
    Atomics.store(p.h, FINISHED, 1);
    this.port.postMessage({
      type: 'done', id: p.id, due: p.due, late: p.late, fill: p.fill, stopped,
    });
  }

  process(inputs, outputs) {
    const now = Date.now();
    this.burst(now);
    const out = outputs[0];
    const p = this.play;
    if (!p) return true;
    const h = p.h;
    const capacity = h[CAPACITY];
    const block = h[BLOCK];
    const write = Atomics.load(h, WRITE) >>> 0;
    let read = Atomics.load(h, READ) >>> 0;
    let avail = (write - read) >>> 0;
    const done = Atomics.load(h, DONE) === 1;
    if (!p.started) {
      // Full: the producer cannot add another block (the ring holds two
      // blocks and a burst, so it is full a little short of its capacity).
      if (capacity - avail >= block && !done) return true;
      p.started = true;
      Atomics.store(h, STARTED, 1);
    }
    if (avail === 0 && done) {
      this.finish(false);
      return true;
    }
    if (read % block === 0 && p.due.length === read / block) {
      // The first frame of the next block is needed now.
      p.due.push(now);
      p.late.push(0);
      p.waiting = avail < QUANTUM;
      if (p.waiting) {
        p.underruns += 1;
        this.port.postMessage({ type: 'underruns', id: p.id, count: p.underruns });
      }
    }
    p.fill.push(now, avail);
    if (avail >= QUANTUM) {
      if (p.waiting) {
        p.late[p.late.length - 1] = Math.max(now - p.due[p.due.length - 1], 0.001);
        p.waiting = false;
      }
      const from = read % capacity;
      const samples = p.data.subarray(from, from + QUANTUM);
      for (const channel of out) {
        for (let i = 0; i < QUANTUM; i++) channel[i] = samples[i] * this.gain;
      }
      read = (read + QUANTUM) >>> 0;
      Atomics.store(h, READ, read | 0);
      avail -= QUANTUM;
      p.fill.push(now, avail);
    }
    return true;
  }
}

registerProcessor('lanes-player', LanesPlayer);
