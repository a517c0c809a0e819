// The table of per-kind rules, keyed `<group>/<Kind>` ('' group for core). Each group's rules live in
// their own file; this file only assembles them.
import { appsRules } from './apps.js';
import { autoscalingRules } from './autoscaling.js';
import { batchRules } from './batch.js';
import { configMapRules, secretRules } from './config.js';
import { coordinationRules } from './coordination.js';
import { coreMiscRules } from './core-misc.js';
import { discoveryRules } from './discovery.js';
import { eventRules } from './events.js';
import { networkingRules } from './networking.js';
import { pvcRules, pvRules } from './persistent-volumes.js';
import { podRules } from './pod.js';
import { policyRules } from './policy.js';
import { rbacRules } from './rbac.js';
import type { KindRules } from './rules.js';
import { schedulingRules } from './scheduling.js';
import { serviceRules } from './service.js';
import { storageRules } from './storage.js';

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
  ...autoscalingRules,
  ...networkingRules,
  ...storageRules,
  ...rbacRules,
  ...coordinationRules,
  ...policyRules,
  ...discoveryRules,
  ...schedulingRules,
};
