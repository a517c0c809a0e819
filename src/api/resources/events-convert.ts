// Conversion between events.k8s.io/v1 Event and core/v1 Event.
import type { ResourceSpec } from './define.js';

export const eventsV1Hooks: Partial<ResourceSpec> = {};
