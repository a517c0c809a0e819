// networking.k8s.io/v1 validation as upstream pkg/apis/networking/validation: Ingress (rules or a
// default backend; hosts are DNS names or wildcards, not IPs; HTTP paths need a pathType and an
// absolute path; backends name a service and exactly one of port name/number), IngressClass (a
// domain-prefixed controller that never changes) and NetworkPolicy (selectors, ports, peers, types).
import type { Ingress, IngressBackend, IngressClass, NetworkPolicy, NetworkPolicyPeer, NetworkPolicyPort, NetworkPolicySpec } from 'kubernetes-types/networking/v1.js';
import { GoValue, forbidden, invalid, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { validateImmutable, validateDNS1123Subdomain } from './common.js';
import { validateLabelSelector } from './labels.js';
import { isDNS1035Label, isDNS1123Subdomain, isValidCIDR, isValidIP, isValidPortName, isValidPortNum, regexError, VALID_CIDR_MSG } from './names.js';
import { as, type KindRules } from './rules.js';

const WILDCARD_FMT = '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*';
const WILDCARD_RE = new RegExp(`^${WILDCARD_FMT}$`);
const WILDCARD_MSG =
  "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character";

function validateHost(host: string, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (host.includes('*')) {
    if (host.length > 253) errs.push(invalid(field, host, 'must be no more than 253 characters'));
    if (!WILDCARD_RE.test(host)) errs.push(invalid(field, host, regexError(WILDCARD_MSG, WILDCARD_FMT, '*.example.com')));
  } else errs.push(...isDNS1123Subdomain(host).map((m) => invalid(field, host, m)));
  if (isValidIP(host)) errs.push(invalid(field, host, 'must be a DNS name, not an IP address'));
  return errs;
}

function validateBackend(b: IngressBackend, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (b.resource && b.service) return [invalid(field, '', 'cannot set both resource and service backends')];
  if (b.resource) {
    if (!b.resource.kind) errs.push(required(path(field, 'resource', 'kind'), ''));
    if (!b.resource.name) errs.push(required(path(field, 'resource', 'name'), ''));
    return errs;
  }
  if (!b.service) return [invalid(field, '', 'resource or service backend is required')];
  const s = b.service;
  if (!s.name) errs.push(required(path(field, 'service', 'name'), ''));
  else errs.push(...isDNS1035Label(s.name).map((m) => invalid(path(field, 'service', 'name'), s.name, m)));
  const hasName = !!s.port?.name;
  const hasNumber = !!s.port?.number;
  if (hasName && hasNumber) errs.push(invalid(field, '', 'cannot set both port name & port number'));
  else if (hasName) errs.push(...isValidPortName(s.port!.name!).map((m) => invalid(path(field, 'service', 'port', 'name'), s.port!.name, m)));
  else if (hasNumber) errs.push(...isValidPortNum(s.port!.number!).map((m) => invalid(path(field, 'service', 'port', 'number'), s.port!.number, m)));
  else errs.push(required(field, 'port name or number is required'));
  return errs;
}

const PATH_TYPES = ['Exact', 'ImplementationSpecific', 'Prefix'];
const INVALID_SEQUENCES = ['//', '/./', '/../', '%2f', '%2F'];
const INVALID_SUFFIXES = ['/..', '/.'];

function validateIngress(ing: Ingress): FieldError[] {
  const spec = ing.spec ?? {};
  const errs: FieldError[] = [];
  const rules = spec.rules ?? [];
  if (rules.length === 0 && !spec.defaultBackend) {
    errs.push(invalid('spec', new GoValue(rules.length ? '[]networking.IngressRule{…}' : '[]networking.IngressRule(nil)'), 'either `defaultBackend` or `rules` must be specified'));
  }
  if (spec.defaultBackend) errs.push(...validateBackend(spec.defaultBackend, 'spec.defaultBackend'));
  rules.forEach((r, i) => {
    const at = path('spec', 'rules', i);
    if (r.host) errs.push(...validateHost(r.host, path(at, 'host')));
    if (!r.http) return;
    const pathsAt = path(at, 'http', 'paths');
    if ((r.http.paths ?? []).length === 0) errs.push(required(pathsAt, ''));
    (r.http.paths ?? []).forEach((p, j) => {
      const pp = path(pathsAt, j);
      if (!p.pathType) {
        errs.push(required(path(pp, 'pathType'), 'pathType must be specified'));
        return;
      }
      const value = p.path ?? '';
      if (p.pathType === 'Exact' || p.pathType === 'Prefix') {
        if (!value.startsWith('/')) errs.push(invalid(path(pp, 'path'), value, 'must be an absolute path'));
        for (const seq of INVALID_SEQUENCES) if (value.includes(seq)) errs.push(invalid(path(pp, 'path'), value, `must not contain '${seq}'`));
        for (const suf of INVALID_SUFFIXES) if (value.endsWith(suf)) errs.push(invalid(path(pp, 'path'), value, `cannot end with '${suf}'`));
      } else if (p.pathType === 'ImplementationSpecific') {
        if (value && !value.startsWith('/')) errs.push(invalid(path(pp, 'path'), value, 'must be an absolute path'));
      } else {
        errs.push(notSupported(path(pp, 'pathType'), p.pathType, PATH_TYPES));
      }
      errs.push(...validateBackend(p.backend ?? {}, path(pp, 'backend')));
    });
  });
  (spec.tls ?? []).forEach((t, i) => {
    (t.hosts ?? []).forEach((h, j) => errs.push(...validateHost(h, path('spec', 'tls', i, 'hosts', j))));
    if (t.secretName) errs.push(...validateDNS1123Subdomain(t.secretName, path('spec', 'tls', i, 'secretName')));
  });
  if (spec.ingressClassName) errs.push(...validateDNS1123Subdomain(spec.ingressClassName, 'spec.ingressClassName'));
  return errs;
}

const DOMAIN_PATH_RE = /^[A-Za-z0-9/\-._~%!$&'()*+,;=:]+$/;

/** Upstream IsDomainPrefixedPath (IngressClass controller). */
function validateDomainPrefixedPath(value: string | undefined, field: string): FieldError[] {
  if (!value) return [required(field, '')];
  const i = value.indexOf('/');
  if (i <= 0) return [invalid(field, value, 'must be a domain-prefixed path (such as "acme.io/foo")')];
  const host = value.slice(0, i);
  const rest = value.slice(i + 1);
  const errs = isDNS1123Subdomain(host).map((m) => invalid(field, host, m));
  if (rest && !DOMAIN_PATH_RE.test(rest)) {
    errs.push(invalid(field, rest, regexError('Invalid path', "[A-Za-z0-9/\\-._~%!$&'()*+,;=:]+")));
  }
  return errs;
}

function validateIngressClass(ic: IngressClass): FieldError[] {
  const errs: FieldError[] = [];
  const c = ic.spec?.controller;
  if (c && c.length > 250) errs.push({ type: 'FieldValueTooLong', field: 'spec.controller', detail: 'must have at most 250 bytes' });
  errs.push(...validateDomainPrefixedPath(c, 'spec.controller'));
  const p = ic.spec?.parameters;
  if (p) {
    if (!p.kind) errs.push(required('spec.parameters.kind', ''));
    if (!p.name) errs.push(required('spec.parameters.name', ''));
    if (p.scope && p.scope !== 'Cluster' && p.scope !== 'Namespace') errs.push(notSupported('spec.parameters.scope', p.scope, ['Cluster', 'Namespace']));
    if (p.scope === 'Namespace' && !p.namespace) errs.push(required('spec.parameters.namespace', '`parameters.scope` is set to "Namespace"'));
    if (p.scope === 'Cluster' && p.namespace) errs.push(forbidden('spec.parameters.namespace', '`parameters.scope` is set to "Cluster"'));
  }
  return errs;
}

function validatePolicyPort(p: NetworkPolicyPort, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (p.protocol && !['TCP', 'UDP', 'SCTP'].includes(p.protocol)) errs.push(notSupported(path(field, 'protocol'), p.protocol, ['TCP', 'UDP', 'SCTP']));
  if (typeof p.port === 'number') {
    errs.push(...isValidPortNum(p.port).map((m) => invalid(path(field, 'port'), p.port, m)));
    if (p.endPort !== undefined) {
      if (p.endPort < p.port) errs.push(invalid(path(field, 'endPort'), p.port, 'must be greater than or equal to `port`'));
      errs.push(...isValidPortNum(p.endPort).map((m) => invalid(path(field, 'endPort'), p.endPort, m)));
    }
  } else if (typeof p.port === 'string') {
    if (p.endPort !== undefined) errs.push(invalid(path(field, 'endPort'), p.endPort, 'may not be specified when `port` is non-numeric'));
    errs.push(...isValidPortName(p.port).map((m) => invalid(path(field, 'port'), p.port, m)));
  } else if (p.endPort !== undefined) {
    errs.push(invalid(path(field, 'endPort'), p.endPort, 'may not be specified when `port` is not specified'));
  }
  return errs;
}

function validatePeer(peer: NetworkPolicyPeer, field: string): FieldError[] {
  const errs: FieldError[] = [];
  let n = 0;
  if (peer.podSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.podSelector, path(field, 'podSelector')));
  }
  if (peer.namespaceSelector) {
    n++;
    errs.push(...validateLabelSelector(peer.namespaceSelector, path(field, 'namespaceSelector')));
  }
  if (peer.ipBlock) {
    n++;
    const ip = peer.ipBlock;
    if (!ip.cidr) errs.push(required(path(field, 'ipBlock', 'cidr'), ''));
    else {
      if (!isValidCIDR(ip.cidr)) errs.push(invalid(path(field, 'ipBlock', 'cidr'), ip.cidr, VALID_CIDR_MSG));
      (ip.except ?? []).forEach((e, i) => {
        if (!isValidCIDR(e)) errs.push(invalid(path(field, 'ipBlock', 'except', i), e, VALID_CIDR_MSG));
      });
    }
  }
  if (n === 0) errs.push(required(field, 'must specify a peer'));
  else if (n > 1 && peer.ipBlock) errs.push(forbidden(field, 'may not specify both ipBlock and another peer'));
  return errs;
}

