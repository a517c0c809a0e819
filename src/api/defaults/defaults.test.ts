// Defaulting + create strategy must turn what kubectl sends into what upstream (1.31) stores and
// `kubectl get -o yaml` shows. Inputs are the bodies kubectl run/create send; expectations are
// upstream's yaml for them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { KubeObject } from '../../machinery/object.js';
import { builtinRegistry } from '../builtin.js';

const reg = builtinRegistry({
  allocateService: (svc) => {
    if (svc.spec!.type !== 'ExternalName' && !svc.spec!.clusterIP) svc.spec!.clusterIP = '10.96.0.10';
    for (const p of svc.spec!.ports ?? []) if (svc.spec!.type === 'NodePort' && !p.nodePort) p.nodePort = 30080;
  },
});

/** What the API server does on create: defaults, then the create strategy. */
function create(group: string, version: string, plural: string, obj: KubeObject): KubeObject {
  const rt = reg.get(group, version, plural)!;
  const o = structuredClone(obj);
  rt.defaults?.(o);
  rt.prepareForCreate?.(o);
  return o;
}

const BARE_CONTAINER = {
  image: 'nginx',
  imagePullPolicy: 'Always',
  name: 'nginx',
  resources: {},
  terminationMessagePath: '/dev/termination-log',
  terminationMessagePolicy: 'File',
};
const TEMPLATE_SPEC_DEFAULTS = {
  dnsPolicy: 'ClusterFirst',
  restartPolicy: 'Always',
  schedulerName: 'default-scheduler',
  securityContext: {},
  terminationGracePeriodSeconds: 30,
};

