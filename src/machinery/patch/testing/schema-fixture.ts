// Test helper: builds SchemaNode trees from compact literals, plus a hand-written slice of the Pod /
// Deployment / Service schemas carrying upstream's patch strategies and merge keys (KUBECTL-WIRE §4),
// so patch tests do not depend on the OpenAPI loader.
import type { SchemaNode } from '../../schema-node.js';

export interface SchemaLiteral {
  type?: string;
  properties?: Record<string, SchemaLiteral>;
  items?: SchemaLiteral;
  additionalProperties?: SchemaLiteral;
  patchStrategy?: string | string[];
  patchMergeKey?: string;
  preserveUnknownFields?: boolean;
}

export function schemaFromLiteral(lit: SchemaLiteral): SchemaNode {
  const props = new Map(Object.entries(lit.properties ?? {}).map(([k, v]) => [k, schemaFromLiteral(v)]));
  const strategy = typeof lit.patchStrategy === 'string' ? lit.patchStrategy.split(',') : lit.patchStrategy;
  const type = lit.type ?? (lit.properties || lit.additionalProperties ? 'object' : lit.items ? 'array' : undefined);
  return {
    type,
    property: (name: string) => props.get(name),
    propertyNames: () => [...props.keys()],
    items: lit.items ? schemaFromLiteral(lit.items) : undefined,
    additionalProperties: lit.additionalProperties ? schemaFromLiteral(lit.additionalProperties) : undefined,
    preserveUnknownFields: lit.preserveUnknownFields,
    patchStrategy: strategy,
    patchMergeKey: lit.patchMergeKey,
  };
}

const str: SchemaLiteral = { type: 'string' };
const int: SchemaLiteral = { type: 'integer' };
const strMap: SchemaLiteral = { type: 'object', additionalProperties: str };
const atomicStrList: SchemaLiteral = { type: 'array', items: str };
const mergeList = (key: string, item: SchemaLiteral, strategy = 'merge'): SchemaLiteral => ({
  type: 'array',
  patchStrategy: strategy,
  patchMergeKey: key,
  items: item,
});

const objectMeta: SchemaLiteral = {
  properties: {
    name: str,
    namespace: str,
    labels: strMap,
    annotations: strMap,
    finalizers: { type: 'array', patchStrategy: 'merge', items: str },
    ownerReferences: mergeList('uid', { properties: { apiVersion: str, kind: str, name: str, uid: str, controller: { type: 'boolean' } } }),
  },
};

const container: SchemaLiteral = {
  properties: {
    name: str,
    image: str,
    imagePullPolicy: str,
    command: atomicStrList,
    args: atomicStrList,
    env: mergeList('name', { properties: { name: str, value: str, valueFrom: { properties: { fieldRef: { properties: { fieldPath: str } } } } } }),
    envFrom: { type: 'array', items: { properties: { prefix: str, configMapRef: { properties: { name: str } } } } },
    ports: mergeList('containerPort', { properties: { name: str, containerPort: int, protocol: str, hostPort: int } }),
    volumeMounts: mergeList('mountPath', { properties: { name: str, mountPath: str, readOnly: { type: 'boolean' } } }),
    resources: { properties: { limits: { additionalProperties: str }, requests: { additionalProperties: str } } },
  },
};

const volume: SchemaLiteral = {
  properties: {
    name: str,
    emptyDir: { properties: { medium: str, sizeLimit: str } },
    configMap: { properties: { name: str, defaultMode: int } },
    secret: { properties: { secretName: str } },
    hostPath: { properties: { path: str, type: str } },
  },
};

export const podSpec: SchemaLiteral = {
  properties: {
    containers: mergeList('name', container),
    initContainers: mergeList('name', container),
    volumes: mergeList('name', volume, 'merge,retainKeys'),
    imagePullSecrets: mergeList('name', { properties: { name: str } }),
    hostAliases: mergeList('ip', { properties: { ip: str, hostnames: atomicStrList } }),
    tolerations: { type: 'array', items: { properties: { key: str, operator: str, value: str, effect: str } } },
    nodeSelector: strMap,
    restartPolicy: str,
    nodeName: str,
  },
};

const condition: SchemaLiteral = { properties: { type: str, status: str, reason: str, message: str } };

export const podSchema = schemaFromLiteral({
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: podSpec,
    status: { properties: { phase: str, conditions: mergeList('type', condition), podIPs: mergeList('ip', { properties: { ip: str } }) } },
  },
});

export const deploymentSchema = schemaFromLiteral({
  properties: {
    apiVersion: str,
    kind: str,
    metadata: objectMeta,
    spec: {
      properties: {
        replicas: int,
        paused: { type: 'boolean' },
        selector: {
          properties: {
            matchLabels: strMap,
            matchExpressions: { type: 'array', items: { properties: { key: str, operator: str, values: atomicStrList } } },
          },
        },
        template: { properties: { metadata: objectMeta, spec: podSpec } },
        strategy: {
          patchStrategy: 'retainKeys',
          properties: { type: str, rollingUpdate: { properties: { maxSurge: {}, maxUnavailable: {} } } },
        },
      },
    },
    status: { properties: { replicas: int, conditions: mergeList('type', condition) } },
  },
});

export const serviceSchema = schemaFromLiteral({
  properties: {
    metadata: objectMeta,
    spec: {
      properties: {
        selector: strMap,
        type: str,
        ports: mergeList('port', { properties: { name: str, port: int, targetPort: {}, protocol: str, nodePort: int } }),
      },
    },
  },
});

/** A schema whose `spec` subtree is free-form (like a RawExtension or an unknown CRD field). */
export const freeFormSchema = schemaFromLiteral({
  properties: { metadata: objectMeta, spec: { type: 'object', preserveUnknownFields: true } },
});
