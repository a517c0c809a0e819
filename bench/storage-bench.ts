// Micro-benchmark of the storage layer alone (no HTTP): creates/s, get+update/s, list of 10k keys
// from SQLite and from the watch cache, and fan-out to 100 watchers. Run: node dist/bench/storage-bench.js
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStorage } from '../src/storage/sqlite/index.js';
import { createCacher } from '../src/storage/cacher/index.js';

const N = 10_000;
const dir = mkdtempSync(join(tmpdir(), 'skiff-storage-bench-'));
const ms = (t: number) => (performance.now() - t).toFixed(1);
try {
  const inner = openSqliteStorage(join(dir, 'state.db'));
  const cacher = createCacher(inner);
  await cacher.ready();
  const value = JSON.stringify({ kind: 'Pod', metadata: { name: 'x', labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: 'nginx:1.25' }] }, pad: 'x'.repeat(1500) });
  const key = (i: number) => `/registry/core/pods/ns${i % 10}/pod-${i}`;
  await cacher.list('/registry/core/pods/'); // build the pods cache so writes feed it
  // 16 concurrent writers, like the HTTPS benchmark's 16 clients (their writes share commits).
  let t = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: 16 }, async () => {
    while (next < N) await cacher.create(key(next++), value);
  }));
  const createMs = performance.now() - t;
  console.log(`create x16  ${N} in ${createMs.toFixed(0)} ms = ${Math.round((N / createMs) * 1000)}/s`);
  t = performance.now();
  for (let i = 0; i < 1000; i++) await cacher.create(`/registry/core/configmaps/seq/c${i}`, value);
  console.log(`create x1   1000 in ${ms(t)} ms (sequential latency incl. commit)`);
  t = performance.now();
  for (let i = 0; i < N; i += 2) {
    const kv = (await cacher.get(key(i)))!;
    await cacher.update(key(i), value + ' ', kv.modRevision);
  }
  console.log(`get+update  ${N / 2} in ${ms(t)} ms`);
  for (const [name, s] of [['sqlite', inner], ['cacher', cacher]] as const) {
    t = performance.now();
    const r = await s.list('/registry/core/pods/');
    console.log(`list ${name}  ${r.items.length} keys in ${ms(t)} ms`);
    t = performance.now();
    const p = await s.list('/registry/core/pods/', { limit: 500 });
    console.log(`page ${name}  ${p.items.length} (+${p.remaining}) in ${ms(t)} ms`);
  }
  const lat: number[] = [];
  const sent = new Map<number, number>();
  const handles = Array.from({ length: 100 }, () =>
    cacher.watch('/registry/core/pods/', { fromRevision: 0, onEvent: (ev) => void lat.push(performance.now() - sent.get(ev.kv.modRevision)!) }),
  );
  t = performance.now();
  for (let i = 0; i < 1000; i++) {
    const rev = (await cacher.currentRevision()) + 1;
    sent.set(rev, performance.now());
    await cacher.create(`/registry/core/pods/w/p${i}`, value);
  }
  lat.sort((a, b) => a - b);
  console.log(`watch fan-out 100 watchers x 1000 events in ${ms(t)} ms, p99 ${lat[Math.floor(lat.length * 0.99)]!.toFixed(3)} ms`);
  for (const h of handles) h.stop();
  await cacher.close();
} finally {
  rmSync(dir, { recursive: true, force: true });
}
