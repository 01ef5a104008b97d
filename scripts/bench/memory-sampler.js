/**
 * Benchmarks only: preloaded into a panel process (`NODE_OPTIONS=--require .../memory-sampler.js`) to see
 * where its resident memory goes. Plain JavaScript so that the panel loads no TypeScript compiler for it.
 *
 * Every MEMORY_SAMPLE_MS (default 200) it reads process.memoryUsage() and V8's heap spaces; it keeps the
 * sample at the highest RSS, the highest value of each figure and one sample a second, and rewrites them as JSON to
 * `${MEMORY_SAMPLE_FILE}.<pid>.json` every second (the panel may be killed without a chance to write at exit).
 * Figures are in MB. `rssOutsideHeap` is RSS minus V8's committed heap and minus `external` (Buffers and other
 * memory V8 is told about): what remains is code, thread stacks and what malloc keeps but nobody uses.
 */
'use strict';
const { writeFileSync } = require('node:fs');
const v8 = require('node:v8');

const file = process.env.MEMORY_SAMPLE_FILE;
if (file) {
  const everyMs = Number(process.env.MEMORY_SAMPLE_MS || 200);
  const mb = (bytes) => Math.round((bytes / 1048576) * 10) / 10;
  const sample = () => {
    const usage = process.memoryUsage();
    const spaces = Object.fromEntries(
      v8.getHeapSpaceStatistics().map((space) => [space.space_name, mb(space.space_size)]),
    );
    return {
      rss: mb(usage.rss),
      heapTotal: mb(usage.heapTotal),
      heapUsed: mb(usage.heapUsed),
      external: mb(usage.external),
      arrayBuffers: mb(usage.arrayBuffers),
      rssOutsideHeap: mb(usage.rss - usage.heapTotal - usage.external),
      spaces,
    };
  };
  let atPeakRss = null;
  const peaks = {};
  let samples = 0;
  /** One sample a second: RSS, committed heap, external. */
  const series = [];
  const take = () => {
    const now = sample();
    if (samples++ % Math.round(1000 / everyMs) === 0) series.push([now.rss, now.heapTotal, now.external]);
    if (!atPeakRss || now.rss > atPeakRss.rss) atPeakRss = now;
    for (const [name, value] of Object.entries(now)) {
      if (typeof value === 'number') peaks[name] = Math.max(peaks[name] ?? 0, value);
    }
    for (const [name, value] of Object.entries(now.spaces)) {
      peaks[`space:${name}`] = Math.max(peaks[`space:${name}`] ?? 0, value);
    }
  };
  const write = () =>
    writeFileSync(`${file}.${process.pid}.json`, JSON.stringify({ samples, atPeakRss, peaks, series }));
  setInterval(take, everyMs).unref();
  setInterval(write, 1000).unref();
}
