// Table tests for makeEnvironment: envFrom, expansion order, key refs, optional, fieldRef,
// resourceFieldRef (with node-allocatable defaults and divisors), and upstream's error messages.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Container, EnvVar, Pod } from 'kubernetes-types/core/v1.js';
import { staticObjectSource } from '../pod/object-source.js';
import { EnvVarError } from './errors.js';
import { isEnvVarName, makeEnvironment, type EnvContext } from './make-environment.js';

const b64 = (s: string) => Buffer.from(s).toString('base64');
const source = staticObjectSource({
  configMaps: [{ metadata: { namespace: 'default', name: 'cfg' }, data: { A: 'a', B: 'b-$(A)', 'bad key': 'x', '1NUM': 'n' } }],
  secrets: [{ metadata: { namespace: 'default', name: 'sec' }, data: { PASS: b64('hunter2'), TOKEN: b64('t') } }],
});
const pod: Pod = {
  metadata: { name: 'p', namespace: 'default', uid: 'u-1', labels: { app: 'web', tier: 'fe' }, annotations: { note: 'say "hi"' } },
  spec: { nodeName: 'n1', serviceAccountName: 'sa', containers: [] },
};
const ctx: EnvContext = { source, podIP: '10.42.0.5', podIPs: ['10.42.0.5', 'fd00::5'], hostIP: '192.168.1.2', nodeName: 'n1', nodeAllocatable: { cpu: '2', memory: '4Gi' } };

async function envOf(c: Partial<Container>, extra: Partial<EnvContext> = {}) {
  const container: Container = { name: 'c', ...c };
  const list = await makeEnvironment({ ...pod, spec: { ...pod.spec!, containers: [container] } }, container, { ...ctx, ...extra });
  return Object.fromEntries(list.map((e) => [e.name, e.value]));
}
const fieldEnv = (fieldPath: string): EnvVar => ({ name: 'V', valueFrom: { fieldRef: { fieldPath } } });

test('envFrom with prefix; invalid names skipped and reported; env overrides envFrom', async () => {
  let skipped: string[] = [];
  const got = await envOf(
    { envFrom: [{ configMapRef: { name: 'cfg' } }, { secretRef: { name: 'sec' }, prefix: 'S_' }], env: [{ name: 'A', value: 'over' }] },
    { onInvalidKeys: (_k, _n, keys) => (skipped = keys) },
  );
  assert.deepEqual(got, { A: 'over', B: 'b-$(A)', S_PASS: 'hunter2', S_TOKEN: 't' });
  assert.deepEqual(skipped, ['1NUM', 'bad key']);
  const prefixed = await envOf({ envFrom: [{ configMapRef: { name: 'cfg' }, prefix: 'P_' }] });
  assert.equal(prefixed.P_1NUM, 'n'); // the prefix makes it valid
});

test('env values expand against earlier variables only; $$ escapes; unknown left as-is', async () => {
  const got = await envOf({
    envFrom: [{ configMapRef: { name: 'cfg' } }],
    env: [
      { name: 'X', value: '$(A)-$(LATER)-$$(A)' },
      { name: 'LATER', value: 'l' },
      { name: 'Y', value: '$(X)+$(LATER)+$(SVC_HOST)' },
    ],
  }, { extraEnv: { SVC_HOST: '10.43.0.1' } });
  assert.equal(got.X, 'a-$(LATER)-$(A)');
  assert.equal(got.Y, 'a-$(LATER)-$(A)+l+10.43.0.1');
  assert.equal(got.SVC_HOST, '10.43.0.1');
});

test('configMapKeyRef / secretKeyRef and optional', async () => {
  const got = await envOf({
    env: [
      { name: 'CA', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'A' } } },
      { name: 'SP', valueFrom: { secretKeyRef: { name: 'sec', key: 'PASS' } } },
      { name: 'OPT1', valueFrom: { configMapKeyRef: { name: 'nope', key: 'A', optional: true } } },
      { name: 'OPT2', valueFrom: { secretKeyRef: { name: 'sec', key: 'nokey', optional: true } } },
    ],
  });
  assert.deepEqual(got, { CA: 'a', SP: 'hunter2' });
});