test('pod from `kubectl run nginx --image=nginx`', () => {
  const sent = {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { labels: { run: 'nginx' }, name: 'nginx', namespace: 'default' },
    spec: { containers: [{ image: 'nginx', name: 'nginx', resources: {} }], dnsPolicy: 'ClusterFirst', restartPolicy: 'Always' },
    status: {},
  };
  const got = create('', 'v1', 'pods', sent) as { spec: { volumes: { name: string }[] } } & KubeObject;
  const vol = got.spec.volumes[0].name;
  assert.match(vol, /^kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}$/);
  assert.deepEqual(got, {
    apiVersion: 'v1', kind: 'Pod',
    metadata: { labels: { run: 'nginx' }, name: 'nginx', namespace: 'default' },
    spec: {
      containers: [{ ...BARE_CONTAINER, volumeMounts: [{ mountPath: '/var/run/secrets/kubernetes.io/serviceaccount', name: vol, readOnly: true }] }],
      ...TEMPLATE_SPEC_DEFAULTS,
      enableServiceLinks: true,
      preemptionPolicy: 'PreemptLowerPriority',
      priority: 0,
      serviceAccount: 'default',
      serviceAccountName: 'default',
      tolerations: [
        { effect: 'NoExecute', key: 'node.kubernetes.io/not-ready', operator: 'Exists', tolerationSeconds: 300 },
        { effect: 'NoExecute', key: 'node.kubernetes.io/unreachable', operator: 'Exists', tolerationSeconds: 300 },
      ],
      volumes: [{
        name: vol,
        projected: {
          defaultMode: 420,
          sources: [
            { serviceAccountToken: { expirationSeconds: 3607, path: 'token' } },
            { configMap: { items: [{ key: 'ca.crt', path: 'ca.crt' }], name: 'kube-root-ca.crt' } },
            { downwardAPI: { items: [{ fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' }, path: 'namespace' }] } },
          ],
        },
      }],
    },
    status: { phase: 'Pending', qosClass: 'BestEffort' },
  });
});

test('container defaults: pull policy by tag, ports, probes, env fieldRef, requests from limits, QoS', () => {
  const got = create('', 'v1', 'pods', {
    apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' },
    spec: {
      automountServiceAccountToken: false,
      containers: [
        {
          name: 'a', image: 'registry:5000/app:1.2',
          ports: [{ containerPort: 80 }],
          livenessProbe: { httpGet: { port: 80 } },
          env: [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName' } } }],
          resources: { limits: { cpu: '500m', memory: '128Mi' } },
        },
        { name: 'b', image: 'busybox@sha256:abc', resources: { limits: { cpu: '1', memory: '1Gi' }, requests: { cpu: '1', memory: '1Gi' } } },
        { name: 'c', image: 'registry:5000/app', resources: { limits: { cpu: '1', memory: '1Gi' } } },
      ],
    },
  }) as { spec: { containers: Record<string, unknown>[]; volumes?: unknown }; status: unknown };
  const [a, b, c] = got.spec.containers;
  assert.equal(a.imagePullPolicy, 'IfNotPresent');
  assert.equal(b.imagePullPolicy, 'IfNotPresent');
  assert.equal(c.imagePullPolicy, 'Always');
  assert.deepEqual(a.ports, [{ containerPort: 80, protocol: 'TCP' }]);
  assert.deepEqual(a.livenessProbe, {
    httpGet: { port: 80, path: '/', scheme: 'HTTP' }, timeoutSeconds: 1, periodSeconds: 10, successThreshold: 1, failureThreshold: 3,
  });
  assert.deepEqual(a.env, [{ name: 'NODE', valueFrom: { fieldRef: { fieldPath: 'spec.nodeName', apiVersion: 'v1' } } }]);
  assert.deepEqual(a.resources, { limits: { cpu: '500m', memory: '128Mi' }, requests: { cpu: '500m', memory: '128Mi' } });
  assert.equal(got.spec.volumes, undefined, 'automountServiceAccountToken: false → no token volume');
  assert.deepEqual(got.status, { phase: 'Pending', qosClass: 'Guaranteed' });
});

test('deployment from `kubectl create deployment web --image=nginx:1.25`', () => {
  const got = create('apps', 'v1', 'deployments', {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { labels: { app: 'web' }, name: 'web' },
    spec: {
      replicas: 1, selector: { matchLabels: { app: 'web' } }, strategy: {},
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ image: 'nginx:1.25', name: 'nginx', resources: {} }] } },
    },
    status: {},
  });
  assert.deepEqual(got, {
    apiVersion: 'apps/v1', kind: 'Deployment',
    metadata: { labels: { app: 'web' }, name: 'web' },
    spec: {
      progressDeadlineSeconds: 600,
      replicas: 1,
      revisionHistoryLimit: 10,
      selector: { matchLabels: { app: 'web' } },
      strategy: { rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' }, type: 'RollingUpdate' },
      template: {
        metadata: { creationTimestamp: null, labels: { app: 'web' } },
        spec: { containers: [{ ...BARE_CONTAINER, image: 'nginx:1.25', imagePullPolicy: 'IfNotPresent' }], ...TEMPLATE_SPEC_DEFAULTS },
      },
    },
    status: {},
  });
});

test('service ClusterIP and NodePort', () => {
  const got = create('', 'v1', 'services', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'web' },
    spec: { ports: [{ name: '80-8080', port: 80, targetPort: 8080 }, { port: 443 }], selector: { app: 'web' } },
  });
  assert.deepEqual(got.spec, {
    clusterIP: '10.96.0.10',
    clusterIPs: ['10.96.0.10'],
    internalTrafficPolicy: 'Cluster',
    ipFamilies: ['IPv4'],
    ipFamilyPolicy: 'SingleStack',
    ports: [
      { name: '80-8080', port: 80, protocol: 'TCP', targetPort: 8080 },
      { port: 443, protocol: 'TCP', targetPort: 443 },
    ],
    selector: { app: 'web' },
    sessionAffinity: 'None',
    type: 'ClusterIP',
  });
  assert.deepEqual(got.status, { loadBalancer: {} });
  const np = create('', 'v1', 'services', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] },
  });
  assert.equal((np.spec as { externalTrafficPolicy?: string }).externalTrafficPolicy, 'Cluster');
  assert.equal((np.spec as { ports: { nodePort?: number }[] }).ports[0].nodePort, 30080);
  const ext = create('', 'v1', 'services', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'x' }, spec: { type: 'ExternalName', externalName: 'example.com' },
  });
  assert.deepEqual(ext.spec, { type: 'ExternalName', externalName: 'example.com', sessionAffinity: 'None' });
});

