// One valid, realistic object of every built-in type Skiff serves, as a multi-document YAML that
// `kubectl apply -f -` takes in one go. Namespaced objects live in `ns`; cluster-scoped ones carry
// the suffix `sfx` in their names so that the file can be applied and deleted without touching the
// bootstrap objects. Each entry also names the `kubectl get` resource and upstream's table headers.

export interface TypeCase {
  /** Resource argument for `kubectl get` (fully qualified where the short plural is ambiguous). */
  resource: string;
  name: string;
  namespaced: boolean;
  /** Upstream kube-apiserver 1.31 column headers, split on runs of two spaces or more. */
  headers: string[];
  /** Extra headers `-o wide` adds after the normal ones. */
  wide: string[];
  /** The whole `-o wide` header row, where the extra columns are not simply appended (events). */
  wideFull?: string[];
  yaml: string;
}

const meta = (name: string, ns?: string, labels = '') =>
  `metadata:\n  name: ${name}\n${ns ? `  namespace: ${ns}\n` : ''}${labels}`;

const podSpec = (indent: string, app: string) =>
  `${indent}containers:
${indent}- name: web
${indent}  image: nginx:1.27
${indent}  ports:
${indent}  - containerPort: 80
${indent}    name: http
${indent}  resources:
${indent}    requests:
${indent}      cpu: 100m
${indent}      memory: 64Mi
${indent}    limits:
${indent}      memory: 128Mi
${indent}  env:
${indent}  - name: APP
${indent}    value: ${app}
`;

const template = (app: string) => `  template:
    metadata:
      labels:
        app: ${app}
    spec:
${podSpec('      ', app)}`;

