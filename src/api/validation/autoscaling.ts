// HorizontalPodAutoscaler validation (autoscaling/v1 and v2) as upstream
// pkg/apis/autoscaling/validation: scaleTargetRef kind and name, minReplicas ≥ 1, maxReplicas ≥ 1 and
// ≥ minReplicas, metrics (v2: one populated source matching its type, targets positive) or
// targetCPUUtilizationPercentage (v1, reported at its internal v2 path as upstream does), behavior.
import type { HorizontalPodAutoscaler as HpaV1 } from 'kubernetes-types/autoscaling/v1.js';
import type { HPAScalingRules, HorizontalPodAutoscaler as HpaV2, MetricSpec, MetricTarget } from 'kubernetes-types/autoscaling/v2.js';
import { forbidden, invalid, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import type { KubeObject } from '../../machinery/object.js';
import { isValidPathSegmentName } from './names.js';
import { quantityAt } from './resources.js';
import { as, type KindRules } from './rules.js';

const METRIC_TYPES = ['Object', 'Pods', 'Resource', 'External', 'ContainerResource'];
const SOURCE_FIELD: Record<string, string> = { Object: 'object', Pods: 'pods', Resource: 'resource', External: 'external', ContainerResource: 'containerResource' };

function validateCommon(spec: { scaleTargetRef?: { kind?: string; name?: string }; minReplicas?: number; maxReplicas?: number }): FieldError[] {
  const errs: FieldError[] = [];
  const min = spec.minReplicas;
  if (min !== undefined && min !== null && min < 1) errs.push(invalid('spec.minReplicas', min, 'must be greater than or equal to 1'));
  const max = spec.maxReplicas ?? 0;
  if (max < 1) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to 1'));
  if (min !== undefined && min !== null && max < min) errs.push(invalid('spec.maxReplicas', max, 'must be greater than or equal to `minReplicas`'));
  const ref = spec.scaleTargetRef ?? {};
  for (const f of ['kind', 'name'] as const) {
    const v = ref[f];
    if (!v) errs.push(required(path('spec', 'scaleTargetRef', f), ''));
    else for (const m of isValidPathSegmentName(v)) errs.push(invalid(path('spec', 'scaleTargetRef', f), v, m));
  }
  return errs;
}

function validateTarget(t: MetricTarget | undefined, field: string): FieldError[] {
  if (!t) return [required(field, '')];
  const errs: FieldError[] = [];
  if (!t.type) errs.push(required(path(field, 'type'), 'must specify a metric target type'));
  else if (!['Utilization', 'Value', 'AverageValue'].includes(t.type)) errs.push(invalid(path(field, 'type'), t.type, 'must be either Utilization, Value, or AverageValue'));
  for (const f of ['value', 'averageValue'] as const) {
    if (t[f] === undefined) continue;
    const { q, errs: qe } = quantityAt(t[f], path(field, f));
    errs.push(...qe);
    if (q && q.sign() !== 1) errs.push(invalid(path(field, f), q.toString(), 'must be positive'));
  }
  if (t.averageUtilization !== undefined && t.averageUtilization < 1) errs.push(invalid(path(field, 'averageUtilization'), t.averageUtilization, 'must be greater than 0'));
  return errs;
}

function validateMetric(m: MetricSpec, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!m.type) errs.push(required(path(field, 'type'), 'must specify a metric source type'));
  else if (!METRIC_TYPES.includes(m.type)) errs.push(notSupported(path(field, 'type'), m.type, METRIC_TYPES));
  const rec = m as unknown as Record<string, unknown>;
  const present = Object.values(SOURCE_FIELD).filter((f) => rec[f] !== undefined && rec[f] !== null);
  const expected = SOURCE_FIELD[m.type];
  if (expected && rec[expected] === undefined) errs.push(required(path(field, expected), 'must populate information for the given metric source'));
  if (present.length > 1) for (const f of present) if (f !== expected) errs.push(forbidden(path(field, f), 'must populate the given metric source only'));
  const res = m.resource ?? m.containerResource;
  if (res && present.length === 1) {
    const p = path(field, m.resource ? 'resource' : 'containerResource');
    if (!res.name) errs.push(required(path(p, 'name'), 'must specify a resource name'));
    errs.push(...validateTarget(res.target, path(p, 'target')));
    if (res.target && res.target.averageUtilization === undefined && res.target.averageValue === undefined) {
      errs.push(required(path(p, 'target', 'averageUtilization'), 'must set either a target raw value or a target utilization'));
    }
  }
  for (const f of ['pods', 'object', 'external'] as const) {
    const src = m[f];
    if (src && present.length === 1) {
      if (!src.metric?.name) errs.push(required(path(field, f, 'metric', 'name'), 'must specify a metric name'));
      errs.push(...validateTarget(src.target, path(field, f, 'target')));
    }
  }
  return errs;
}

function validateScalingRules(r: HPAScalingRules | undefined, field: string): FieldError[] {
  if (!r) return [];
  const errs: FieldError[] = [];
  const w = r.stabilizationWindowSeconds;
  if (w !== undefined && w < 0) errs.push(invalid(path(field, 'stabilizationWindowSeconds'), w, 'must be greater than or equal to zero'));
  if (w !== undefined && w > 3600) errs.push(invalid(path(field, 'stabilizationWindowSeconds'), w, 'must be less than or equal to 3600'));
  if (r.selectPolicy && !['Max', 'Min', 'Disabled'].includes(r.selectPolicy)) errs.push(notSupported(path(field, 'selectPolicy'), r.selectPolicy, ['Disabled', 'Max', 'Min']));
  (r.policies ?? []).forEach((p, i) => {
    const at = path(field, 'policies', i);
    if (p.type !== 'Pods' && p.type !== 'Percent') errs.push(notSupported(path(at, 'type'), p.type, ['Percent', 'Pods']));
    if (p.value <= 0) errs.push(invalid(path(at, 'value'), p.value, 'must be greater than zero'));
    if (p.periodSeconds <= 0) errs.push(invalid(path(at, 'periodSeconds'), p.periodSeconds, 'must be greater than zero'));
    if (p.periodSeconds > 1800) errs.push(invalid(path(at, 'periodSeconds'), p.periodSeconds, 'must be less than or equal to 1800'));
  });
  return errs;
}

function validateHpa(obj: KubeObject): FieldError[] {
  if (obj.apiVersion === 'autoscaling/v1' || (obj.spec as Record<string, unknown> | undefined)?.targetCPUUtilizationPercentage !== undefined) {
    const spec = as<HpaV1>(obj).spec ?? ({} as NonNullable<HpaV1['spec']>);
    const errs = validateCommon(spec);
    const t = spec.targetCPUUtilizationPercentage;
    if (t !== undefined && t !== null && t < 1) errs.push(invalid('spec.metrics[0].resource.target.averageUtilization', t, 'must be greater than 0'));
    return errs;
  }
  const spec = as<HpaV2>(obj).spec ?? ({} as NonNullable<HpaV2['spec']>);
  const errs = validateCommon(spec);
  (spec.metrics ?? []).forEach((m, i) => errs.push(...validateMetric(m, path('spec', 'metrics', i))));
  errs.push(...validateScalingRules(spec.behavior?.scaleUp, 'spec.behavior.scaleUp'));
  errs.push(...validateScalingRules(spec.behavior?.scaleDown, 'spec.behavior.scaleDown'));
  return errs;
}

export const autoscalingRules: Record<string, KindRules> = {
  'autoscaling/HorizontalPodAutoscaler': { validate: validateHpa },
};
