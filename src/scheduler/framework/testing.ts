// Small builders for scheduler tests: nodes and pods with just the fields plugins read, so test tables
// stay one line per row.
import type { Container, Node, Pod, Taint } from 'kubernetes-types/core/v1.js';

export function makeNode(
  name: string,
  opts: { cpu?: string; memory?: string; pods?: string; labels?: Record<string, string>; taints?: Taint[]; unschedulable?: boolean; extra?: Record<string, string> } = {},
): Node {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...opts.labels } },
    spec: { taints: opts.taints, unschedulable: opts.unschedulable },
    status: { allocatable: { cpu: opts.cpu ?? '4', memory: opts.memory ?? '8Gi', pods: opts.pods ?? '110', ...opts.extra } },
  };
}

export function container(requests?: Record<string, string>, extra: Partial<Container> = {}): Container {
  return { name: 'c', image: 'img', resources: requests ? { requests } : undefined, ...extra };
}

export function makePod(name: string, spec: Partial<Pod['spec']> = {}, labels?: Record<string, string>, namespace = 'default'): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace, labels, uid: `uid-${name}` },
    spec: { containers: [container()], ...spec },
  };
}
