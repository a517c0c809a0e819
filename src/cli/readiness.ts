// Polls the API server's /readyz over HTTPS with the admin client certificate until it answers
// 200 — the moment `skiff server` announces it is ready (and what the benchmark times).
import { request } from 'node:https';

export interface ReadyzTarget {
  url: string;
  ca: string;
  cert: string;
  key: string;
}

function probe(t: ReadyzTarget): Promise<boolean> {
  return new Promise((ok) => {
    const req = request(new URL('/readyz', t.url), { ca: t.ca, cert: t.cert, key: t.key, timeout: 2000 }, (res) => {
      res.resume();
      res.on('end', () => ok(res.statusCode === 200));
    });
    req.on('error', () => ok(false));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}

/** Resolves once /readyz answers 200; rejects after `timeoutMs`. */
export async function waitReady(t: ReadyzTarget, timeoutMs = 60_000, intervalMs = 50): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe(t)) return;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`${t.url}/readyz did not answer 200 within ${timeoutMs} ms`);
}
