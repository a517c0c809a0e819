// PodSpec and PodTemplateSpec validation as upstream core ValidatePodSpec / ValidatePodTemplateSpec:
// volumes, containers, init containers, restart and DNS policies, node selector, affinity,
// tolerations, topology spread, host networking ports, and the name-like fields (hostname, subdomain,
// serviceAccountName, nodeName, priorityClassName). Shared by Pod and every workload template.
import type {
  Affinity,
  NodeSelector,
  NodeSelectorRequirement,
  NodeSelectorTerm,
  PodAffinityTerm,
  PodSpec,
  PodTemplateSpec,
  Toleration,
  TopologySpreadConstraint,
} from 'kubernetes-types/core/v1.js';
import { forbidden, invalid, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { IS_NOT_POSITIVE_MSG, validateDNS1123Label } from './common.js';
import { validateContainers, validateInitContainers } from './container.js';
import { validateAnnotations, validateLabelName, validateLabels, validateLabelSelector } from './labels.js';
import { inclusiveRangeError, isDNS1123Label, isDNS1123Subdomain, isQualifiedName, isValidIP, isValidLabelValue } from './names.js';
import { validatePodSecurityContext } from './security-context.js';
import { validateVolumes } from './volumes.js';

export const RESTART_POLICIES = ['Always', 'OnFailure', 'Never'];
const DNS_POLICIES = ['ClusterFirstWithHostNet', 'ClusterFirst', 'Default', 'None'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const MAX_INT32 = 2147483647;

export function validateTaintEffect(effect: string | undefined, allowEmpty: boolean, field: string): FieldError[] {
  if (!effect) return allowEmpty ? [] : [required(field, '')];
  return TAINT_EFFECTS.includes(effect) ? [] : [notSupported(field, effect, TAINT_EFFECTS)];
}

export function validateTolerations(tolerations: Toleration[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (tolerations ?? []).forEach((t, i) => {
    const at = path(field, i);
    if (t.key) errs.push(...validateLabelName(t.key, path(at, 'key')));
    if (!t.key && t.operator !== 'Exists') {
      errs.push(invalid(path(at, 'operator'), t.operator ?? '', 'operator must be Exists when `key` is empty, which means "match all values and all keys"'));
    }
    if (t.tolerationSeconds !== undefined && t.tolerationSeconds !== null && t.effect !== 'NoExecute') {
      errs.push(invalid(path(at, 'effect'), t.effect ?? '', "effect must be 'NoExecute' when `tolerationSeconds` is set"));
    }
    switch (t.operator ?? '') {
      case 'Equal':
      case '': {
        const msgs = isValidLabelValue(t.value ?? '');
        if (msgs.length) errs.push(invalid(path(at, 'operator'), t.value ?? '', msgs.join(';')));
        break;
      }
      case 'Exists':
        if (t.value) errs.push(invalid(path(at, 'operator'), t.value, "value must be empty when `operator` is 'Exists'"));
        break;
      default:
        errs.push(notSupported(path(at, 'operator'), t.operator, ['Equal', 'Exists']));
    }
    errs.push(...validateTaintEffect(t.effect, true, path(at, 'effect')));
  });
  return errs;
}

function validateNodeSelectorRequirement(r: NodeSelectorRequirement, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const n = (r.values ?? []).length;
  switch (r.operator) {
    case 'In':
    case 'NotIn':
      if (n === 0) errs.push(required(path(field, 'values'), "must be specified when `operator` is 'In' or 'NotIn'"));
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (n > 0) errs.push(forbidden(path(field, 'values'), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
      break;
    case 'Gt':
    case 'Lt':
      if (n !== 1) errs.push(required(path(field, 'values'), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
      break;
    default:
      errs.push(invalid(path(field, 'operator'), r.operator, 'not a valid selector operator'));
  }
  errs.push(...validateLabelName(r.key, path(field, 'key')));
  return errs;
}

function validateNodeSelectorTerm(t: NodeSelectorTerm, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (t.matchExpressions ?? []).forEach((r, j) => errs.push(...validateNodeSelectorRequirement(r, path(field, 'matchExpressions', j))));
  (t.matchFields ?? []).forEach((r, j) => {
    const at = path(field, 'matchFields', j);
    if (r.key !== 'metadata.name') errs.push(invalid(path(at, 'key'), r.key, 'not a valid field selector key'));
    if ((r.operator === 'In' || r.operator === 'NotIn') && (r.values ?? []).length !== 1) {
      errs.push(required(path(at, 'values'), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
    }
  });
  return errs;
}

export function validateNodeSelector(ns: NodeSelector, field: string): FieldError[] {
  const termPath = path(field, 'nodeSelectorTerms');
  if ((ns.nodeSelectorTerms ?? []).length === 0) return [required(termPath, 'must have at least one node selector term')];
  return ns.nodeSelectorTerms.flatMap((t, i) => validateNodeSelectorTerm(t, path(termPath, i)));
}

function validateWeight(w: number, field: string): FieldError[] {
  return w <= 0 || w > 100 ? [invalid(field, w, 'must be in the range 1-100')] : [];
}

function validatePodAffinityTerm(t: PodAffinityTerm, field: string): FieldError[] {
  const errs = validateLabelSelector(t.labelSelector, path(field, 'labelSelector'));
  errs.push(...validateLabelSelector(t.namespaceSelector, path(field, 'namespaceSelector')));
  for (const ns of t.namespaces ?? []) for (const m of isDNS1123Label(ns)) errs.push(invalid(path(field, 'namespace'), ns, m));
  if (!t.topologyKey) errs.push(required(path(field, 'topologyKey'), 'can not be empty'));
  else errs.push(...validateLabelName(t.topologyKey, path(field, 'topologyKey')));
  return errs;
}

export function validateAffinity(a: Affinity | undefined, field: string): FieldError[] {
  if (!a) return [];
  const errs: FieldError[] = [];
  const na = a.nodeAffinity;
  if (na?.requiredDuringSchedulingIgnoredDuringExecution) {
    errs.push(...validateNodeSelector(na.requiredDuringSchedulingIgnoredDuringExecution, path(field, 'nodeAffinity', 'requiredDuringSchedulingIgnoredDuringExecution')));
  }
  (na?.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
    const at = path(field, 'nodeAffinity', 'preferredDuringSchedulingIgnoredDuringExecution', i);
    errs.push(...validateWeight(t.weight, path(at, 'weight')));
    errs.push(...validateNodeSelectorTerm(t.preference, path(at, 'preference')));
  });
  for (const kind of ['podAffinity', 'podAntiAffinity'] as const) {
    const pa = a[kind];
    if (!pa) continue;
    (pa.requiredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) =>
      errs.push(...validatePodAffinityTerm(t, path(field, kind, 'requiredDuringSchedulingIgnoredDuringExecution', i))),
    );
    (pa.preferredDuringSchedulingIgnoredDuringExecution ?? []).forEach((t, i) => {
      const at = path(field, kind, 'preferredDuringSchedulingIgnoredDuringExecution', i);
      errs.push(...validateWeight(t.weight, path(at, 'weight')));
      errs.push(...validatePodAffinityTerm(t.podAffinityTerm, path(at, 'podAffinityTerm')));
    });
  }
  return errs;
}

function validateTopologySpread(cs: TopologySpreadConstraint[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  (cs ?? []).forEach((c, i) => {
    const at = path(field, i);
    if (c.maxSkew <= 0) errs.push(invalid(path(at, 'maxSkew'), c.maxSkew, IS_NOT_POSITIVE_MSG));
    if (!c.topologyKey) errs.push(required(path(at, 'topologyKey'), 'can not be empty'));
    else errs.push(...validateLabelName(c.topologyKey, path(at, 'topologyKey')));
    const wu = ['DoNotSchedule', 'ScheduleAnyway'];
    if (!wu.includes(c.whenUnsatisfiable)) errs.push(notSupported(path(at, 'whenUnsatisfiable'), c.whenUnsatisfiable, wu));
    const k = `{${c.topologyKey}, ${c.whenUnsatisfiable}}`;
    if (seen.has(k)) errs.push({ type: 'FieldValueDuplicate', field: at, value: k });
    seen.add(k);
    errs.push(...validateLabelSelector(c.labelSelector, path(at, 'labelSelector')));
  });
  return errs;
}

const subdomainAt = (v: string | undefined, field: string): FieldError[] =>
  v ? isDNS1123Subdomain(v).map((m) => invalid(field, v, m)) : [];

/** Upstream ValidatePodSpec. `field` is the spec's own path (`spec`, `spec.template.spec`, …). */
export function validatePodSpec(spec: PodSpec | undefined, field: string): FieldError[] {
  const s = spec ?? ({ containers: [] } as PodSpec);
  const { errs, names } = validateVolumes(s.volumes, path(field, 'volumes'));
  errs.push(...validateContainers(s.containers, names, path(field, 'containers')));
  errs.push(...validateInitContainers(s.initContainers, s.containers, names, path(field, 'initContainers')));
  if (!s.restartPolicy) errs.push(required(path(field, 'restartPolicy'), ''));
  else if (!RESTART_POLICIES.includes(s.restartPolicy)) errs.push(notSupported(path(field, 'restartPolicy'), s.restartPolicy, RESTART_POLICIES));
  if (!s.dnsPolicy) errs.push(required(path(field, 'dnsPolicy'), ''));
  else if (!DNS_POLICIES.includes(s.dnsPolicy)) errs.push(notSupported(path(field, 'dnsPolicy'), s.dnsPolicy, DNS_POLICIES));
  errs.push(...validateLabels(s.nodeSelector, path(field, 'nodeSelector')));
  errs.push(...validatePodSecurityContext(s.securityContext, path(field, 'securityContext')));
  if (s.hostNetwork) {
    (s.containers ?? []).forEach((c, i) =>
      (c.ports ?? []).forEach((p, j) => {
        if (p.hostPort !== undefined && p.hostPort !== p.containerPort) {
          errs.push(invalid(path(field, 'containers', i, 'ports', j, 'hostPort'), p.hostPort, 'must match `containerPort` when `hostNetwork` is true'));
        }
      }),
    );
  }
  errs.push(...validateAffinity(s.affinity, path(field, 'affinity')));
  if (s.dnsPolicy === 'None' && !s.dnsConfig) {
    errs.push(required(path(field, 'dnsConfig'), 'must provide `dnsConfig` when `dnsPolicy` is None'));
  }
  if (s.dnsConfig) {
    const ns = s.dnsConfig.nameservers ?? [];
    if (s.dnsPolicy === 'None' && ns.length === 0) errs.push(required(path(field, 'dnsConfig', 'nameservers'), 'must provide at least one DNS nameserver when `dnsPolicy` is None'));
    if (ns.length > 3) errs.push(invalid(path(field, 'dnsConfig', 'nameservers'), ns, 'must not have more than 3 nameservers'));
    ns.forEach((ip, i) => {
      if (!isValidIP(ip)) errs.push(invalid(path(field, 'dnsConfig', 'nameservers', i), ip, 'must be valid IP address'));
    });
  }
  errs.push(...validateTopologySpread(s.topologySpreadConstraints, path(field, 'topologySpreadConstraints')));
  errs.push(...subdomainAt(s.serviceAccountName, path(field, 'serviceAccountName')));
  errs.push(...subdomainAt(s.nodeName, path(field, 'nodeName')));
  if (s.activeDeadlineSeconds !== undefined && s.activeDeadlineSeconds !== null) {
    const v = s.activeDeadlineSeconds;
    if (v < 1 || v > MAX_INT32) errs.push(invalid(path(field, 'activeDeadlineSeconds'), v, inclusiveRangeError(1, MAX_INT32)));
  }
  if (s.hostname) errs.push(...validateDNS1123Label(s.hostname, path(field, 'hostname')));
  if (s.subdomain) errs.push(...validateDNS1123Label(s.subdomain, path(field, 'subdomain')));
  errs.push(...validateTolerations(s.tolerations, path(field, 'tolerations')));
  errs.push(...subdomainAt(s.priorityClassName, path(field, 'priorityClassName')));
  (s.hostAliases ?? []).forEach((h, i) => {
    if (!isValidIP(h.ip ?? '')) errs.push(invalid(path(field, 'hostAliases', i, 'ip'), h.ip ?? '', 'must be valid IP address'));
    for (const hn of h.hostnames ?? []) errs.push(...isDNS1123Subdomain(hn).map((m) => invalid(path(field, 'hostAliases', i, 'hostnames'), hn, m)));
  });
  (s.readinessGates ?? []).forEach((g, i) => {
    for (const m of isQualifiedName(g.conditionType)) errs.push(invalid(path(field, 'readinessGates', i, 'conditionType'), g.conditionType, m));
  });
  if (s.preemptionPolicy && !['Never', 'PreemptLowerPriority'].includes(s.preemptionPolicy)) {
    errs.push(notSupported(path(field, 'preemptionPolicy'), s.preemptionPolicy, ['Never', 'PreemptLowerPriority']));
  }
  return errs;
}

/** Upstream ValidatePodTemplateSpec: template labels are reported at `<field>.labels`, as upstream. */
export function validatePodTemplateSpec(t: PodTemplateSpec | undefined, field: string): FieldError[] {
  if (!t) return [required(field, '')];
  return [
    ...validateLabels(t.metadata?.labels, path(field, 'labels')),
    ...validateAnnotations(t.metadata?.annotations, path(field, 'annotations')),
    ...validatePodSpec(t.spec, path(field, 'spec')),
  ];
}
