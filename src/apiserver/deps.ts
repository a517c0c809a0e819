// The machinery modules the server calls for field selectors, patches, apply, OpenAPI and the watch
// cache, gathered behind small accessors (they were late-bound while written in parallel; the
// accessors keep the handlers independent of where each one lives).
import * as fields from '../machinery/fields.js';
import { applyJsonPatch } from '../machinery/patch/json-patch.js';
import { applyMergePatch } from '../machinery/patch/merge-patch.js';
import { applyStrategicMergePatch } from '../machinery/patch/strategic-merge-patch.js';
import * as apply from '../machinery/apply/index.js';
import * as openapi from '../api/openapi/index.js';
import * as cacher from '../storage/cacher/index.js';

export type FieldRequirement = fields.FieldRequirement;
export type FieldSelectorLike = fields.FieldSelector;

export const fieldsModule = async () => fields;
export const patchModules = async () => ({ applyJsonPatch, applyMergePatch, applyStrategicMergePatch });
export const applyModule = async () => apply;
export type ApplyModule = typeof apply;
export const openapiModule = async () => openapi;
export const cacherModule = async () => cacher;
