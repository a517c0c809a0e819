// The smaller core/v1 kinds, as upstream core validation: Namespace (DNS-label name, spec.finalizers),
// Node (podCIDRs, taints; podCIDRs set once), Endpoints (subsets' addresses and ports),
// ReplicationController (map selector matching the template), PodTemplate, ResourceQuota (quota
// resource names and quantities), LimitRange (min ≤ default request ≤ default ≤ max).
import type { Endpoints, LimitRange, Namespace, Node, PodTemplate, ReplicationController, ResourceQuota, Taint } from 'kubernetes-types/core/v1.js';
import { GoValue, duplicate, forbidden, invalid, key, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { selectorFromSet } from '../../machinery/labels.js';
import type { Quantity } from '../../machinery/quantity.js';
import { parseQuantity } from '../../machinery/quantity.js';
import { semanticEqual, validateDNS1123Label, validateDNS1123Subdomain, validateNonnegative } from './common.js';
import { SUPPORTED_PORT_PROTOCOLS } from './container.js';
import { validateLabels } from './labels.js';
import { isQualifiedName, isValidCIDR, isValidIP, isValidLabelValue, isValidPortNum, nameIsDNSLabel, VALID_CIDR_MSG } from './names.js';
import { validatePodTemplateSpec, validateTaintEffect } from './pod-spec.js';
import { validateQuantityMap } from './resources.js';
import { as, type KindRules } from './rules.js';
import { validateReplicatedTemplate } from './workload-template.js';

const STANDARD_FINALIZERS = new Set(['kubernetes', 'orphan', 'foregroundDeletion']);

function validateNamespace(ns: Namespace): FieldError[] {
  const errs: FieldError[] = [];
  for (const f of ns.spec?.finalizers ?? []) {
    const msgs = isQualifiedName(f);
    for (const m of msgs) errs.push(invalid('spec.finalizers', f, m));
    if (msgs.length === 0 && !f.includes('/') && !STANDARD_FINALIZERS.has(f)) {
      errs.push(invalid('spec.finalizers', f, 'name is neither a standard finalizer name nor is it fully qualified'));
    }
  }
  return errs;
}

function validateTaints(taints: Taint[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (taints ?? []).forEach((t, i) => {
    const at = path(field, i);
    for (const m of isQualifiedName(t.key ?? '')) errs.push(invalid(path(at, 'key'), t.key ?? '', m));
    const vm = isValidLabelValue(t.value ?? '');
    if (vm.length) errs.push(invalid(path(at, 'value'), t.value ?? '', vm.join(';')));
    errs.push(...validateTaintEffect(t.effect, false, path(at, 'effect')));
    const k = `${t.effect}/${t.key}`;
    if (seen.has(k)) {
      errs.push({ ...duplicate(at, new GoValue(`core.Taint{Key:${JSON.stringify(t.key)}, Value:${JSON.stringify(t.value ?? '')}, Effect:${JSON.stringify(t.effect)}, TimeAdded:<nil>}`)), detail: 'taints must be unique by key and effect pair' });
    }
    seen.add(k);
  });
  return errs;
}

function validateNode(n: Node): FieldError[] {
  const errs: FieldError[] = [];
  (n.spec?.podCIDRs ?? []).forEach((c, i) => {
    if (!isValidCIDR(c)) errs.push(invalid(path('spec', 'podCIDRs', i), c, VALID_CIDR_MSG));
  });
  const cidrs = n.spec?.podCIDRs ?? [];
  if (cidrs.length > 2) errs.push(invalid('spec.podCIDRs', new GoValue(`[]string{${cidrs.map((c) => JSON.stringify(c)).join(', ')}}`), 'may specify no more than one CIDR for each IP family'));
  errs.push(...validateTaints(n.spec?.taints, 'spec.taints'));
  return errs;
}

function validateNodeUpdate(n: Node, old: Node): FieldError[] {
  const errs: FieldError[] = [];
  const o = old.spec?.podCIDRs ?? [];
  if (o.length > 0 && !semanticEqual(n.spec?.podCIDRs, o)) {
    errs.push(forbidden('spec.podCIDRs', 'node updates may not change podCIDR except from "" to valid'));
  }
  if (old.spec?.providerID && n.spec?.providerID !== old.spec.providerID) {
    errs.push(forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  }
  return errs;
}

function validateEndpoints(ep: Endpoints): FieldError[] {
  const errs: FieldError[] = [];
  (ep.subsets ?? []).forEach((ss, i) => {
    const at = path('subsets', i);
    if ((ss.addresses ?? []).length === 0 && (ss.notReadyAddresses ?? []).length === 0) {
      errs.push(required(at, 'must specify `addresses` or `notReadyAddresses`'));
    }
    for (const kind of ['addresses', 'notReadyAddresses'] as const) {
      (ss[kind] ?? []).forEach((a, j) => {
        const ap = path(at, kind, j);
        if (!isValidIP(a.ip)) errs.push(invalid(path(ap, 'ip'), a.ip, 'must be a valid IP address'));
        else if (/^127\./.test(a.ip) || a.ip === '::1') errs.push(invalid(path(ap, 'ip'), a.ip, 'may not be in the loopback range (127.0.0.0/8, ::1/128)'));
        if (a.hostname) errs.push(...validateDNS1123Label(a.hostname, path(ap, 'hostname')));
        if (a.nodeName) errs.push(...validateDNS1123Subdomain(a.nodeName, path(ap, 'nodeName')));
      });
    }
    const ports = ss.ports ?? [];
    ports.forEach((p, j) => {
      const pp = path(at, 'ports', j);
      if (ports.length > 1 && !p.name) errs.push(required(path(pp, 'name'), ''));
      else if (p.name) errs.push(...validateDNS1123Label(p.name, path(pp, 'name')));
      for (const m of isValidPortNum(p.port)) errs.push(invalid(path(pp, 'port'), p.port, m));
      if (!p.protocol) errs.push(required(path(pp, 'protocol'), ''));
      else if (!SUPPORTED_PORT_PROTOCOLS.includes(p.protocol)) errs.push(notSupported(path(pp, 'protocol'), p.protocol, SUPPORTED_PORT_PROTOCOLS));
    });
  });
  return errs;
}

function validateReplicationController(rc: ReplicationController): FieldError[] {
  const spec = rc.spec ?? {};
  const errs = validateNonnegative(spec.minReadySeconds, 'spec.minReadySeconds');
  const sel = spec.selector ?? {};
  if (Object.keys(sel).length === 0) errs.push(required('spec.selector', ''));
  else errs.push(...validateLabels(sel, 'spec.selector'));
  errs.push(...validateNonnegative(spec.replicas, 'spec.replicas'));
  let selector;
  try {
    selector = selectorFromSet(sel);
  } catch {
    selector = undefined;
  }
  errs.push(...validateReplicatedTemplate(spec.template, selector, 'spec.template', 'ReplicationController'));
  return errs;
}

const QUOTA_STANDARD = new Set([
  'pods', 'services', 'replicationcontrollers', 'resourcequotas', 'secrets', 'configmaps', 'persistentvolumeclaims',
  'services.nodeports', 'services.loadbalancers', 'cpu', 'memory', 'ephemeral-storage', 'storage', 'requests.cpu',
  'requests.memory', 'requests.storage', 'requests.ephemeral-storage', 'limits.cpu', 'limits.memory', 'limits.ephemeral-storage',
]);
const QUOTA_SCOPES = ['BestEffort', 'CrossNamespacePodAffinity', 'NotBestEffort', 'NotTerminating', 'PriorityClass', 'Terminating'];

function validateResourceQuota(rq: ResourceQuota): FieldError[] {
  const errs: FieldError[] = [];
  const hard = (rq.spec?.hard ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(hard)) {
    const p = key('spec.hard', name);
    for (const m of isQualifiedName(name)) errs.push(invalid(p, name, m));
    const standard = QUOTA_STANDARD.has(name) || name.startsWith('hugepages-') || name.startsWith('requests.hugepages-') || name.startsWith('count/');
    if (!name.includes('/') && !standard) errs.push(invalid(p, name, 'must be a standard resource for quota'));
  }
  errs.push(...validateQuantityMap(hard, 'spec.hard').errs);
  for (const s of rq.spec?.scopes ?? []) if (!QUOTA_SCOPES.includes(s)) errs.push(notSupported('spec.scopes', s, QUOTA_SCOPES));
  return errs;
}

const LIMIT_TYPES = new Set(['Pod', 'Container', 'PersistentVolumeClaim']);

function validateLimitRange(lr: LimitRange): FieldError[] {
  const errs: FieldError[] = [];
  const seenTypes = new Set<string>();
  (lr.spec?.limits ?? []).forEach((l, i) => {
    const at = path('spec', 'limits', i);
    for (const m of isQualifiedName(l.type ?? '')) errs.push(invalid(path(at, 'type'), l.type ?? '', m));
    if (l.type && !l.type.includes('/') && !LIMIT_TYPES.has(l.type)) errs.push(invalid(path(at, 'type'), l.type, 'must be a standard limit type or fully qualified'));
    if (seenTypes.has(l.type)) errs.push(duplicate(path(at, 'type'), l.type));
    seenTypes.add(l.type);
    const parse = (f: 'max' | 'min' | 'default' | 'defaultRequest' | 'maxLimitRequestRatio') => {
      const r = validateQuantityMap(l[f] as Record<string, unknown> | undefined, path(at, f));
      errs.push(...r.errs);
      return r.parsed;
    };
    const max = parse('max');
    const min = parse('min');
    const def = parse('default');
    const defReq = parse('defaultRequest');
    const ratio = parse('maxLimitRequestRatio');
    if (l.type === 'Pod') {
      if (def.size) errs.push(forbidden(path(at, 'default'), "may not be specified when `type` is 'Pod'"));
      if (defReq.size) errs.push(forbidden(path(at, 'defaultRequest'), "may not be specified when `type` is 'Pod'"));
    }
    const keys = new Set([...max.keys(), ...min.keys(), ...def.keys(), ...defReq.keys(), ...ratio.keys()]);
    const s = (q: Quantity) => q.toString();
    const gv = (q: Quantity) => new GoValue(q.toString());
    for (const k of keys) {
      const [mn, mx, d, dr, r] = [min.get(k), max.get(k), def.get(k), defReq.get(k), ratio.get(k)];
      if (mn && mx && mn.cmp(mx) > 0) errs.push(invalid(key(path(at, 'min'), k), gv(mn), `min value ${s(mn)} is greater than max value ${s(mx)}`));
      if (dr && mn && mn.cmp(dr) > 0) errs.push(invalid(key(path(at, 'defaultRequest'), k), gv(dr), `min value ${s(mn)} is greater than default request value ${s(dr)}`));
      if (dr && mx && dr.cmp(mx) > 0) errs.push(invalid(key(path(at, 'defaultRequest'), k), gv(dr), `default request value ${s(dr)} is greater than max value ${s(mx)}`));
      if (dr && d && dr.cmp(d) > 0) errs.push(invalid(key(path(at, 'defaultRequest'), k), gv(dr), `default request value ${s(dr)} is greater than default limit value ${s(d)}`));
      if (d && mn && mn.cmp(d) > 0) errs.push(invalid(key(path(at, 'default'), k), gv(mn), `min value ${s(mn)} is greater than default value ${s(d)}`));
      if (d && mx && d.cmp(mx) > 0) errs.push(invalid(key(path(at, 'default'), k), gv(mx), `default value ${s(d)} is greater than max value ${s(mx)}`));
      if (r && r.cmp(parseQuantity('1')) < 0) errs.push(invalid(key(path(at, 'maxLimitRequestRatio'), k), gv(r), `ratio ${s(r)} is less than 1`));
    }
  });
  return errs;
}

export const coreMiscRules: Record<string, KindRules> = {
  '/Namespace': { nameFn: nameIsDNSLabel, validate: (o) => validateNamespace(as(o)) },
  '/Node': { validate: (o) => validateNode(as(o)), validateUpdate: (o, old) => validateNodeUpdate(as(o), as(old)) },
  '/Endpoints': { validate: (o) => validateEndpoints(as(o)) },
  '/ReplicationController': { validate: (o) => validateReplicationController(as(o)) },
  '/PodTemplate': { validate: (o) => validatePodTemplateSpec(as<PodTemplate>(o).template ?? {}, 'template') },
  '/ResourceQuota': { validate: (o) => validateResourceQuota(as(o)) },
  '/LimitRange': { validate: (o) => validateLimitRange(as(o)) },
  '/ServiceAccount': {},
};
