// The table of per-kind rules, keyed `<group>/<Kind>` ('' group for core). Each group's rules live in
// their own file; this file only assembles them.
import { appsRules } from './apps.js';
import { batchRules } from './batch.js';
import { configMapRules, secretRules } from './config.js';
import { coreMiscRules } from './core-misc.js';
import { eventRules } from './events.js';
import { pvcRules, pvRules } from './persistent-volumes.js';
import { podRules } from './pod.js';
import type { KindRules } from './rules.js';
import { serviceRules } from './service.js';

export const kindRules: Record<string, KindRules> = {
  '/Pod': podRules,
  '/PersistentVolume': pvRules,
  '/PersistentVolumeClaim': pvcRules,
  '/Service': serviceRules,
  '/ConfigMap': configMapRules,
  '/Secret': secretRules,
  ...coreMiscRules,
  ...eventRules,
  ...appsRules,
  ...batchRules,
};
