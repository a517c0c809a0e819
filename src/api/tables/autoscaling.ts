// The HorizontalPodAutoscaler table (printHorizontalPodAutoscaler / formatHPAMetrics), over the v2 form.
import type { HorizontalPodAutoscaler, MetricSpec, MetricStatus } from 'kubernetes-types/autoscaling/v2.js';
import { ageCol, ageOf, col, nameCol, nameOf, table } from './columns.js';

const q = (v: string | number | undefined) => (v === undefined ? '<unknown>' : String(v));

function formatMetric(spec: MetricSpec, status: MetricStatus | undefined): string {
  switch (spec.type) {
    case 'External': {
      const t = spec.external!.target;
      if (t.averageValue !== undefined) {
        const cur = status?.external?.current.averageValue;
        return `${cur !== undefined ? String(cur) : '<unknown>'}/${t.averageValue} (avg)`;
      }
      return `${status?.external ? q(status.external.current.value ?? '0') : '<unknown>'}/${q(t.value)}`;
    }
    case 'Pods':
      return `${status?.pods ? q(status.pods.current.averageValue ?? '0') : '<unknown>'}/${q(spec.pods!.target.averageValue)}`;
    case 'Object': {
      const t = spec.object!.target;
      if (t.averageValue !== undefined) {
        const cur = status?.object?.current.averageValue;
        return `${cur !== undefined ? String(cur) : '<unknown>'}/${t.averageValue} (avg)`;
      }
      return `${status?.object ? q(status.object.current.value ?? '0') : '<unknown>'}/${q(t.value)}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const src = spec.type === 'Resource' ? spec.resource! : spec.containerResource!;
      const cur = spec.type === 'Resource' ? status?.resource : status?.containerResource;
      if (src.target.averageValue !== undefined) {
        return `${src.name}: ${cur ? q(cur.current.averageValue ?? '0') : '<unknown>'}/${src.target.averageValue}`;
      }
      const current = cur?.current.averageUtilization !== undefined ? `${cur.current.averageUtilization}%` : '<unknown>';
      const target = src.target.averageUtilization !== undefined ? `${src.target.averageUtilization}%` : '<auto>';
      return `${src.name}: ${current}/${target}`;
    }
  }
  return '<unknown type>';
}

/** formatHPAMetrics: at most two metrics, then ` + N more...`; `<none>` without metrics. */
export function formatHPAMetrics(specs: MetricSpec[] | undefined, statuses: MetricStatus[] | null | undefined): string {
  if (!specs || specs.length === 0) return '<none>';
  const list = specs.map((s, i) => formatMetric(s, statuses?.[i]));
  const max = 2;
  if (list.length > max) return `${list.slice(0, max).join(', ')} + ${list.length - max} more...`;
  return list.join(', ');
}

export const hpaTable = table<HorizontalPodAutoscaler>(
  [nameCol(), col('Reference'), col('Targets'), col('MinPods'), col('MaxPods', 'integer'), col('Replicas', 'integer'), ageCol()],
  (hpa, now) => [
    nameOf(hpa),
    `${hpa.spec?.scaleTargetRef?.kind ?? ''}/${hpa.spec?.scaleTargetRef?.name ?? ''}`,
    formatHPAMetrics(hpa.spec?.metrics, hpa.status?.currentMetrics),
    hpa.spec?.minReplicas !== undefined ? String(hpa.spec.minReplicas) : '<unset>',
    hpa.spec?.maxReplicas ?? 0,
    hpa.status?.currentReplicas ?? 0,
    ageOf(hpa, now),
  ],
);
