import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { Service } from 'kubernetes-types/core/v1.js';
import type { KubeObject } from '../../machinery/object.js';
import { getValidator } from './index.js';
import { lines } from './helpers.test-util.js';

function svc(mut: (s: Service) => void = () => {}): KubeObject {
  const s: Service = {
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      type: 'ClusterIP',
      sessionAffinity: 'None',
      internalTrafficPolicy: 'Cluster',
      clusterIP: '10.96.0.10',
      clusterIPs: ['10.96.0.10'],
      selector: { app: 'web' },
      ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }],
    },
  };
  mut(s);
  return s as unknown as KubeObject;
}

const v = getValidator('', 'Service');

const cases: Array<{ name: string; mut: (s: Service) => void; want: string[] }> = [
  { name: 'valid', mut: () => {}, want: [] },
  {
    name: 'name is a DNS-1035 label',
    mut: (s) => (s.metadata!.name = '1web'),
    want: [
      `metadata.name: Invalid value: "1web": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')`,
    ],
  },
  { name: 'ports required', mut: (s) => (s.spec!.ports = []), want: ['spec.ports: Required value'] },
  { name: 'headless without ports', mut: (s) => ((s.spec!.ports = []), (s.spec!.clusterIP = 'None'), (s.spec!.clusterIPs = ['None'])), want: [] },
  {
    name: 'names required when several, and unique',
    mut: (s) => (s.spec!.ports = [{ port: 80, protocol: 'TCP', name: 'http' }, { port: 81, protocol: 'TCP' }, { port: 82, protocol: 'TCP', name: 'http' }]),
    want: ['spec.ports[1].name: Required value', 'spec.ports[2].name: Duplicate value: "http"'],
  },
  { name: 'port range', mut: (s) => (s.spec!.ports![0]!.port = 0), want: ['spec.ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive'] },
  { name: 'protocol', mut: (s) => (s.spec!.ports![0]!.protocol = 'HTTP'), want: ['spec.ports[0].protocol: Unsupported value: "HTTP": supported values: "SCTP", "TCP", "UDP"'] },
  { name: 'targetPort name', mut: (s) => (s.spec!.ports![0]!.targetPort = 'HTTP_1'), want: ['spec.ports[0].targetPort: Invalid value: "HTTP_1": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)', 'spec.ports[0].targetPort: Invalid value: "HTTP_1": must contain at least one letter (a-z)'] },
  { name: 'nodePort on ClusterIP', mut: (s) => (s.spec!.ports![0]!.nodePort = 30080), want: ["spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"] },
  {
    name: 'nodePort out of range',
    mut: (s) => ((s.spec!.type = 'NodePort'), (s.spec!.externalTrafficPolicy = 'Cluster'), (s.spec!.ports![0]!.nodePort = 80)),
    want: ['spec.ports[0].nodePort: Invalid value: 80: provided port is not in the valid range. The range of valid ports is 30000-32767'],
  },
  { name: 'type', mut: (s) => (s.spec!.type = 'Foo'), want: ['spec.type: Unsupported value: "Foo": supported values: "ClusterIP", "ExternalName", "LoadBalancer", "NodePort"'] },
  { name: 'bad selector', mut: (s) => (s.spec!.selector = { app: 'a b' }), want: [`spec.selector: Invalid value: "a b": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`] },
  {
    name: 'ExternalName',
    mut: (s) => ((s.spec!.type = 'ExternalName'), delete s.spec!.clusterIP, delete s.spec!.clusterIPs, (s.spec!.externalName = 'example.com.')),
    want: [],
  },
  { name: 'ExternalName required', mut: (s) => ((s.spec!.type = 'ExternalName'), delete s.spec!.clusterIP, delete s.spec!.clusterIPs), want: ['spec.externalName: Required value'] },
  { name: 'duplicate port', mut: (s) => (s.spec!.ports = [{ name: 'a', port: 80, protocol: 'TCP' }, { name: 'b', port: 80, protocol: 'TCP' }]), want: ['spec.ports[1]: Duplicate value: core.ServicePort{Name:"", Protocol:"TCP", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}'] },
  { name: 'bad clusterIP', mut: (s) => ((s.spec!.clusterIP = '10.0.0.300'), (s.spec!.clusterIPs = ['10.0.0.300'])), want: ['spec.clusterIPs[0]: Invalid value: "10.0.0.300": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'] },
];

for (const c of cases) {
  test(`Service validate: ${c.name}`, () => {
    assert.deepEqual(lines(v.validate(svc(c.mut))), c.want);
  });
}

test('Service update: clusterIP may not change once set', () => {
  assert.deepEqual(v.validateUpdate(svc((s) => (s.spec!.ports![0]!.port = 81)), svc()), []);
  assert.deepEqual(lines(v.validateUpdate(svc((s) => ((s.spec!.clusterIP = '10.96.0.11'), (s.spec!.clusterIPs = ['10.96.0.11']))), svc())), [
    'spec.clusterIPs[0]: Invalid value: []string{"10.96.0.11"}: may not change once set',
  ]);
});
