import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../machinery/object.js';
import { getValidator } from './index.js';
import { lines } from './helpers.test-util.js';
import { POD_UPDATE_FORBIDDEN_MSG } from './pod.js';

// A pod as it arrives after defaulting.
function pod(mut: (p: Pod) => void = () => {}): KubeObject {
  const p: Pod = {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', uid: 'u1', labels: { app: 'web' } },
    spec: {
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      volumes: [{ name: 'data', emptyDir: {} }],
      containers: [
        {
          name: 'c',
          image: 'nginx',
          imagePullPolicy: 'Always',
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          ports: [{ name: 'http', containerPort: 80, protocol: 'TCP' }],
          env: [{ name: 'A', value: '1' }],
          volumeMounts: [{ name: 'data', mountPath: '/data' }],
          resources: { requests: { cpu: '100m', memory: '64Mi' }, limits: { cpu: '1', memory: '128Mi' } },
          livenessProbe: { httpGet: { path: '/', port: 'http', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3 },
        },
      ],
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }],
    },
  };
  mut(p);
  return p as unknown as KubeObject;
}

const v = getValidator('', 'Pod');
const c0 = (p: Pod) => p.spec!.containers[0]!;

const cases: Array<{ name: string; mut: (p: Pod) => void; want: string[] }> = [
  { name: 'valid', mut: () => {}, want: [] },
  { name: 'missing containers', mut: (p) => (p.spec!.containers = []), want: ['spec.containers: Required value'] },
  {
    name: 'bad container name',
    mut: (p) => (c0(p).name = 'Web_1'),
    want: [
      `spec.containers[0].name: Invalid value: "Web_1": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ],
  },
  { name: 'duplicate container name', mut: (p) => p.spec!.containers.push({ ...c0(p), ports: [] }), want: ['spec.containers[1].name: Duplicate value: "c"'] },
  { name: 'missing image', mut: (p) => (c0(p).image = ''), want: ['spec.containers[0].image: Required value'] },
  {
    name: 'bad ports',
    mut: (p) => (c0(p).ports = [{ containerPort: 0, protocol: 'TCP' }, { name: 'http', containerPort: 70000, protocol: 'HTTP' }, { name: 'http', containerPort: 81, protocol: 'TCP' }]),
    want: [
      'spec.containers[0].ports[0].containerPort: Required value',
      'spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive',
      'spec.containers[0].ports[1].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"',
      'spec.containers[0].ports[2].name: Duplicate value: "http"',
    ],
  },
  {
    name: 'bad env name',
    mut: (p) => (c0(p).env = [{ name: '1A', value: 'x' }]),
    want: [
      `spec.containers[0].env[0].name: Invalid value: "1A": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')`,
    ],
  },
  {
    name: 'requests above limits',
    mut: (p) => (c0(p).resources = { requests: { cpu: '2' }, limits: { cpu: '1' } }),
    want: ['spec.containers[0].resources.requests: Invalid value: "2": must be less than or equal to cpu limit of 1'],
  },
  {
    name: 'bad quantity and negative',
    mut: (p) => (c0(p).resources = { requests: { cpu: 'abc', memory: '-1' } }),
    want: [
      `spec.containers[0].resources.requests[cpu]: Invalid value: "abc": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'`,
      'spec.containers[0].resources.requests[memory]: Invalid value: "-1": must be greater than or equal to 0',
    ],
  },
  { name: 'unknown resource', mut: (p) => (c0(p).resources = { limits: { gpu: '1' } }), want: ['spec.containers[0].resources.limits[gpu]: Invalid value: "gpu": must be a standard resource for containers'] },
  { name: 'mount of missing volume', mut: (p) => (c0(p).volumeMounts = [{ name: 'x', mountPath: '/x' }]), want: ['spec.containers[0].volumeMounts[0].name: Not found: "x"'] },
  {
    name: 'volumes: duplicate, no source, two sources',
    mut: (p) => (p.spec!.volumes = [{ name: 'data', emptyDir: {} }, { name: 'data' }, { name: 'v2', emptyDir: {}, configMap: { name: 'c' } }]),
    want: ['spec.volumes[1]: Required value: must specify a volume type', 'spec.volumes[1].name: Duplicate value: "data"', 'spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type'],
  },
  { name: 'restartPolicy', mut: (p) => (p.spec!.restartPolicy = 'Sometimes'), want: ['spec.restartPolicy: Unsupported value: "Sometimes": supported values: "Always", "OnFailure", "Never"'] },
  { name: 'dnsPolicy missing', mut: (p) => (p.spec!.dnsPolicy = ''), want: ['spec.dnsPolicy: Required value'] },
  { name: 'imagePullPolicy', mut: (p) => (c0(p).imagePullPolicy = 'Sometimes'), want: ['spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"'] },
  { name: 'probe without handler', mut: (p) => (c0(p).readinessProbe = {}), want: ['spec.containers[0].readinessProbe: Required value: must specify a handler type'] },
  { name: 'liveness successThreshold', mut: (p) => (c0(p).livenessProbe!.successThreshold = 2), want: ['spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1'] },
  { name: 'activeDeadlineSeconds', mut: (p) => (p.spec!.activeDeadlineSeconds = 0), want: ['spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive'] },
  {
    name: 'hostname',
    mut: (p) => (p.spec!.hostname = 'A.b'),
    want: [
      `spec.hostname: Invalid value: "A.b": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')`,
    ],
  },
  { name: 'nodeSelector label', mut: (p) => (p.spec!.nodeSelector = { 'a b': 'x' }), want: [`spec.nodeSelector: Invalid value: "a b": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`] },
  {
    name: 'tolerations',
    mut: (p) => (p.spec!.tolerations = [{ operator: 'Equal', value: 'x' }, { key: 'k', operator: 'Exists', value: 'v', effect: 'Never' }, { key: 'k', tolerationSeconds: 5, effect: 'NoSchedule' }]),
    want: [
      'spec.tolerations[0].operator: Invalid value: "Equal": operator must be Exists when `key` is empty, which means "match all values and all keys"',
      `spec.tolerations[1].operator: Invalid value: "v": value must be empty when \`operator\` is 'Exists'`,
      'spec.tolerations[1].effect: Unsupported value: "Never": supported values: "NoSchedule", "PreferNoSchedule", "NoExecute"',
      "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
    ],
  },
  {
    name: 'node affinity',
    mut: (p) => (p.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In' }] }] } } }),
    want: ["spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms[0].matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'"],
  },
  { name: 'pod anti-affinity topologyKey', mut: (p) => (p.spec!.affinity = { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ topologyKey: '' }] } }), want: ['spec.affinity.podAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution[0].topologyKey: Required value: can not be empty'] },
  {
    name: 'serviceAccountName',
    mut: (p) => (p.spec!.serviceAccountName = 'Bad'),
    want: [`spec.serviceAccountName: Invalid value: "Bad": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`],
  },
  { name: 'init container name clash', mut: (p) => (p.spec!.initContainers = [{ ...c0(p), livenessProbe: undefined, ports: [] }]), want: ['spec.initContainers[0].name: Duplicate value: "c"'] },
  { name: 'init container probe', mut: (p) => (p.spec!.initContainers = [{ ...c0(p), name: 'init', ports: [] }]), want: ['spec.initContainers[0].livenessProbe: Forbidden: may not be set for init containers without restartPolicy=Always'] },
  {
    name: 'env valueFrom',
    mut: (p) => (c0(p).env = [{ name: 'A', valueFrom: {} }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: '' } } }]),
    want: ['spec.containers[0].env[0].valueFrom: Invalid value: "": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`', 'spec.containers[0].env[1].valueFrom.secretKeyRef.key: Required value'],
  },
];

