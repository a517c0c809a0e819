// HPA strategies and the v1 <-> v2 conversion.
import type { ResourceSpec } from './define.js';

export const hpaHooksV2: Partial<ResourceSpec> = {};
export const hpaHooksV1: Partial<ResourceSpec> = {};
