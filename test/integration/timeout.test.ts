// A request that outlives its `timeout` query parameter gets 504 Timeout (as upstream's timeout
// filter), and the server keeps serving.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startTestServer } from './harness.js';
import type { Storage } from '../../src/storage/interface.js';

test('slow writes past ?timeout= answer 504 Timeout', async () => {
  let slow = false;
  const wrap = (s: Storage): Storage =>
    new Proxy(s, {
      get(target, prop, receiver) {
        const v = Reflect.get(target, prop, receiver);
        if (prop === 'create' && typeof v === 'function') {
          return async (...args: unknown[]) => {
            if (slow) await new Promise((r) => setTimeout(r, 400));
            return (v as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        return typeof v === 'function' ? v.bind(target) : v;
      },
    });
  const ts = await startTestServer(undefined, wrap);
  try {
    slow = true;
    const r = await ts.req('POST', '/api/v1/namespaces/default/configmaps?timeout=100ms', { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'slow' } });
    assert.equal(r.status, 504, r.text);
    assert.equal(r.json.reason, 'Timeout');
    slow = false;
    const ok = await ts.req('GET', '/api/v1/namespaces/default/configmaps');
    assert.equal(ok.status, 200);
  } finally {
    await ts.close();
  }
});