test('errors carry upstream messages and codes', async () => {
  const cases: Array<[Partial<Container>, string, string]> = [
    [{ env: [{ name: 'V', valueFrom: { configMapKeyRef: { name: 'x', key: 'k' } } }] }, 'ConfigMapNotFound', 'configmap "x" not found'],
    [{ env: [{ name: 'V', valueFrom: { configMapKeyRef: { name: 'cfg', key: 'k' } } }] }, 'ConfigMapKeyNotFound', "couldn't find key k in ConfigMap default/cfg"],
    [{ env: [{ name: 'V', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }, 'SecretNotFound', 'secret "s" not found'],
    [{ env: [{ name: 'V', valueFrom: { secretKeyRef: { name: 'sec', key: 'k' } } }] }, 'SecretKeyNotFound', "couldn't find key k in Secret default/sec"],
    [{ envFrom: [{ configMapRef: { name: 'x' } }] }, 'ConfigMapNotFound', 'configmap "x" not found'],
    [{ envFrom: [{ secretRef: { name: 's' } }] }, 'SecretNotFound', 'secret "s" not found'],
    [{ env: [fieldEnv('spec.bogus')] }, 'InvalidFieldPath', 'unsupported fieldPath: spec.bogus'],
    [{ env: [{ name: 'V', valueFrom: { resourceFieldRef: { resource: 'limits.gpu' } } }] }, 'InvalidResourceField', 'unsupported container resource : limits.gpu'],
  ];
  for (const [c, code, message] of cases) {
    await assert.rejects(envOf(c), (err: unknown) => {
      assert.ok(err instanceof EnvVarError);
      assert.equal(err.code, code);
      assert.equal(err.message, message);
      assert.equal(err.reason, 'CreateContainerConfigError');
      return true;
    });
  }
  assert.deepEqual(await envOf({ envFrom: [{ configMapRef: { name: 'x', optional: true } }] }), {});
});

test('fieldRef values', async () => {
  const cases: Array<[string, string]> = [
    ['metadata.name', 'p'],
    ['metadata.namespace', 'default'],
    ['metadata.uid', 'u-1'],
    ["metadata.labels['app']", 'web'],
    ["metadata.labels['missing']", ''],
    ["metadata.annotations['note']", 'say "hi"'],
    ['metadata.labels', 'app="web"\ntier="fe"'],
    ['metadata.annotations', 'note="say \\"hi\\""'],
    ['spec.nodeName', 'n1'],
    ['spec.serviceAccountName', 'sa'],
    ['status.podIP', '10.42.0.5'],
    ['status.podIPs', '10.42.0.5,fd00::5'],
    ['status.hostIP', '192.168.1.2'],
    ['status.hostIPs', '192.168.1.2'],
  ];
  for (const [path, want] of cases) assert.equal((await envOf({ env: [fieldEnv(path)] })).V, want, path);
});

test('resourceFieldRef: divisors, rounding up, node-allocatable defaults', async () => {
  const resources = { limits: { cpu: '250m', memory: '64Mi' }, requests: { cpu: '100m', memory: '32Mi' } };
  const cases: Array<[Partial<Container>, string, string | undefined, string]> = [
    [{ resources }, 'limits.cpu', undefined, '1'],
    [{ resources }, 'limits.cpu', '1m', '250'],
    [{ resources }, 'requests.cpu', '1m', '100'],
    [{ resources }, 'limits.memory', undefined, String(64 * 1024 * 1024)],
    [{ resources }, 'limits.memory', '1Mi', '64'],
    [{ resources }, 'requests.memory', '1Ki', String(32 * 1024)],
    [{ resources: { limits: { memory: '1500Ki' } } }, 'limits.memory', '1Mi', '2'], // ceil
    [{}, 'limits.cpu', undefined, '2'], // node allocatable
    [{}, 'limits.memory', '1Gi', '4'],
    [{}, 'requests.cpu', '1m', '0'],
    [{}, 'limits.ephemeral-storage', undefined, '0'],
  ];
  for (const [c, resource, divisor, want] of cases) {
    const got = await envOf({ ...c, env: [{ name: 'V', valueFrom: { resourceFieldRef: { resource, divisor } } }] });
    assert.equal(got.V, want, `${resource} / ${divisor}`);
  }
});

test('isEnvVarName', () => {
  for (const ok of ['A', 'a.b-c', '_x', 'MY_ENV.NAME', '.x']) assert.ok(isEnvVarName(ok), ok);
  for (const bad of ['', '1A', 'a b', '.', '..', '..x', 'a=b']) assert.ok(!isEnvVarName(bad), bad);
});
