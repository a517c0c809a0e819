// discovery.k8s.io/v1 EndpointSlice validation as upstream pkg/apis/discovery/validation: a supported
// addressType that never changes, endpoints with 1-100 addresses of that type, ports with unique
// DNS-label names and supported protocols.
import type { EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import { duplicate, invalid, notSupported, path, required, tooMany, type FieldError } from '../../machinery/field-errors.js';
import { validateDNS1123Label, validateDNS1123Subdomain, validateImmutable } from './common.js';
import { SUPPORTED_PORT_PROTOCOLS } from './container.js';
import { isDNS1123Subdomain, isQualifiedName, isValidIP } from './names.js';
import { as, type KindRules } from './rules.js';

const ADDRESS_TYPES = ['FQDN', 'IPv4', 'IPv6'];

function validateAddress(type: string, a: string, field: string): FieldError[] {
  switch (type) {
    case 'IPv4':
      return isValidIP(a) && !a.includes(':') ? [] : [invalid(field, a, 'must be a valid IPv4 address')];
    case 'IPv6':
      return isValidIP(a) && a.includes(':') ? [] : [invalid(field, a, 'must be a valid IPv6 address')];
    case 'FQDN': {
      const errs = isDNS1123Subdomain(a.toLowerCase()).map((m) => invalid(field, a, m));
      if (!a.includes('.')) errs.push(invalid(field, a, 'should be a domain with at least two segments separated by dots'));
      return errs;
    }
    default:
      return [];
  }
}

function validateEndpointSlice(es: EndpointSlice): FieldError[] {
  const errs: FieldError[] = [];
  const eps = es.endpoints ?? [];
  if (eps.length > 1000) errs.push(tooMany('endpoints', eps.length, 1000));
  eps.forEach((ep, i) => {
    const at = path('endpoints', i);
    const addrs = ep.addresses ?? [];
    if (addrs.length === 0) errs.push(required(path(at, 'addresses'), 'must contain at least 1 address'));
    else if (addrs.length > 100) errs.push(tooMany(path(at, 'addresses'), addrs.length, 100));
    addrs.forEach((a, j) => errs.push(...validateAddress(es.addressType, a, path(at, 'addresses', j))));
    if (ep.nodeName) errs.push(...validateDNS1123Subdomain(ep.nodeName, path(at, 'nodeName')));
    if (ep.hostname) errs.push(...validateDNS1123Label(ep.hostname, path(at, 'hostname')));
  });
  if (!es.addressType) errs.push(required('addressType', ''));
  else if (!ADDRESS_TYPES.includes(es.addressType)) errs.push(notSupported('addressType', es.addressType, ADDRESS_TYPES));
  const ports = es.ports ?? [];
  if (ports.length > 20000) errs.push(tooMany('ports', ports.length, 20000));
  const names = new Set<string>();
  ports.forEach((p, i) => {
    const at = path('ports', i);
    const name = p.name ?? '';
    if (name) errs.push(...validateDNS1123Label(name, path(at, 'name')));
    if (names.has(name)) errs.push(duplicate(path(at, 'name'), name));
    names.add(name);
    if (!p.protocol) errs.push(required(path(at, 'protocol'), ''));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(p.protocol)) errs.push(notSupported(path(at, 'protocol'), p.protocol, SUPPORTED_PORT_PROTOCOLS));
    if (p.appProtocol) for (const m of isQualifiedName(p.appProtocol)) errs.push(invalid(path(at, 'appProtocol'), p.appProtocol, m));
  });
  return errs;
}

export const discoveryRules: Record<string, KindRules> = {
  'discovery.k8s.io/EndpointSlice': {
    validate: (o) => validateEndpointSlice(as(o)),
    validateUpdate: (o, old) => validateImmutable(as<EndpointSlice>(o).addressType, as<EndpointSlice>(old).addressType, 'addressType'),
  },
};
