// The Event table (printEvent), shared by core/v1 and events.k8s.io/v1 events (the latter are
// printed through their core form upstream too).
import type { KubeObject } from '../../machinery/object.js';
import { translateTimestampSince } from '../../machinery/time.js';
import type { TableConverter } from '../resource-type.js';
import { col, nameCol, wide } from './columns.js';

interface CoreEventish {
  metadata?: { name?: string };
  involvedObject?: { kind?: string; name?: string; fieldPath?: string };
  reason?: string;
  message?: string;
  type?: string;
  source?: { component?: string; host?: string };
  reportingComponent?: string;
  reportingInstance?: string;
  firstTimestamp?: string;
  lastTimestamp?: string;
  eventTime?: string;
  count?: number;
  series?: { count?: number; lastObservedTime?: string };
}

const V1_TO_CORE: Record<string, string> = {
  regarding: 'involvedObject',
  note: 'message',
  reportingController: 'reportingComponent',
  deprecatedSource: 'source',
  deprecatedFirstTimestamp: 'firstTimestamp',
  deprecatedLastTimestamp: 'lastTimestamp',
  deprecatedCount: 'count',
};

function asCore(obj: KubeObject): CoreEventish {
  if (obj.apiVersion !== 'events.k8s.io/v1') return obj as CoreEventish;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(obj)) out[V1_TO_CORE[k] ?? k] = v;
  return out as CoreEventish;
}

export function eventRow(obj: KubeObject, now: Date): (string | number)[] {
  const e = asCore(obj);
  let first = translateTimestampSince(e.firstTimestamp, now);
  if (!e.firstTimestamp) first = translateTimestampSince(e.eventTime, now);
  let last = e.lastTimestamp ? translateTimestampSince(e.lastTimestamp, now) : first;
  let count = e.count ?? 0;
  if (e.series) {
    last = translateTimestampSince(e.series.lastObservedTime, now);
    count = e.series.count ?? 0;
  } else if (count === 0) {
    // Singleton events don't carry a count in the new API.
    count = 1;
  }
  const kind = (e.involvedObject?.kind ?? '').toLowerCase();
  const target = e.involvedObject?.name ? `${kind}/${e.involvedObject.name}` : kind;
  const component = e.source?.component || e.reportingComponent || '';
  const instance = e.source?.host || e.reportingInstance || '';
  const source = instance ? `${component}, ${instance}` : component;
  return [
    last, e.type ?? '', e.reason ?? '', target, e.involvedObject?.fieldPath ?? '', source, (e.message ?? '').trim(),
    first, count, e.metadata?.name ?? '',
  ];
}

export const eventTable: TableConverter = {
  columns: [
    col('Last Seen'), col('Type'), col('Reason'), col('Object'), wide('Subobject'), wide('Source'), col('Message'),
    wide('First Seen'), wide('Count'), nameCol(1),
  ],
  row: eventRow,
};
