// The records one Service contributes to the cluster zone, from the Service and its EndpointSlices —
// a pure function of the two, following the Kubernetes DNS specification (kubernetes/dns
// docs/specification.md, schema 1.1.0):
//  - ClusterIP:    <svc>.<ns>.svc.<zone> A/AAAA <clusterIP>; SRV _<port>._<proto>.<svc>… → <svc>…;
//                  PTR <reversed clusterIP> → <svc>…
//  - headless:     <svc>… A/AAAA per ready endpoint address (every address with
//                  publishNotReadyAddresses); <host>.<svc>… A for each, where <host> is the endpoint's
//                  hostname (StatefulSet pods) or the dashed address (10-42-0-7); SRV per named port per
//                  endpoint with target <host>.<svc>…; PTR <reversed address> → <host>.<svc>…
//  - ExternalName: <svc>… CNAME <externalName>.
import type { Service } from 'kubernetes-types/core/v1.js';
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { isIP } from 'node:net';
import { canonical, dashed, reverseName } from './names.js';
import type { ZoneRecord } from './records.js';

/** The label EndpointSlices carry naming their Service. */
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';

const addressType = (ip: string): 'A' | 'AAAA' => (isIP(ip) === 6 ? 'AAAA' : 'A');

export function isHeadless(svc: Service): boolean {
  return svc.spec?.type !== 'ExternalName' && (svc.spec?.clusterIP === 'None' || svc.spec?.clusterIP === undefined || svc.spec.clusterIP === '');
}

/** Every record for `svc` (slices must be the Service's own, by the service-name label). */
export function serviceRecords(svc: Service, slices: readonly EndpointSlice[], zone: string): ZoneRecord[] {
  const ns = svc.metadata?.namespace ?? 'default';
  const base = `${canonical(svc.metadata?.name ?? '')}.${ns}.svc.${zone}`;
  const spec = svc.spec ?? {};
  if (spec.type === 'ExternalName') {
    return spec.externalName ? [{ name: base, type: 'CNAME', data: canonical(spec.externalName) }] : [];
  }
  if (!isHeadless(svc)) return clusterIPRecords(svc, base);
  return headlessRecords(svc, slices, base);
}

function clusterIPRecords(svc: Service, base: string): ZoneRecord[] {
  const spec = svc.spec ?? {};
  const ips = spec.clusterIPs?.length ? spec.clusterIPs : spec.clusterIP ? [spec.clusterIP] : [];
  const out: ZoneRecord[] = [];
  for (const ip of ips) {
    if (!isIP(ip)) continue;
    out.push({ name: base, type: addressType(ip), data: ip });
    const rev = reverseName(ip);
    if (rev) out.push({ name: rev, type: 'PTR', data: base });
  }
  for (const p of spec.ports ?? []) {
    if (!p.name) continue; // SRV records exist only for named ports
    out.push({ name: `_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${base}`, type: 'SRV', data: { priority: 0, weight: 100, port: p.port, target: base } });
  }
  return out;
}

function headlessRecords(svc: Service, slices: readonly EndpointSlice[], base: string): ZoneRecord[] {
  const includeNotReady = svc.spec?.publishNotReadyAddresses === true;
  // One entry per distinct address: slices of the two address families, or overlapping slices during
  // a controller update, may list the same endpoint twice.
  const endpoints = new Map<string, { ip: string; host: string; ports: NonNullable<EndpointSlice['ports']> }>();
  for (const slice of slices) {
    if (slice.addressType === 'FQDN') continue;
    for (const ep of slice.endpoints ?? []) {
      // A nil `ready` means ready (discovery/v1 EndpointConditions doc comment).
      if (!includeNotReady && ep.conditions?.ready === false) continue;
      for (const ip of ep.addresses ?? []) {
        if (!isIP(ip) || endpoints.has(ip)) continue;
        endpoints.set(ip, { ip, host: ep.hostname ? canonical(ep.hostname) : dashed(ip), ports: slice.ports ?? [] });
      }
    }
  }
  const out: ZoneRecord[] = [];
  const srv: ZoneRecord[] = [];
  for (const { ip, host, ports } of endpoints.values()) {
    const hostName = `${host}.${base}`;
    out.push({ name: base, type: addressType(ip), data: ip });
    out.push({ name: hostName, type: addressType(ip), data: ip });
    const rev = reverseName(ip);
    if (rev) out.push({ name: rev, type: 'PTR', data: hostName });
    for (const p of ports) {
      if (!p.name || p.port === undefined) continue;
      srv.push({ name: `_${p.name}._${(p.protocol ?? 'TCP').toLowerCase()}.${base}`, type: 'SRV', data: { priority: 0, weight: 0, port: p.port, target: hostName } });
    }
  }
  // CoreDNS spreads weight evenly over a name's SRV records (100 / count, integer division).
  const perName = new Map<string, number>();
  for (const r of srv) perName.set(r.name, (perName.get(r.name) ?? 0) + 1);
  for (const r of srv) if (r.type === 'SRV') r.data.weight = Math.max(1, Math.floor(100 / perName.get(r.name)!));
  return [...out, ...srv];
}