test('service update keeps allocated values a PUT omits', () => {
  const rt = reg.get('', 'v1', 'services')!;
  const old = create('', 'v1', 'services', {
    apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] },
  });
  const upd: KubeObject = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'np' }, spec: { type: 'NodePort', ports: [{ port: 80 }] } };
  rt.defaults?.(upd);
  rt.prepareForUpdate?.(upd, old);
  assert.equal((upd.spec as { clusterIP: string }).clusterIP, '10.96.0.10');
  assert.equal((upd.spec as { ports: { nodePort?: number }[] }).ports[0].nodePort, 30080);
});

test('job from `kubectl create job pi --image=perl`: defaults and generated selector', () => {
  const got = create('batch', 'v1', 'jobs', {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: 'pi', uid: 'u-1' },
    spec: { template: { metadata: {}, spec: { containers: [{ image: 'perl:5.34', name: 'pi', resources: {} }], restartPolicy: 'Never' } } },
    status: {},
  });
  const labels = {
    'batch.kubernetes.io/controller-uid': 'u-1', 'batch.kubernetes.io/job-name': 'pi', 'controller-uid': 'u-1', 'job-name': 'pi',
  };
  assert.deepEqual(got, {
    apiVersion: 'batch/v1', kind: 'Job',
    metadata: { name: 'pi', uid: 'u-1', labels },
    spec: {
      backoffLimit: 6,
      completionMode: 'NonIndexed',
      completions: 1,
      manualSelector: false,
      parallelism: 1,
      podReplacementPolicy: 'TerminatingOrFailed',
      selector: { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u-1' } },
      suspend: false,
      template: {
        metadata: { creationTimestamp: null, labels },
        spec: {
          containers: [{ ...BARE_CONTAINER, image: 'perl:5.34', name: 'pi', imagePullPolicy: 'IfNotPresent' }],
          ...TEMPLATE_SPEC_DEFAULTS,
          restartPolicy: 'Never',
        },
      },
    },
    status: {},
  });
});

test('other workload and cluster defaults', () => {
  const sts = create('apps', 'v1', 'statefulsets', { metadata: { name: 's' }, spec: { selector: {}, template: {}, serviceName: 's' } });
  assert.deepEqual(
    { ...(sts.spec as object), template: undefined },
    {
      podManagementPolicy: 'OrderedReady', replicas: 1, revisionHistoryLimit: 10, serviceName: 's', selector: {},
      updateStrategy: { type: 'RollingUpdate', rollingUpdate: { partition: 0 } },
      persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Retain', whenScaled: 'Retain' }, template: undefined,
    },
  );
  assert.deepEqual(sts.status, { availableReplicas: 0, replicas: 0 });
  const ds = create('apps', 'v1', 'daemonsets', { metadata: { name: 'd' }, spec: { selector: {}, template: {} } });
  assert.deepEqual((ds.spec as { updateStrategy: unknown }).updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
  assert.equal(ds.metadata?.annotations?.['deprecated.daemonset.template.generation'], '1');
  const cj = create('batch', 'v1', 'cronjobs', { metadata: { name: 'c' }, spec: { schedule: '* * * * *', jobTemplate: { spec: { template: {} } } } });
  assert.deepEqual({ ...(cj.spec as object), jobTemplate: undefined }, {
    schedule: '* * * * *', concurrencyPolicy: 'Allow', suspend: false, successfulJobsHistoryLimit: 3, failedJobsHistoryLimit: 1, jobTemplate: undefined,
  });
  const ns = create('', 'v1', 'namespaces', { metadata: { name: 'team' } });
  assert.deepEqual(ns, { metadata: { name: 'team', labels: { 'kubernetes.io/metadata.name': 'team' } }, spec: { finalizers: ['kubernetes'] }, status: { phase: 'Active' } });
  assert.equal(create('', 'v1', 'secrets', { metadata: { name: 's' } }).type, 'Opaque');
  const sc = create('storage.k8s.io', 'v1', 'storageclasses', { metadata: { name: 'sc' }, provisioner: 'x' });
  assert.equal(sc.reclaimPolicy, 'Delete');
  assert.equal(sc.volumeBindingMode, 'Immediate');
  const np = create('networking.k8s.io', 'v1', 'networkpolicies', { metadata: { name: 'n' }, spec: { podSelector: {}, egress: [{}] } });
  assert.deepEqual((np.spec as { policyTypes: string[] }).policyTypes, ['Ingress', 'Egress']);
  const hpa = create('autoscaling', 'v2', 'horizontalpodautoscalers', {
    metadata: { name: 'h' }, spec: { scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, behavior: { scaleDown: { stabilizationWindowSeconds: 60 } } },
  });
  assert.deepEqual(hpa.spec, {
    scaleTargetRef: { kind: 'Deployment', name: 'web' }, maxReplicas: 5, minReplicas: 1,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } }],
    behavior: {
      scaleDown: { stabilizationWindowSeconds: 60, selectPolicy: 'Max', policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }] },
      scaleUp: {
        stabilizationWindowSeconds: 0, selectPolicy: 'Max',
        policies: [{ type: 'Pods', value: 4, periodSeconds: 15 }, { type: 'Percent', value: 100, periodSeconds: 15 }],
      },
    },
  });
  assert.deepEqual(hpa.status, { currentMetrics: null, desiredReplicas: 0 });
});

