// Watch fan-out latency: W watchers hold a watch on one namespace's configmaps; a writer creates K
// configmaps one after another, timestamping each just before its POST; every watcher timestamps
// the ADDED event when its line arrives. Latency = arrival − write start, over all W×K deliveries.
import type { Client } from './client.js';
import { msSince, summarize, type Summary } from './stats.js';
import { sleep } from './proc.js';

export interface WatchResult {
  watchers: number;
  writes: number;
  delivered: number;
  latency: Summary;
}

export async function watchFanout(writer: Client, watcherClient: Client, ns: string, watchers: number, writes: number): Promise<WatchResult> {
  const sent = new Map<string, bigint>();
  const latencies: number[] = [];
  const closers: Array<() => void> = [];
  const onEvent = (ev: { type: string; object: { metadata?: { name?: string } } }) => {
    const name = ev.object.metadata?.name;
    const t = name === undefined ? undefined : sent.get(name);
    if (ev.type === 'ADDED' && t !== undefined) latencies.push(msSince(t));
  };
  // Open watches a few at a time so connection setup does not overlap the measured writes.
  for (let i = 0; i < watchers; i += 10) {
    const batch = Array.from({ length: Math.min(10, watchers - i) }, () =>
      watcherClient.watch(`/api/v1/namespaces/${ns}/configmaps?watch=true&allowWatchBookmarks=false`, onEvent),
    );
    closers.push(...(await Promise.all(batch)));
  }
  await sleep(200);
  for (let i = 0; i < writes; i++) {
    const name = `w-${i}`;
    sent.set(name, process.hrtime.bigint());
    await writer.mustRequest('POST', `/api/v1/namespaces/${ns}/configmaps`, {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name },
      data: { i: String(i) },
    });
  }
  const want = watchers * writes;
  const deadline = Date.now() + 30_000;
  while (latencies.length < want && Date.now() < deadline) await sleep(20);
  for (const close of closers) close();
  return { watchers, writes, delivered: latencies.length, latency: summarize(latencies) };
}
