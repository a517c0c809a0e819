// `npm ci` refuses a lock file that lacks any package the dependency tree names, even an optional
// one that does not exist: node-unix-socket names platform packages that were never published, so
// package-lock.json carries hand-added entries for them (os/cpu set, so npm skips them here). A
// plain `npm install` drops those entries again; this test says so before CI does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface LockEntry {
  optionalDependencies?: Record<string, string>;
}

test('package-lock.json lists every optional dependency node-unix-socket names', () => {
  const lock = JSON.parse(readFileSync(resolve(import.meta.dirname, '../../package-lock.json'), 'utf8')) as { packages: Record<string, LockEntry> };
  const names = Object.keys(lock.packages['node_modules/node-unix-socket']?.optionalDependencies ?? {});
  assert.ok(names.length > 0, 'node-unix-socket is in the lock file with its optional dependencies');
  const missing = names.filter((n) => !lock.packages[`node_modules/${n}`]);
  assert.deepEqual(missing, [], 'add lock entries {version, os, cpu, optional: true} for these (see docs/kubelet.md)');
});
