// events.k8s.io/v1 Events: the same objects as core/v1 events (one storage, core form), converted on
// the way in and out.
import type { ResourceType } from '../resource-type.js';
import { defineResource } from './define.js';
import { eventsV1Hooks } from './events-convert.js';

export function eventsResources(): ResourceType[] {
  return [
    defineResource({
      group: 'events.k8s.io', version: 'v1', kind: 'Event', plural: 'events', namespaced: true, shortNames: ['ev'],
      storage: { group: '', resource: 'events' }, storageVersion: 'v1', ...eventsV1Hooks,
    }),
  ];
}
