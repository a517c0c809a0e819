// Pod strategy hooks (upstream pkg/registry/core/pod/strategy.go): defaults, create-time status,
// the admission-time mutations we do here until admission exists, table and field selectors.
import type { ResourceSpec } from './define.js';

export const corePodHooks: Partial<ResourceSpec> = {};
