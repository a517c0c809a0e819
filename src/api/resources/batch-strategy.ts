// Strategy hooks for batch/v1 types.
import type { ResourceSpec } from './define.js';

export const batchHooks: Record<string, Partial<ResourceSpec>> = {};
