// Test fixtures: a tiny literal syntax for hand-built SchemaNodes and the slices of the Deployment /
// Pod / ConfigMap schemas the apply tests need (list semantics as in upstream's OpenAPI).
import type { SchemaNode } from '../schema-node.js';

export interface Lit {
  type?: string;
  props?: Record<string, Lit | (() => Lit)>;
  items?: Lit;
  additional?: Lit;
  listType?: 'atomic' | 'set' | 'map';
  listMapKeys?: string[];
  patchStrategy?: string;
  patchMergeKey?: string;
  mapType?: 'atomic' | 'granular';
}

export function schemaOf(lit: Lit): SchemaNode {
  const props = lit.props ?? {};
  return {
    type: lit.type ?? (lit.props || lit.additional ? 'object' : lit.items ? 'array' : undefined),
    property: (name) => {
      const p = props[name];
      return p === undefined ? undefined : schemaOf(typeof p === 'function' ? p() : p);
    },
    propertyNames: () => Object.keys(props),
    ...(lit.items ? { items: schemaOf(lit.items) } : {}),
    ...(lit.additional ? { additionalProperties: schemaOf(lit.additional) } : {}),
    ...(lit.listType ? { listType: lit.listType } : {}),
    ...(lit.listMapKeys ? { listMapKeys: lit.listMapKeys } : {}),
    ...(lit.patchStrategy ? { patchStrategy: lit.patchStrategy.split(',') } : {}),
    ...(lit.patchMergeKey ? { patchMergeKey: lit.patchMergeKey } : {}),
    ...(lit.mapType ? { mapType: lit.mapType } : {}),
  };
}

const str: Lit = { type: 'string' };
const int: Lit = { type: 'integer' };
const strMap: Lit = { type: 'object', additional: str };

const metadata: Lit = {
  props: {
    name: str,
    namespace: str,
    uid: str,
    resourceVersion: str,
    generation: int,
    creationTimestamp: str,
    labels: strMap,
    annotations: strMap,
    finalizers: { items: str, patchStrategy: 'merge', listType: 'set' },
    managedFields: { items: { props: { manager: str } }, listType: 'atomic' },
  },
};

const container: Lit = {
  props: {
    name: str,
    image: str,
    imagePullPolicy: str,
    args: { items: str, listType: 'atomic' },
    ports: {
      items: { props: { containerPort: int, protocol: str, name: str } },
      listType: 'map',
      listMapKeys: ['containerPort', 'protocol'],
      patchStrategy: 'merge',
      patchMergeKey: 'containerPort',
    },
    env: { items: { props: { name: str, value: str } }, patchStrategy: 'merge', patchMergeKey: 'name' },
    resources: { props: { limits: strMap, requests: strMap } },
  },
};

const podSpec: Lit = {
  props: {
    containers: { items: container, patchStrategy: 'merge', patchMergeKey: 'name', listType: 'map', listMapKeys: ['name'] },
    tolerations: { items: { props: { key: str, operator: str } }, listType: 'atomic' },
    restartPolicy: str,
    dnsPolicy: str,
    nodeSelector: { type: 'object', additional: str, mapType: 'atomic' },
  },
};

const template: Lit = { props: { metadata, spec: podSpec } };

export const deploymentSchema = schemaOf({
  props: {
    apiVersion: str,
    kind: str,
    metadata,
    spec: {
      props: {
        replicas: int,
        paused: { type: 'boolean' },
        selector: { props: { matchLabels: strMap }, mapType: 'atomic' },
        template,
        strategy: { props: { type: str, rollingUpdate: { props: { maxSurge: str, maxUnavailable: str } } } },
      },
    },
    status: { props: { replicas: int, observedGeneration: int } },
  },
});

export const configMapSchema = schemaOf({ props: { apiVersion: str, kind: str, metadata, data: strMap } });
