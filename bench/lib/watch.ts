// Watch fan-out latency: W watchers hold a watch on one namespace's configmaps; a writer creates K
// configmaps one after another, timestamping each just before its POST; every watcher timestamps
// the ADDED event when its line arrives. Latency = arrival − write start, over all W×K deliveries.
// Before measuring, one probe object is written and awaited on every watcher, which proves all
// watches are registered (a watch response may carry no headers until its first event).
import type { Client } from './client.js';
import { msSince, summarize, type Summary } from './stats.js';
import { sleep } from './proc.js';

export interface WatchResult {
  watchers: number;
  writes: number;
  delivered: number;
  latency: Summary;
}

type Ev = { type: string; object: { metadata?: { name?: string } } };

const configMap = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data: { k: name } });

async function until(cond: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

export async function watchFanout(writer: Client, watcherClient: Client, ns: string, watchers: number, writes: number): Promise<WatchResult> {
  const sent = new Map<string, bigint>();
  const latencies: number[] = [];
  let probesSeen = 0;
  let failure: Error | undefined;
  const onEvent = (ev: Ev) => {
    const name = ev.object.metadata?.name;
    if (ev.type !== 'ADDED' || name === undefined) return;
    if (name === 'probe') probesSeen++;
    const t = sent.get(name);
    if (t !== undefined) latencies.push(msSince(t));
  };
  const closers: Array<() => void> = [];
  for (let i = 0; i < watchers; i++) {
    closers.push(watcherClient.watch(`/api/v1/namespaces/${ns}/configmaps?watch=true`, onEvent, (e) => (failure ??= e)));
  }
  try {
    await sleep(500);
    await writer.mustRequest('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap('probe'));
    await until(() => probesSeen === watchers || failure !== undefined, 20_000, `${watchers} watches to see the probe`);
    if (failure) throw failure;
    for (let i = 0; i < writes; i++) {
      const name = `w-${i}`;
      sent.set(name, process.hrtime.bigint());
      await writer.mustRequest('POST', `/api/v1/namespaces/${ns}/configmaps`, configMap(name));
    }
    await until(() => latencies.length === watchers * writes, 30_000, 'all watch deliveries').catch(() => {});
  } finally {
    for (const close of closers) close();
  }
  return { watchers, writes, delivered: latencies.length, latency: summarize(latencies) };
}