export function allTypes(ns: string, sfx: string): TypeCase[] {
  const l = (app: string) => `  labels:\n    app: ${app}\n`;
  return [
    {
      resource: 'namespaces',
      name: ns,
      namespaced: false,
      headers: ['NAME', 'STATUS', 'AGE'],
      wide: [],
      yaml: `apiVersion: v1\nkind: Namespace\n${meta(ns)}`,
    },
    {
      resource: 'pods',
      name: 'web-pod',
      namespaced: true,
      headers: ['NAME', 'READY', 'STATUS', 'RESTARTS', 'AGE'],
      wide: ['IP', 'NODE', 'NOMINATED NODE', 'READINESS GATES'],
      yaml: `apiVersion: v1\nkind: Pod\n${meta('web-pod', ns, l('web'))}spec:\n  nodeName: node-${sfx}\n${podSpec('  ', 'web')}`,
    },
    {
      resource: 'services',
      name: 'web',
      namespaced: true,
      headers: ['NAME', 'TYPE', 'CLUSTER-IP', 'EXTERNAL-IP', 'PORT(S)', 'AGE'],
      wide: ['SELECTOR'],
      yaml: `apiVersion: v1\nkind: Service\n${meta('web', ns, l('web'))}spec:\n  selector:\n    app: web\n  ports:\n  - name: http\n    port: 80\n    targetPort: http\n`,
    },
    {
      resource: 'endpoints',
      name: 'web',
      namespaced: true,
      headers: ['NAME', 'ENDPOINTS', 'AGE'],
      wide: [],
      yaml: `apiVersion: v1\nkind: Endpoints\n${meta('web', ns, l('web'))}subsets:\n- addresses:\n  - ip: 10.1.2.3\n    nodeName: node-${sfx}\n  ports:\n  - name: http\n    port: 80\n    protocol: TCP\n`,
    },
    {
      resource: 'configmaps',
      name: 'web-config',
      namespaced: true,
      headers: ['NAME', 'DATA', 'AGE'],
      wide: [],
      yaml: `apiVersion: v1\nkind: ConfigMap\n${meta('web-config', ns)}data:\n  nginx.conf: |\n    server { listen 80; }\n  mode: production\n`,
    },
    {
      resource: 'secrets',
      name: 'web-tls',
      namespaced: true,
      headers: ['NAME', 'TYPE', 'DATA', 'AGE'],
      wide: [],
      yaml: `apiVersion: v1\nkind: Secret\n${meta('web-tls', ns)}type: Opaque\ndata:\n  password: czNjcjN0\n  user: YWRtaW4=\n`,
    },
    {
      resource: 'nodes',
      name: `node-${sfx}`,
      namespaced: false,
      headers: ['NAME', 'STATUS', 'ROLES', 'AGE', 'VERSION'],
      wide: ['INTERNAL-IP', 'EXTERNAL-IP', 'OS-IMAGE', 'KERNEL-VERSION', 'CONTAINER-RUNTIME'],
      yaml: `apiVersion: v1\nkind: Node\n${meta(`node-${sfx}`, undefined, '  labels:\n    kubernetes.io/os: linux\n')}spec:\n  podCIDR: 10.244.1.0/24\n  podCIDRs:\n  - 10.244.1.0/24\n`,
    },
    {
      resource: 'events',
      name: 'web-pod.1',
      namespaced: true,
      headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
      wide: [],
      wideFull: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
      yaml: `apiVersion: v1\nkind: Event\n${meta('web-pod.1', ns)}involvedObject:\n  apiVersion: v1\n  kind: Pod\n  name: web-pod\n  namespace: ${ns}\nreason: Scheduled\nmessage: Successfully assigned ${ns}/web-pod to node-${sfx}\ntype: Normal\nsource:\n  component: default-scheduler\nfirstTimestamp: "2024-01-01T00:00:00Z"\nlastTimestamp: "2024-01-01T00:00:00Z"\ncount: 1\n`,
    },
    {
      resource: 'serviceaccounts',
      name: 'web-sa',
      namespaced: true,
      headers: ['NAME', 'SECRETS', 'AGE'],
      wide: [],
      yaml: `apiVersion: v1\nkind: ServiceAccount\n${meta('web-sa', ns)}automountServiceAccountToken: false\n`,
    },
    {
      resource: 'persistentvolumes',
      name: `pv-${sfx}`,
      namespaced: false,
      headers: ['NAME', 'CAPACITY', 'ACCESS MODES', 'RECLAIM POLICY', 'STATUS', 'CLAIM', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'REASON', 'AGE'],
      wide: ['VOLUMEMODE'],
      yaml: `apiVersion: v1\nkind: PersistentVolume\n${meta(`pv-${sfx}`)}spec:\n  capacity:\n    storage: 1Gi\n  accessModes:\n  - ReadWriteOnce\n  persistentVolumeReclaimPolicy: Retain\n  storageClassName: fast-${sfx}\n  hostPath:\n    path: /tmp/pv-${sfx}\n`,
    },
    {
      resource: 'persistentvolumeclaims',
      name: 'data',
      namespaced: true,
      headers: ['NAME', 'STATUS', 'VOLUME', 'CAPACITY', 'ACCESS MODES', 'STORAGECLASS', 'VOLUMEATTRIBUTESCLASS', 'AGE'],
      wide: ['VOLUMEMODE'],
      yaml: `apiVersion: v1\nkind: PersistentVolumeClaim\n${meta('data', ns)}spec:\n  accessModes:\n  - ReadWriteOnce\n  storageClassName: fast-${sfx}\n  resources:\n    requests:\n      storage: 1Gi\n`,
    },
    {
      resource: 'resourcequotas',
      name: 'quota',
      namespaced: true,
      headers: ['NAME', 'AGE', 'REQUEST', 'LIMIT'],
      wide: [],
      yaml: `apiVersion: v1\nkind: ResourceQuota\n${meta('quota', ns)}spec:\n  hard:\n    pods: "20"\n    requests.cpu: "4"\n    limits.memory: 8Gi\n`,
    },
    {
      resource: 'limitranges',
      name: 'limits',
      namespaced: true,
      headers: ['NAME', 'CREATED AT'],
      wide: [],
      yaml: `apiVersion: v1\nkind: LimitRange\n${meta('limits', ns)}spec:\n  limits:\n  - type: Container\n    default:\n      cpu: 500m\n    defaultRequest:\n      cpu: 100m\n    max:\n      cpu: "2"\n`,
    },
    {
      resource: 'replicationcontrollers',
      name: 'legacy',
      namespaced: true,
      headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
      wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      yaml: `apiVersion: v1\nkind: ReplicationController\n${meta('legacy', ns)}spec:\n  replicas: 1\n  selector:\n    app: legacy\n${template('legacy')}`,
    },
    {
      resource: 'podtemplates',
      name: 'tmpl',
      namespaced: true,
      headers: ['NAME', 'CONTAINERS', 'IMAGES', 'POD LABELS'],
      wide: [],
      yaml: `apiVersion: v1\nkind: PodTemplate\n${meta('tmpl', ns)}${template('tmpl').replace(/^  /gm, '')}`,
    },
    {
      resource: 'deployments.apps',
      name: 'web',
      namespaced: true,
      headers: ['NAME', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'AGE'],
      wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      yaml: `apiVersion: apps/v1\nkind: Deployment\n${meta('web', ns, l('web'))}spec:\n  replicas: 2\n  selector:\n    matchLabels:\n      app: web\n  strategy:\n    type: RollingUpdate\n    rollingUpdate:\n      maxSurge: 1\n${template('web')}`,
    },
    {
      resource: 'replicasets.apps',
      name: 'web-rs',
      namespaced: true,
      headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE'],
      wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      yaml: `apiVersion: apps/v1\nkind: ReplicaSet\n${meta('web-rs', ns)}spec:\n  replicas: 1\n  selector:\n    matchLabels:\n      app: web-rs\n${template('web-rs')}`,
    },
    {
      resource: 'daemonsets.apps',
      name: 'agent',
      namespaced: true,
      headers: ['NAME', 'DESIRED', 'CURRENT', 'READY', 'UP-TO-DATE', 'AVAILABLE', 'NODE SELECTOR', 'AGE'],
      wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      yaml: `apiVersion: apps/v1\nkind: DaemonSet\n${meta('agent', ns)}spec:\n  selector:\n    matchLabels:\n      app: agent\n${template('agent')}      nodeSelector:\n        kubernetes.io/os: linux\n      tolerations:\n      - operator: Exists\n`,
    },
    {
      resource: 'statefulsets.apps',
      name: 'db',
      namespaced: true,
      headers: ['NAME', 'READY', 'AGE'],
      wide: ['CONTAINERS', 'IMAGES'],
      yaml: `apiVersion: apps/v1\nkind: StatefulSet\n${meta('db', ns)}spec:\n  serviceName: web\n  replicas: 1\n  selector:\n    matchLabels:\n      app: db\n${template('db')}  volumeClaimTemplates:\n  - apiVersion: v1\n    kind: PersistentVolumeClaim\n    metadata:\n      name: data\n      creationTimestamp: null\n    spec:\n      accessModes:\n      - ReadWriteOnce\n      resources:\n        requests:\n          storage: 1Gi\n      volumeMode: Filesystem\n    status:\n      phase: Pending\n`,
    },
    {
      resource: 'controllerrevisions.apps',
      name: 'db-1',
      namespaced: true,
      headers: ['NAME', 'CONTROLLER', 'REVISION', 'AGE'],
      wide: [],
      yaml: `apiVersion: apps/v1\nkind: ControllerRevision\n${meta('db-1', ns, l('db'))}revision: 1\ndata:\n  spec:\n    template:\n      metadata:\n        labels:\n          app: db\n`,
    },
    {
      resource: 'jobs.batch',
      name: 'migrate',
      namespaced: true,
      headers: ['NAME', 'STATUS', 'COMPLETIONS', 'DURATION', 'AGE'],
      wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      yaml: `apiVersion: batch/v1\nkind: Job\n${meta('migrate', ns)}spec:\n  backoffLimit: 2\n  template:\n    spec:\n      restartPolicy: Never\n      containers:\n      - name: migrate\n        image: busybox:1.36\n        command: ["sh", "-c", "echo migrate"]\n`,
    },
    {
      resource: 'cronjobs.batch',
      name: 'nightly',
      namespaced: true,
      headers: ['NAME', 'SCHEDULE', 'TIMEZONE', 'SUSPEND', 'ACTIVE', 'LAST SCHEDULE', 'AGE'],
      wide: ['CONTAINERS', 'IMAGES', 'SELECTOR'],
      yaml: `apiVersion: batch/v1\nkind: CronJob\n${meta('nightly', ns)}spec:\n  schedule: "0 3 * * *"\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          restartPolicy: OnFailure\n          containers:\n          - name: backup\n            image: busybox:1.36\n            args: ["echo", "backup"]\n`,
    },
    {
      resource: 'horizontalpodautoscalers.v2.autoscaling',
      name: 'web-v2',
      namespaced: true,
      headers: ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
      wide: [],
      yaml: `apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n${meta('web-v2', ns)}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 1\n  maxReplicas: 5\n  metrics:\n  - type: Resource\n    resource:\n      name: cpu\n      target:\n        type: Utilization\n        averageUtilization: 70\n`,
    },
    {
      resource: 'horizontalpodautoscalers.v1.autoscaling',
      name: 'web-v1',
      namespaced: true,
      headers: ['NAME', 'REFERENCE', 'TARGETS', 'MINPODS', 'MAXPODS', 'REPLICAS', 'AGE'],
      wide: [],
      yaml: `apiVersion: autoscaling/v1\nkind: HorizontalPodAutoscaler\n${meta('web-v1', ns)}spec:\n  scaleTargetRef:\n    apiVersion: apps/v1\n    kind: Deployment\n    name: web\n  minReplicas: 2\n  maxReplicas: 4\n  targetCPUUtilizationPercentage: 60\n`,
    },
    {
      resource: 'ingresses.networking.k8s.io',
      name: 'web',
      namespaced: true,
      headers: ['NAME', 'CLASS', 'HOSTS', 'ADDRESS', 'PORTS', 'AGE'],
      wide: [],
      yaml: `apiVersion: networking.k8s.io/v1\nkind: Ingress\n${meta('web', ns)}spec:\n  ingressClassName: nginx-${sfx}\n  tls:\n  - hosts:\n    - web.example.com\n    secretName: web-tls\n  rules:\n  - host: web.example.com\n    http:\n      paths:\n      - path: /\n        pathType: Prefix\n        backend:\n          service:\n            name: web\n            port:\n              name: http\n`,
    },
    {
      resource: 'ingressclasses.networking.k8s.io',
      name: `nginx-${sfx}`,
      namespaced: false,
      headers: ['NAME', 'CONTROLLER', 'PARAMETERS', 'AGE'],
      wide: [],
      yaml: `apiVersion: networking.k8s.io/v1\nkind: IngressClass\n${meta(`nginx-${sfx}`)}spec:\n  controller: k8s.io/ingress-nginx\n`,
    },
    {
      resource: 'networkpolicies.networking.k8s.io',
      name: 'web-allow',
      namespaced: true,
      headers: ['NAME', 'POD-SELECTOR', 'AGE'],
      wide: [],
      yaml: `apiVersion: networking.k8s.io/v1\nkind: NetworkPolicy\n${meta('web-allow', ns)}spec:\n  podSelector:\n    matchLabels:\n      app: web\n  policyTypes:\n  - Ingress\n  ingress:\n  - from:\n    - podSelector:\n        matchLabels:\n          role: frontend\n    ports:\n    - port: 80\n      protocol: TCP\n`,
    },
    {
      resource: 'storageclasses.storage.k8s.io',
      name: `fast-${sfx}`,
      namespaced: false,
      headers: ['NAME', 'PROVISIONER', 'RECLAIMPOLICY', 'VOLUMEBINDINGMODE', 'ALLOWVOLUMEEXPANSION', 'AGE'],
      wide: [],
      yaml: `apiVersion: storage.k8s.io/v1\nkind: StorageClass\n${meta(`fast-${sfx}`)}provisioner: kubernetes.io/no-provisioner\nvolumeBindingMode: WaitForFirstConsumer\nallowVolumeExpansion: true\n`,
    },
    {
      resource: 'roles.rbac.authorization.k8s.io',
      name: 'reader',
      namespaced: true,
      headers: ['NAME', 'CREATED AT'],
      wide: [],
      yaml: `apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n${meta('reader', ns)}rules:\n- apiGroups: [""]\n  resources: ["pods", "configmaps"]\n  verbs: ["get", "list", "watch"]\n`,
    },
    {
      resource: 'rolebindings.rbac.authorization.k8s.io',
      name: 'reader',
      namespaced: true,
      headers: ['NAME', 'ROLE', 'AGE'],
      wide: ['USERS', 'GROUPS', 'SERVICEACCOUNTS'],
      yaml: `apiVersion: rbac.authorization.k8s.io/v1\nkind: RoleBinding\n${meta('reader', ns)}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: Role\n  name: reader\nsubjects:\n- kind: ServiceAccount\n  apiGroup: ""\n  name: web-sa\n  namespace: ${ns}\n- kind: User\n  apiGroup: rbac.authorization.k8s.io\n  name: jane\n`,
    },
    {
      resource: 'clusterroles.rbac.authorization.k8s.io',
      name: `viewer-${sfx}`,
      namespaced: false,
      headers: ['NAME', 'CREATED AT'],
      wide: [],
      yaml: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\n${meta(`viewer-${sfx}`)}rules:\n- apiGroups: ["apps"]\n  resources: ["deployments"]\n  verbs: ["get", "list"]\n- nonResourceURLs: ["/healthz"]\n  verbs: ["get"]\n`,
    },
    {
      resource: 'clusterrolebindings.rbac.authorization.k8s.io',
      name: `viewer-${sfx}`,
      namespaced: false,
      headers: ['NAME', 'ROLE', 'AGE'],
      wide: ['USERS', 'GROUPS', 'SERVICEACCOUNTS'],
      yaml: `apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\n${meta(`viewer-${sfx}`)}roleRef:\n  apiGroup: rbac.authorization.k8s.io\n  kind: ClusterRole\n  name: viewer-${sfx}\nsubjects:\n- kind: Group\n  apiGroup: rbac.authorization.k8s.io\n  name: devs\n`,
    },
    {
      resource: 'leases.coordination.k8s.io',
      name: 'leader',
      namespaced: true,
      headers: ['NAME', 'HOLDER', 'AGE'],
      wide: [],
      yaml: `apiVersion: coordination.k8s.io/v1\nkind: Lease\n${meta('leader', ns)}spec:\n  holderIdentity: web-pod\n  leaseDurationSeconds: 15\n  leaseTransitions: 0\n`,
    },
    {
      resource: 'events.events.k8s.io',
      name: 'web-pod.2',
      namespaced: true,
      headers: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'],
      wide: [],
      wideFull: ['LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'SUBOBJECT', 'SOURCE', 'MESSAGE', 'FIRST SEEN', 'COUNT', 'NAME'],
      yaml: `apiVersion: events.k8s.io/v1\nkind: Event\n${meta('web-pod.2', ns)}eventTime: "2024-01-01T00:00:01.000000Z"\nreportingController: kubelet\nreportingInstance: kubelet-node-${sfx}\naction: Pulling\nreason: Pulling\nnote: Pulling image nginx:1.27\ntype: Normal\nregarding:\n  apiVersion: v1\n  kind: Pod\n  name: web-pod\n  namespace: ${ns}\n  fieldPath: spec.containers{web}\n`,
    },
    {
      resource: 'poddisruptionbudgets.policy',
      name: 'web-pdb',
      namespaced: true,
      headers: ['NAME', 'MIN AVAILABLE', 'MAX UNAVAILABLE', 'ALLOWED DISRUPTIONS', 'AGE'],
      wide: [],
      yaml: `apiVersion: policy/v1\nkind: PodDisruptionBudget\n${meta('web-pdb', ns)}spec:\n  minAvailable: 1\n  selector:\n    matchLabels:\n      app: web\n`,
    },
    {
      resource: 'endpointslices.discovery.k8s.io',
      name: 'web-abc12',
      namespaced: true,
      headers: ['NAME', 'ADDRESSTYPE', 'PORTS', 'ENDPOINTS', 'AGE'],
      wide: [],
      yaml: `apiVersion: discovery.k8s.io/v1\nkind: EndpointSlice\n${meta('web-abc12', ns, '  labels:\n    kubernetes.io/service-name: web\n')}addressType: IPv4\nendpoints:\n- addresses:\n  - 10.1.2.3\n  conditions:\n    ready: true\n  nodeName: node-${sfx}\nports:\n- name: http\n  port: 80\n  protocol: TCP\n`,
    },
    {
      resource: 'priorityclasses.scheduling.k8s.io',
      name: `high-${sfx}`,
      namespaced: false,
      headers: ['NAME', 'VALUE', 'GLOBAL-DEFAULT', 'AGE', 'PREEMPTIONPOLICY'],
      wide: [],
      yaml: `apiVersion: scheduling.k8s.io/v1\nkind: PriorityClass\n${meta(`high-${sfx}`)}value: 100000\nglobalDefault: false\ndescription: High priority services\n`,
    },
  ];
}

/** The whole file, in the order kubectl would meet it in a real repository (namespace first). */
export const allTypesYaml = (cases: TypeCase[]) => cases.map((c) => c.yaml).join('---\n');
