// Conversion between events.k8s.io/v1 Event and core/v1 Event. Both are served from one storage
// holding the core form (as upstream, where both are the same internal type); the field pairs are
// regarding/involvedObject, note/message, reportingController/reportingComponent,
// deprecatedSource/source, deprecatedFirstTimestamp/firstTimestamp, deprecatedLastTimestamp/
// lastTimestamp and deprecatedCount/count; the rest keep their names.
import type { KubeObject } from '../../machinery/object.js';
import { eventTable } from '../tables/events.js';
import type { ResourceSpec } from './define.js';

const PAIRS: [string, string][] = [
  ['regarding', 'involvedObject'],
  ['note', 'message'],
  ['reportingController', 'reportingComponent'],
  ['deprecatedSource', 'source'],
  ['deprecatedFirstTimestamp', 'firstTimestamp'],
  ['deprecatedLastTimestamp', 'lastTimestamp'],
  ['deprecatedCount', 'count'],
];

function rename(obj: KubeObject, pairs: [string, string][], apiVersion: string): KubeObject {
  const out: KubeObject = {};
  const map = new Map(pairs);
  for (const [k, v] of Object.entries(obj)) {
    if (v === undefined) continue;
    out[map.get(k) ?? k] = structuredClone(v);
  }
  out.apiVersion = apiVersion;
  out.kind = 'Event';
  return out;
}

export function eventsV1ToCore(obj: KubeObject): KubeObject {
  const out = rename(obj, PAIRS, 'v1');
  // core/v1 requires an involvedObject; events.k8s.io may leave regarding empty.
  out.involvedObject ??= {};
  return out;
}

export function coreToEventsV1(obj: KubeObject): KubeObject {
  return rename(obj, PAIRS.map(([a, b]) => [b, a]), 'events.k8s.io/v1');
}

/** Field selectors of an event in either form (upstream's are keyed by the core field names). */
export function eventFieldSelectors(obj: KubeObject): Record<string, string | undefined> {
  const e = obj.apiVersion === 'events.k8s.io/v1' ? eventsV1ToCore(obj) : obj;
  const io = (e.involvedObject ?? {}) as Record<string, string | undefined>;
  const source = (e.source ?? {}) as { component?: string };
  const fields: Record<string, string | undefined> = {
    'involvedObject.kind': io.kind ?? '',
    'involvedObject.namespace': io.namespace ?? '',
    'involvedObject.name': io.name ?? '',
    'involvedObject.uid': io.uid ?? '',
    'involvedObject.apiVersion': io.apiVersion ?? '',
    'involvedObject.resourceVersion': io.resourceVersion ?? '',
    'involvedObject.fieldPath': io.fieldPath ?? '',
    reason: (e.reason as string | undefined) ?? '',
    reportingComponent: (e.reportingComponent as string | undefined) ?? '',
    source: source.component ?? '',
    type: (e.type as string | undefined) ?? '',
  };
  if (obj.apiVersion === 'events.k8s.io/v1') {
    // events.k8s.io/v1 field labels, converted to the core ones upstream.
    for (const k of ['kind', 'namespace', 'name', 'uid', 'apiVersion', 'resourceVersion', 'fieldPath']) {
      fields[`regarding.${k}`] = fields[`involvedObject.${k}`];
    }
    fields.reportingController = fields.reportingComponent;
    fields['deprecatedSource.component'] = fields.source;
  }
  return fields;
}

export const eventsV1Hooks: Partial<ResourceSpec> = {
  toStorage: eventsV1ToCore,
  fromStorage: coreToEventsV1,
  table: eventTable,
  fieldSelectors: eventFieldSelectors,
};
