// Upstream defaulting for autoscaling/v2 and v1 HorizontalPodAutoscalers
// (pkg/apis/autoscaling/v2/defaults.go, v1/defaults.go). Behavior rules are only filled in when a
// behavior is given, as upstream.
import type { HorizontalPodAutoscaler as HPAv1 } from 'kubernetes-types/autoscaling/v1.js';
import type { HorizontalPodAutoscaler, HPAScalingRules, MetricTarget, MetricValueStatus } from 'kubernetes-types/autoscaling/v2.js';
import { canonical } from './quantities.js';

export const DEFAULT_CPU_UTILIZATION = 80;

function scaleUpRules(r: HPAScalingRules | undefined): HPAScalingRules {
  const out: HPAScalingRules = { ...(r ?? {}) };
  out.stabilizationWindowSeconds ??= 0;
  out.selectPolicy ??= 'Max';
  out.policies ??= [
    { type: 'Pods', value: 4, periodSeconds: 15 },
    { type: 'Percent', value: 100, periodSeconds: 15 },
  ];
  return out;
}

function scaleDownRules(r: HPAScalingRules | undefined): HPAScalingRules {
  const out: HPAScalingRules = { ...(r ?? {}) };
  out.stabilizationWindowSeconds ??= 300;
  out.selectPolicy ??= 'Max';
  out.policies ??= [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  return out;
}

function canonicalValues(t: MetricTarget | MetricValueStatus | undefined): void {
  if (!t) return;
  if (t.value !== undefined) t.value = canonical(t.value) as string;
  if (t.averageValue !== undefined) t.averageValue = canonical(t.averageValue) as string;
}

export function defaultHPAv2(hpa: HorizontalPodAutoscaler): void {
  const spec = (hpa.spec ??= { maxReplicas: 0, scaleTargetRef: { kind: '', name: '' } });
  spec.minReplicas ??= 1;
  if (!spec.metrics || spec.metrics.length === 0) {
    spec.metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: DEFAULT_CPU_UTILIZATION } } },
    ];
  }
  for (const m of spec.metrics) {
    for (const src of [m.resource, m.containerResource, m.pods, m.object, m.external]) canonicalValues(src?.target);
  }
  for (const m of hpa.status?.currentMetrics ?? []) {
    for (const src of [m.resource, m.containerResource, m.pods, m.object, m.external]) canonicalValues(src?.current);
  }
  if (spec.behavior) {
    spec.behavior.scaleUp = scaleUpRules(spec.behavior.scaleUp);
    spec.behavior.scaleDown = scaleDownRules(spec.behavior.scaleDown);
  }
}

export function defaultHPAv1(hpa: HPAv1): void {
  const spec = (hpa.spec ??= { maxReplicas: 0, scaleTargetRef: { kind: '', name: '' } });
  spec.minReplicas ??= 1;
}
