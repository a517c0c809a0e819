// Pod strategy (upstream pkg/registry/core/pod/strategy.go) plus the mutating admission upstream
// applies to every new pod, done here until Skiff has admission: ServiceAccount (default account and
// the projected API token volume), DefaultTolerationSeconds and Priority.
import type { Container, Pod, PodSpec, PodStatus, Toleration } from 'kubernetes-types/core/v1.js';
import { randomInt } from 'node:crypto';
import { defaultPod } from '../defaults/pod.js';
import { podTable } from '../tables/pod.js';
import type { ResourceSpec } from './define.js';
import { hook } from './define.js';
import { parseQuantityJson } from '../../machinery/quantity.js';

const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
// utilrand.String's alphabet: no vowels or confusable characters.
const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += ALPHANUMS[randomInt(ALPHANUMS.length)];
  return s;
}

/** A quantity in milli-units for exact sums and comparisons; unparsable counts as zero (validation rejects it). */
function milli(q: unknown): bigint {
  try {
    return parseQuantityJson(q).milliValueBig();
  } catch {
    return 0n;
  }
}

/** qos.GetPodQOS: BestEffort without cpu/memory requests or limits; Guaranteed when they all match. */
export function podQOSClass(spec: PodSpec): 'BestEffort' | 'Burstable' | 'Guaranteed' {
  const requests = new Map<string, bigint>();
  const limits = new Map<string, bigint>();
  let guaranteed = true;
  const add = (m: Map<string, bigint>, k: string, v: bigint) => m.set(k, (m.get(k) ?? 0n) + v);
  for (const c of [...(spec.initContainers ?? []), ...(spec.containers ?? [])]) {
    for (const [k, q] of Object.entries(c.resources?.requests ?? {})) {
      if ((k === 'cpu' || k === 'memory') && milli(q) !== 0n) add(requests, k, milli(q));
    }
    const found = new Set<string>();
    for (const [k, q] of Object.entries(c.resources?.limits ?? {})) {
      if ((k === 'cpu' || k === 'memory') && milli(q) !== 0n) {
        found.add(k);
        add(limits, k, milli(q));
      }
    }
    if (!found.has('cpu') || !found.has('memory')) guaranteed = false;
  }
  if (requests.size === 0 && limits.size === 0) return 'BestEffort';
  if (guaranteed) {
    for (const [k, v] of requests) if (limits.get(k) !== v) guaranteed = false;
  }
  return guaranteed && requests.size === limits.size ? 'Guaranteed' : 'Burstable';
}

/** DefaultTolerationSeconds admission: tolerate not-ready/unreachable for 300s unless already tolerated. */
function addDefaultTolerations(spec: PodSpec): void {
  const tolerates = (key: string) =>
    (spec.tolerations ?? []).some((t) => (t.key === key || !t.key) && (t.effect === 'NoExecute' || !t.effect));
  const add: Toleration[] = [];
  for (const key of ['node.kubernetes.io/not-ready', 'node.kubernetes.io/unreachable']) {
    if (!tolerates(key)) add.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 });
  }
  if (add.length) spec.tolerations = [...(spec.tolerations ?? []), ...add];
}

/** ServiceAccount admission: the `default` account and a projected token volume mounted in every container. */
function addServiceAccount(spec: PodSpec): void {
  spec.serviceAccountName ||= 'default';
  spec.serviceAccount = spec.serviceAccountName;
  if (spec.automountServiceAccountToken === false) return;
  const containers: Container[] = [...(spec.initContainers ?? []), ...(spec.containers ?? [])];
  const needs = containers.filter((c) => !(c.volumeMounts ?? []).some((m) => m.mountPath === TOKEN_MOUNT_PATH));
  if (needs.length === 0) return;
  const name = `kube-api-access-${randomSuffix()}`;
  spec.volumes = [
    ...(spec.volumes ?? []),
    {
      name,
      projected: {
        defaultMode: 420,
        sources: [
          { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
          { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
          { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
        ],
      },
    },
  ];
  for (const c of needs) c.volumeMounts = [...(c.volumeMounts ?? []), { name, readOnly: true, mountPath: TOKEN_MOUNT_PATH }];
}

const SYSTEM_PRIORITIES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

/** Priority admission without PriorityClass lookups: no class → 0; the two system classes are known. */
function addPriority(spec: PodSpec): void {
  const cls = spec.priorityClassName;
  if (!cls) spec.priority ??= 0;
  else if (cls in SYSTEM_PRIORITIES) spec.priority ??= SYSTEM_PRIORITIES[cls];
  if (!cls || cls in SYSTEM_PRIORITIES) spec.preemptionPolicy ??= 'PreemptLowerPriority';
}

export function preparePodForCreate(pod: Pod): void {
  defaultPod(pod);
  const spec = pod.spec!;
  addServiceAccount(spec);
  addDefaultTolerations(spec);
  addPriority(spec);
  const status: PodStatus = { phase: 'Pending', qosClass: podQOSClass(spec) };
  (pod as { status?: PodStatus }).status = status;
  if ((spec.schedulingGates ?? []).length > 0) {
    status.conditions = [
      { type: 'PodScheduled', status: 'False', reason: 'SchedulingGated', message: 'Scheduling is blocked due to non-empty scheduling gates' },
    ];
  }
}

export function podFieldSelectors(pod: Pod): Record<string, string | undefined> {
  const spec = pod.spec;
  return {
    'spec.nodeName': spec?.nodeName ?? '',
    'spec.restartPolicy': spec?.restartPolicy ?? '',
    'spec.schedulerName': spec?.schedulerName ?? '',
    'spec.serviceAccountName': spec?.serviceAccountName ?? '',
    'spec.hostNetwork': String(spec?.hostNetwork ?? false),
    'status.phase': pod.status?.phase ?? '',
    'status.podIP': pod.status?.podIPs?.[0]?.ip ?? '',
    'status.nominatedNodeName': pod.status?.nominatedNodeName ?? '',
  };
}

export const corePodHooks: Partial<ResourceSpec> = {
  defaults: hook(defaultPod),
  prepareForCreate: hook(preparePodForCreate),
  table: podTable,
  fieldSelectors: podFieldSelectors as unknown as ResourceSpec['fieldSelectors'],
};
