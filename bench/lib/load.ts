// Closed-loop load: N concurrent clients each issue their next request as soon as the previous one
// answers, until `total` requests are done. Returns per-request latencies and the wall time, from
// which throughput = total / wall time.
import type { Client } from './client.js';
import { msSince, summarize, type Summary } from './stats.js';

export interface LoadResult {
  total: number;
  wallMs: number;
  perSecond: number;
  latency: Summary;
  errors: number;
}

export async function createLoop(
  client: Client,
  total: number,
  concurrency: number,
  path: (i: number) => string,
  body: (i: number) => unknown,
): Promise<LoadResult> {
  const latencies: number[] = [];
  let next = 0;
  let errors = 0;
  let firstError: string | undefined;
  const start = process.hrtime.bigint();
  const worker = async () => {
    while (next < total) {
      const i = next++;
      const t = process.hrtime.bigint();
      const r = await client.request('POST', path(i), body(i)).catch((e: Error) => ({ status: 0, body: e.message }));
      latencies.push(msSince(t));
      if (r.status !== 201) {
        errors++;
        firstError ??= `${r.status} ${r.body.slice(0, 200)}`;
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  const wallMs = msSince(start);
  if (errors > 0) process.stderr.write(`  ${errors} of ${total} creates failed; first: ${firstError}\n`);
  return { total, wallMs, perSecond: (total / wallMs) * 1000, latency: summarize(latencies), errors };
}
