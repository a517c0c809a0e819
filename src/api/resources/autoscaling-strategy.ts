// HPA strategies and the autoscaling v1 <-> v2 conversion. Storage holds v2. v1 can only express a
// CPU utilization target; as upstream, everything else (other metrics, current metrics, conditions,
// behavior) rides in `autoscaling.alpha.kubernetes.io/*` annotations of the v1 form so that a v1
// read-modify-write does not lose it (we keep the v2 JSON there).
import type { HorizontalPodAutoscaler as HPAv1 } from 'kubernetes-types/autoscaling/v1.js';
import type { HorizontalPodAutoscaler, HorizontalPodAutoscalerBehavior, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import type { KubeObject } from '../../machinery/object.js';
import { defaultHPAv1, defaultHPAv2 } from '../defaults/autoscaling.js';
import { hpaTable } from '../tables/autoscaling.js';
import type { TableConverter } from '../resource-type.js';
import type { ResourceSpec } from './define.js';
import { hook } from './define.js';

const METRICS = 'autoscaling.alpha.kubernetes.io/metrics';
const CURRENT_METRICS = 'autoscaling.alpha.kubernetes.io/current-metrics';
const CONDITIONS = 'autoscaling.alpha.kubernetes.io/conditions';
const BEHAVIOR = 'autoscaling.alpha.kubernetes.io/behavior';

const isCPUUtilization = (m: MetricSpec) =>
  m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.target?.type === 'Utilization' && m.resource.target.averageUtilization !== undefined;
const isCPUStatus = (m: MetricStatus) => m.type === 'Resource' && m.resource?.name === 'cpu' && m.resource.current?.averageUtilization !== undefined;

function takeJSON<T>(ann: Record<string, string>, key: string): T | undefined {
  const raw = ann[key];
  delete ann[key];
  if (raw === undefined) return undefined;
  try {
    return JSON.parse(raw) as T;
  } catch {
    return undefined;
  }
}

export function hpaV1ToV2(obj: KubeObject): KubeObject {
  const v1 = structuredClone(obj) as unknown as HPAv1;
  const meta = structuredClone(v1.metadata ?? {});
  const ann = { ...(meta.annotations ?? {}) };
  const other = takeJSON<MetricSpec[]>(ann, METRICS) ?? [];
  const current = takeJSON<MetricStatus[]>(ann, CURRENT_METRICS) ?? [];
  const conditions = takeJSON<unknown[]>(ann, CONDITIONS);
  const behavior = takeJSON<HorizontalPodAutoscalerBehavior>(ann, BEHAVIOR);
  if (Object.keys(ann).length) meta.annotations = ann;
  else delete meta.annotations;

  const s1 = v1.spec;
  const metrics: MetricSpec[] = [...other];
  if (s1?.targetCPUUtilizationPercentage !== undefined) {
    metrics.push({ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: s1.targetCPUUtilizationPercentage } } });
  }
  const v2: HorizontalPodAutoscaler = {
    apiVersion: 'autoscaling/v2',
    kind: 'HorizontalPodAutoscaler',
    metadata: meta,
    spec: {
      scaleTargetRef: structuredClone(s1?.scaleTargetRef ?? { kind: '', name: '' }),
      ...(s1?.minReplicas !== undefined ? { minReplicas: s1.minReplicas } : {}),
      maxReplicas: s1?.maxReplicas ?? 0,
      ...(metrics.length ? { metrics } : {}),
      ...(behavior ? { behavior } : {}),
    },
  };
  if (v1.status) {
    const st = v1.status;
    const currentMetrics: MetricStatus[] = [...current];
    if (st.currentCPUUtilizationPercentage !== undefined) {
      currentMetrics.push({ type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: st.currentCPUUtilizationPercentage } } });
    }
    const status: Record<string, unknown> = {
      ...(st.observedGeneration !== undefined ? { observedGeneration: st.observedGeneration } : {}),
      ...(st.lastScaleTime !== undefined ? { lastScaleTime: st.lastScaleTime } : {}),
      ...(st.currentReplicas ? { currentReplicas: st.currentReplicas } : {}),
      desiredReplicas: st.desiredReplicas ?? 0,
      currentMetrics: currentMetrics.length ? currentMetrics : null,
      ...(conditions ? { conditions } : {}),
    };
    (v2 as { status?: unknown }).status = status;
  }
  defaultHPAv2(v2);
  return v2 as unknown as KubeObject;
}

export function hpaV2ToV1(obj: KubeObject): KubeObject {
  const v2 = structuredClone(obj) as unknown as HorizontalPodAutoscaler;
  const meta = v2.metadata ?? {};
  const ann: Record<string, string> = { ...(meta.annotations ?? {}) };
  const metrics = v2.spec?.metrics ?? [];
  const cpu = metrics.find(isCPUUtilization);
  const other = metrics.filter((m) => m !== cpu);
  if (other.length) ann[METRICS] = JSON.stringify(other);
  if (v2.spec?.behavior) ann[BEHAVIOR] = JSON.stringify(v2.spec.behavior);
  const st = v2.status;
  const cur = (st?.currentMetrics ?? []).find(isCPUStatus);
  const otherCur = (st?.currentMetrics ?? []).filter((m) => m !== cur);
  if (otherCur.length) ann[CURRENT_METRICS] = JSON.stringify(otherCur);
  if (st?.conditions?.length) ann[CONDITIONS] = JSON.stringify(st.conditions);
  const v1: HPAv1 = {
    apiVersion: 'autoscaling/v1',
    kind: 'HorizontalPodAutoscaler',
    metadata: { ...meta, ...(Object.keys(ann).length ? { annotations: ann } : {}) },
    spec: {
      scaleTargetRef: v2.spec?.scaleTargetRef ?? { kind: '', name: '' },
      ...(v2.spec?.minReplicas !== undefined ? { minReplicas: v2.spec.minReplicas } : {}),
      maxReplicas: v2.spec?.maxReplicas ?? 0,
      ...(cpu ? { targetCPUUtilizationPercentage: cpu.resource!.target.averageUtilization } : {}),
    },
  };
  if (!Object.keys(ann).length) delete v1.metadata!.annotations;
  if (st) {
    (v1 as { status?: unknown }).status = {
      ...(st.observedGeneration !== undefined ? { observedGeneration: st.observedGeneration } : {}),
      ...(st.lastScaleTime !== undefined ? { lastScaleTime: st.lastScaleTime } : {}),
      currentReplicas: st.currentReplicas ?? 0,
      desiredReplicas: st.desiredReplicas ?? 0,
      ...(cur ? { currentCPUUtilizationPercentage: cur.resource!.current.averageUtilization } : {}),
    };
  }
  return v1 as unknown as KubeObject;
}

export const hpaHooksV2: Partial<ResourceSpec> = {
  defaults: hook(defaultHPAv2),
  // HorizontalPodAutoscalerStatus (v2) serializes currentMetrics and desiredReplicas even when empty.
  prepareForCreate: (obj) => {
    obj.status = { currentMetrics: null, desiredReplicas: 0 };
  },
  table: hpaTable,
};

const hpaTableV1: TableConverter = { columns: hpaTable.columns, row: (obj, now) => hpaTable.row(hpaV1ToV2(obj), now) };

export const hpaHooksV1: Partial<ResourceSpec> = {
  defaults: hook(defaultHPAv1),
  prepareForCreate: (obj) => {
    obj.status = { currentReplicas: 0, desiredReplicas: 0 };
  },
  toStorage: hpaV1ToV2,
  fromStorage: hpaV2ToV1,
  table: hpaTableV1,
};
