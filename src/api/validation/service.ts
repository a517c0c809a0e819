// Service validation as upstream core ValidateService / ValidateServiceUpdate: DNS-1035 names, ports
// (required unless headless or ExternalName; names required and unique when more than one; protocol;
// targetPort; nodePort only for NodePort/LoadBalancer and inside 30000-32767), type, session affinity,
// traffic policies, clusterIP/clusterIPs consistency, externalName, selector labels; on update the
// cluster IPs may not change once set (except to/from ExternalName). The server copies the allocated
// clusterIPs into an update that omits them (upstream patchAllocatedValues), so an empty new list is
// not an error here.
import type { Service, ServicePort } from 'kubernetes-types/core/v1.js';
import { GoValue, duplicate, forbidden, invalid, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { goStrings, validateDNS1123Label, validateDNS1123Subdomain } from './common.js';
import { SUPPORTED_PORT_PROTOCOLS, validatePortNumOrName } from './container.js';
import { validateLabels } from './labels.js';
import { isQualifiedName, isValidIP, isValidPortNum, nameIsDNS1035Label } from './names.js';
import { as, type KindRules } from './rules.js';

const SERVICE_TYPES = ['ClusterIP', 'ExternalName', 'LoadBalancer', 'NodePort'];
const SESSION_AFFINITIES = ['ClientIP', 'None'];
const TRAFFIC_POLICIES = ['Cluster', 'Local'];
const NODE_PORT_RANGE = { min: 30000, max: 32767 };

const isHeadless = (s: Service): boolean => s.spec?.clusterIP === 'None';

function validateServicePort(sp: ServicePort, requireName: boolean, names: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (requireName && !sp.name) errs.push(required(path(field, 'name'), ''));
  else if (sp.name) {
    errs.push(...validateDNS1123Label(sp.name, path(field, 'name')));
    if (names.has(sp.name)) errs.push(duplicate(path(field, 'name'), sp.name));
    names.add(sp.name);
  }
  for (const m of isValidPortNum(sp.port)) errs.push(invalid(path(field, 'port'), sp.port, m));
  if (!sp.protocol) errs.push(required(path(field, 'protocol'), ''));
  else if (!SUPPORTED_PORT_PROTOCOLS.includes(sp.protocol)) errs.push(notSupported(path(field, 'protocol'), sp.protocol, SUPPORTED_PORT_PROTOCOLS));
  errs.push(...validatePortNumOrName(sp.targetPort, path(field, 'targetPort')));
  if (sp.appProtocol) for (const m of isQualifiedName(sp.appProtocol)) errs.push(invalid(path(field, 'appProtocol'), sp.appProtocol, m));
  return errs;
}

function validateClusterIPs(s: Service): FieldError[] {
  const spec = s.spec ?? {};
  const errs: FieldError[] = [];
  const ips = spec.clusterIPs ?? [];
  if (spec.clusterIP && ips.length > 0 && ips[0] !== spec.clusterIP) {
    errs.push(invalid('spec.clusterIPs', goStrings(ips), 'first value must match `clusterIP`'));
  } else if (!spec.clusterIP && ips.length > 0) {
    errs.push(invalid('spec.clusterIPs', goStrings(ips), 'must be empty when `clusterIP` is not specified'));
  }
  ips.forEach((ip, i) => {
    if (i === 0 && ip === 'None') {
      if (ips.length > 1) errs.push(invalid('spec.clusterIPs', goStrings(ips), "'None' must be the first and only value"));
      return;
    }
    if (!isValidIP(ip)) errs.push(invalid(path('spec', 'clusterIPs', i), ip, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  });
  if (spec.clusterIP && ips.length === 0 && spec.clusterIP !== 'None' && !isValidIP(spec.clusterIP)) {
    errs.push(invalid('spec.clusterIP', spec.clusterIP, 'must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)'));
  }
  (spec.ipFamilies ?? []).forEach((f, i) => {
    if (f !== 'IPv4' && f !== 'IPv6') errs.push(notSupported(path('spec', 'ipFamilies', i), f, ['IPv4', 'IPv6']));
  });
  const pol = spec.ipFamilyPolicy;
  const policies = ['PreferDualStack', 'RequireDualStack', 'SingleStack'];
  if (pol && !policies.includes(pol)) errs.push(notSupported('spec.ipFamilyPolicy', pol, policies));
  return errs;
}

function validateService(s: Service): FieldError[] {
  const spec = s.spec ?? {};
  const errs: FieldError[] = [];
  const ports = spec.ports ?? [];
  if (ports.length === 0 && !isHeadless(s) && spec.type !== 'ExternalName') errs.push(required('spec.ports', ''));
  switch (spec.type) {
    case 'LoadBalancer':
    case 'NodePort':
      if (isHeadless(s)) errs.push(invalid('spec.clusterIPs[0]', 'None', `may not be set to 'None' for ${spec.type} services`));
      break;
    case 'ExternalName': {
      if ((spec.clusterIPs ?? []).length > 0 || (spec.clusterIP && spec.clusterIP !== '')) {
        errs.push(forbidden('spec.clusterIPs', 'may not be set for ExternalName services'));
      }
      const cname = (spec.externalName ?? '').replace(/\.$/, '');
      if (cname) errs.push(...validateDNS1123Subdomain(cname, 'spec.externalName'));
      else errs.push(required('spec.externalName', ''));
      break;
    }
  }
  const names = new Set<string>();
  ports.forEach((p, i) => errs.push(...validateServicePort(p, ports.length > 1, names, path('spec', 'ports', i))));
  if (spec.selector) errs.push(...validateLabels(spec.selector, 'spec.selector'));
  if (!spec.sessionAffinity) errs.push(required('spec.sessionAffinity', ''));
  else if (!SESSION_AFFINITIES.includes(spec.sessionAffinity)) errs.push(notSupported('spec.sessionAffinity', spec.sessionAffinity, SESSION_AFFINITIES));
  if (spec.sessionAffinity === 'ClientIP') {
    const t = spec.sessionAffinityConfig?.clientIP?.timeoutSeconds;
    if (t !== undefined && (t <= 0 || t > 86400)) errs.push(invalid('spec.sessionAffinityConfig.clientIP.timeoutSeconds', t, 'must be greater than 0 and less than 86400'));
  } else if (spec.sessionAffinityConfig) {
    errs.push(invalid('spec.sessionAffinityConfig', '', `must not be set when session affinity is ${spec.sessionAffinity ?? ''}`));
  }
  errs.push(...validateClusterIPs(s));
  if (!spec.type) errs.push(required('spec.type', ''));
  else if (!SERVICE_TYPES.includes(spec.type)) errs.push(notSupported('spec.type', spec.type, SERVICE_TYPES));
  const external = spec.type === 'NodePort' || spec.type === 'LoadBalancer';
  const seenNodePorts = new Set<string>();
  const seenPorts = new Set<string>();
  ports.forEach((p, i) => {
    const at = path('spec', 'ports', i);
    if (p.nodePort) {
      if (!external) errs.push(forbidden(path(at, 'nodePort'), `may not be used when \`type\` is '${spec.type ?? ''}'`));
      else if (p.nodePort < NODE_PORT_RANGE.min || p.nodePort > NODE_PORT_RANGE.max) {
        errs.push(invalid(path(at, 'nodePort'), p.nodePort, `provided port is not in the valid range. The range of valid ports is ${NODE_PORT_RANGE.min}-${NODE_PORT_RANGE.max}`));
      }
      const k = `${p.protocol}/${p.nodePort}`;
      if (seenNodePorts.has(k)) errs.push(duplicate(path(at, 'nodePort'), p.nodePort));
      seenNodePorts.add(k);
    }
    const pk = `${p.protocol}/${p.port}`;
    if (seenPorts.has(pk)) {
      const shown = `core.ServicePort{Name:"", Protocol:${JSON.stringify(p.protocol ?? '')}, AppProtocol:(*string)(nil), Port:${p.port}, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:""}, NodePort:0}`;
      errs.push(duplicate(at, new GoValue(shown)));
    }
    seenPorts.add(pk);
  });
  const etp = spec.externalTrafficPolicy;
  if (etp) {
    if (!external) errs.push(invalid('spec.externalTrafficPolicy', etp, 'may only be set for externally-accessible services'));
    else if (!TRAFFIC_POLICIES.includes(etp)) errs.push(notSupported('spec.externalTrafficPolicy', etp, TRAFFIC_POLICIES));
  }
  const itp = spec.internalTrafficPolicy;
  if (itp && !TRAFFIC_POLICIES.includes(itp)) errs.push(notSupported('spec.internalTrafficPolicy', itp, TRAFFIC_POLICIES));
  if (spec.healthCheckNodePort && !(external && etp === 'Local')) {
    errs.push(invalid('spec.healthCheckNodePort', spec.healthCheckNodePort, 'may only be set when `type` is \'LoadBalancer\' and `externalTrafficPolicy` is \'Local\''));
  }
  return errs;
}

function validateServiceUpdate(s: Service, old: Service): FieldError[] {
  if (s.spec?.type === 'ExternalName' || old.spec?.type === 'ExternalName') return [];
  if (isHeadless(s) && isHeadless(old)) return [];
  const n = s.spec?.clusterIPs ?? [];
  const o = old.spec?.clusterIPs ?? [];
  if (n.length === 0) return [];
  const errs: FieldError[] = [];
  if (n.length === o.length) {
    o.forEach((ip, i) => {
      if (ip !== n[i]) errs.push(invalid(path('spec', 'clusterIPs', i), goStrings(n), 'may not change once set'));
    });
  } else if (o.length > 0 && n[0] !== o[0]) {
    errs.push(invalid('spec.clusterIPs[0]', goStrings(n), 'may not change once set'));
  }
  return errs;
}

export const serviceRules: KindRules = {
  nameFn: nameIsDNS1035Label,
  validate: (o) => validateService(as(o)),
  validateUpdate: (o, old) => validateServiceUpdate(as(o), as(old)),
};