for (const c of cases) {
  test(`Pod validate: ${c.name}`, () => {
    assert.deepEqual(lines(v.validate(pod(c.mut))), c.want);
  });
}

const updates: Array<{ name: string; mut: (p: Pod) => void; want: string[] }> = [
  { name: 'no change', mut: () => {}, want: [] },
  { name: 'image and labels', mut: (p) => ((c0(p).image = 'nginx:2'), (p.metadata!.labels = { app: 'x' })), want: [] },
  { name: 'add toleration', mut: (p) => p.spec!.tolerations!.push({ key: 'a', operator: 'Exists' }), want: [] },
  { name: 'change tolerationSeconds', mut: (p) => (p.spec!.tolerations![0]!.tolerationSeconds = 10), want: [] },
  { name: 'remove toleration', mut: (p) => (p.spec!.tolerations = []), want: ['spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds'] },
  { name: 'set activeDeadlineSeconds', mut: (p) => (p.spec!.activeDeadlineSeconds = 10), want: [] },
  { name: 'change env', mut: (p) => (c0(p).env = [{ name: 'A', value: '2' }]), want: [`spec: Forbidden: ${POD_UPDATE_FORBIDDEN_MSG}`] },
  { name: 'add container', mut: (p) => p.spec!.containers.push({ ...c0(p), name: 'd', ports: [] }), want: ['spec.containers: Forbidden: pod updates may not add or remove containers'] },
  { name: 'rename', mut: (p) => (p.metadata!.name = 'other'), want: ['metadata.name: Invalid value: "other": field is immutable'] },
  { name: 'clear image', mut: (p) => (c0(p).image = ''), want: ['spec.containers[0].image: Required value', 'spec.containers[0].image: Required value'] },
];

for (const c of updates) {
  test(`Pod update: ${c.name}`, () => {
    assert.deepEqual(lines(v.validateUpdate(pod(c.mut), pod())), c.want);
  });
}

test('Pod update: activeDeadlineSeconds may only decrease', () => {
  const old = pod((p) => (p.spec!.activeDeadlineSeconds = 10));
  assert.deepEqual(lines(v.validateUpdate(pod((p) => (p.spec!.activeDeadlineSeconds = 5)), old)), []);
  assert.deepEqual(lines(v.validateUpdate(pod((p) => (p.spec!.activeDeadlineSeconds = 20)), old)), ['spec.activeDeadlineSeconds: Invalid value: 20: must be less than or equal to previous value']);
});

test('Pod validate: security context', () => {
  const p = pod((x) => {
    x.spec!.securityContext = { runAsUser: -1, fsGroup: 5 };
    c0(x).securityContext = { privileged: true, allowPrivilegeEscalation: false };
  });
  assert.deepEqual(lines(v.validate(p)), [
    'spec.containers[0].securityContext: Invalid value: core.SecurityContext{…}: cannot set `allowPrivilegeEscalation` to false and `privileged` to true',
    'spec.securityContext.runAsUser: Invalid value: -1: must be between 0 and 2147483647, inclusive',
  ]);
});
