// Which Ingresses the controller takes: class name, legacy annotation, default class.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Ingress, IngressClass } from 'kubernetes-types/networking/v1.js';
import { DEFAULT_CLASS_ANNOTATION, INGRESS_CONTROLLER_NAME, LEGACY_CLASS_ANNOTATION, ingressClassFor, isHandledIngress } from './class.js';

const ing = (className?: string, legacy?: string): Ingress => ({
  metadata: { name: 'i', ...(legacy !== undefined ? { annotations: { [LEGACY_CLASS_ANNOTATION]: legacy } } : {}) },
  spec: { ...(className ? { ingressClassName: className } : {}) },
});

test('class selection', () => {
  const plain = ingressClassFor('skiff', false);
  const dflt = ingressClassFor('skiff', true);
  const foreign: IngressClass = { metadata: { name: 'skiff' }, spec: { controller: 'example.com/other' } };
  assert.equal(dflt.metadata?.annotations?.[DEFAULT_CLASS_ANNOTATION], 'true');
  assert.equal(dflt.spec?.controller, INGRESS_CONTROLLER_NAME);
  const cases: Array<[Ingress, IngressClass | undefined, boolean, string]> = [
    [ing('skiff'), plain, true, 'named class'],
    [ing('skiff'), undefined, true, 'named class before the IngressClass exists'],
    [ing('nginx'), dflt, false, 'another class'],
    [ing(), plain, false, 'no class, ours not default'],
    [ing(), dflt, true, 'no class, ours default'],
    [ing(), undefined, false, 'no class, no IngressClass'],
    [ing(undefined, 'skiff'), plain, true, 'legacy annotation'],
    [ing('skiff', 'nginx'), plain, false, 'legacy annotation wins over the field'],
    [ing(undefined, 'nginx'), dflt, false, 'legacy annotation of another class'],
    [ing('skiff'), foreign, false, 'class name owned by another controller'],
  ];
  for (const [i, c, want, why] of cases) assert.equal(isHandledIngress(i, 'skiff', c), want, why);
});