test('quantities are written back in canonical form', () => {
  const pod = create('', 'v1', 'pods', {
    metadata: { name: 'q' },
    spec: {
      automountServiceAccountToken: false,
      containers: [{ name: 'c', image: 'x:1', resources: { limits: { cpu: 0.5, memory: '1024Mi' }, requests: { cpu: '1000m', memory: 'bogus' } } }],
      volumes: [{ name: 'v', emptyDir: { sizeLimit: '2048Mi' } }],
    },
  }) as { spec: { containers: { resources: unknown }[]; volumes: { emptyDir: unknown }[] }; status: { qosClass: string } };
  assert.deepEqual(pod.spec.containers[0].resources, { limits: { cpu: '500m', memory: '1Gi' }, requests: { cpu: '1', memory: 'bogus' } });
  assert.deepEqual(pod.spec.volumes[0].emptyDir, { sizeLimit: '2Gi' });
  assert.equal(pod.status.qosClass, 'Burstable');
  const pvc = create('', 'v1', 'persistentvolumeclaims', { metadata: { name: 'c' }, spec: { resources: { requests: { storage: '1.5Gi' } } } });
  assert.deepEqual(pvc.spec, { resources: { requests: { storage: '1536Mi' } }, volumeMode: 'Filesystem' });
  assert.deepEqual(pvc.status, { phase: 'Pending' });
  const pv = create('', 'v1', 'persistentvolumes', { metadata: { name: 'v' }, spec: { capacity: { storage: '2048Mi' }, hostPath: { path: '/tmp/x' } } });
  assert.deepEqual(pv.spec, { capacity: { storage: '2Gi' }, hostPath: { path: '/tmp/x', type: '' }, persistentVolumeReclaimPolicy: 'Retain', volumeMode: 'Filesystem' });
  assert.equal((pv.status as { phase: string }).phase, 'Pending');
});

test('secret stringData is merged into data (base64), overriding data, and dropped', () => {
  const s = create('', 'v1', 'secrets', {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    data: { a: Buffer.from('old').toString('base64'), b: Buffer.from('keep').toString('base64') },
    stringData: { a: 'new', c: 'plain' },
  });
  assert.deepEqual(s, {
    apiVersion: 'v1',
    kind: 'Secret',
    metadata: { name: 's' },
    type: 'Opaque',
    data: { a: 'bmV3', b: 'a2VlcA==', c: 'cGxhaW4=' },
  });
});
