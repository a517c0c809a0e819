// Strategy hooks (defaults, tables, create-time status) for networking.k8s.io and the small groups.
import type { ResourceSpec } from './define.js';

export const networkingHooks: Record<string, Partial<ResourceSpec>> = {};
export const smallHooks: Record<string, Partial<ResourceSpec>> = {};
