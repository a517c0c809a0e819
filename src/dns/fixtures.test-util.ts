// Shared fixtures for the DNS unit tests: Services and EndpointSlices in the shapes the API server and
// the EndpointSlice controller produce, and an index loaded with them.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { DnsIndex } from './records.js';
import { serviceRecords } from './service-records.js';

export const ZONE = 'cluster.local';

export function svc(name: string, ns: string, spec: Service['spec']): Service {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name, namespace: ns }, spec };
}

export interface EP {
  ip: string;
  hostname?: string;
  ready?: boolean;
}

export function slice(service: string, ns: string, eps: EP[], ports: EndpointSlice['ports'] = []): EndpointSlice {
  return {
    apiVersion: 'discovery.k8s.io/v1',
    kind: 'EndpointSlice',
    metadata: { name: `${service}-abc`, namespace: ns, labels: { 'kubernetes.io/service-name': service } },
    addressType: eps.some((e) => e.ip.includes(':')) ? 'IPv6' : 'IPv4',
    endpoints: eps.map((e) => ({ addresses: [e.ip], hostname: e.hostname, conditions: e.ready === undefined ? {} : { ready: e.ready } })),
    ports,
  };
}

/** The standard fixture: web (ClusterIP, named ports), db (headless StatefulSet), ext (ExternalName)… */
export function fixtureIndex(): DnsIndex {
  const index = new DnsIndex(ZONE, 5);
  const load = (s: Service, slices: EndpointSlice[] = []) => index.set(`${s.metadata!.namespace}/${s.metadata!.name}`, serviceRecords(s, slices, ZONE));
  load(svc('web', 'default', { clusterIP: '10.43.0.20', clusterIPs: ['10.43.0.20'], ports: [{ name: 'http', port: 80, protocol: 'TCP' }, { name: 'dns', port: 53, protocol: 'UDP' }, { port: 9000 }] }));
  load(
    svc('db', 'prod', { clusterIP: 'None', ports: [{ name: 'pg', port: 5432 }] }),
    [
      slice('db', 'prod', [
        { ip: '10.42.0.5', hostname: 'db-0', ready: true },
        { ip: '10.42.0.6', hostname: 'db-1' },
        { ip: '10.42.0.7', hostname: 'db-2', ready: false },
      ], [{ name: 'pg', port: 5432, protocol: 'TCP' }]),
    ],
  );
  load(svc('anon', 'prod', { clusterIP: 'None' }), [slice('anon', 'prod', [{ ip: '10.42.1.9' }], [{ name: 'http', port: 8080, protocol: 'TCP' }])]);
  load(svc('tolerant', 'prod', { clusterIP: 'None', publishNotReadyAddresses: true }), [slice('tolerant', 'prod', [{ ip: '10.42.2.1', ready: true }, { ip: '10.42.2.2', ready: false }])]);
  load(svc('ext', 'default', { type: 'ExternalName', externalName: 'example.test' }));
  load(svc('alias', 'default', { type: 'ExternalName', externalName: 'WEB.default.svc.cluster.local.' }));
  load(svc('dual', 'default', { clusterIP: '10.43.0.30', clusterIPs: ['10.43.0.30', 'fd00:43::30'] }));
  return index;
}
