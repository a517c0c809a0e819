// Strategy hooks for apps/v1 types.
import type { ResourceSpec } from './define.js';

export const appsHooks: Record<string, Partial<ResourceSpec>> = {};