function validateNetworkPolicy(np: NetworkPolicy): FieldError[] {
  const spec: NetworkPolicySpec = np.spec ?? { podSelector: {} };
  const errs = validateLabelSelector(spec.podSelector, 'spec.podSelector');
  (spec.ingress ?? []).forEach((r, i) => {
    (r.ports ?? []).forEach((p, j) => errs.push(...validatePolicyPort(p, path('spec', 'ingress', i, 'ports', j))));
    (r.from ?? []).forEach((p, j) => errs.push(...validatePeer(p, path('spec', 'ingress', i, 'from', j))));
  });
  (spec.egress ?? []).forEach((r, i) => {
    (r.ports ?? []).forEach((p, j) => errs.push(...validatePolicyPort(p, path('spec', 'egress', i, 'ports', j))));
    (r.to ?? []).forEach((p, j) => errs.push(...validatePeer(p, path('spec', 'egress', i, 'to', j))));
  });
  const types = spec.policyTypes ?? [];
  if (types.length > 2) return [...errs, invalid('spec.policyTypes', new GoValue(`&[]networking.PolicyType{${types.map((t) => JSON.stringify(t)).join(', ')}}`), 'may not specify more than two policyTypes')];
  types.forEach((t, i) => {
    if (t !== 'Ingress' && t !== 'Egress') errs.push(notSupported(path('spec', 'policyTypes', i), t, ['Ingress', 'Egress']));
  });
  return errs;
}

export const networkingRules: Record<string, KindRules> = {
  'networking.k8s.io/Ingress': { validate: (o) => validateIngress(as(o)) },
  'networking.k8s.io/IngressClass': {
    validate: (o) => validateIngressClass(as(o)),
    validateUpdate: (o, old) => validateImmutable(as<IngressClass>(o).spec?.controller ?? '', as<IngressClass>(old).spec?.controller ?? '', 'spec.controller'),
  },
  'networking.k8s.io/NetworkPolicy': { validate: (o) => validateNetworkPolicy(as(o)) },
};
