import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printManager } from './conflicts.js';
import { FieldSet } from './fieldset.js';
import type { ManagerEntry } from './managed.js';

test('printManager as upstream: Apply managers bare, Update managers with their version, subresources named', () => {
  const e = (over: Partial<ManagerEntry>): ManagerEntry => ({ manager: 'm', operation: 'Update', apiVersion: 'apps/v1', set: new FieldSet(), ...over });
  const cases: [ManagerEntry, string][] = [
    [e({ operation: 'Apply' }), '"m"'],
    [e({}), '"m" using apps/v1'],
    [e({ manager: 'kubectl', subresource: 'scale' }), '"kubectl" with subresource "scale" using apps/v1'],
    [e({ operation: 'Apply', subresource: 'status' }), '"m" with subresource "status"'],
  ];
  for (const [entry, want] of cases) assert.equal(printManager(entry), want);
});
