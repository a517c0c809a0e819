// Strategy hooks for apps/v1 types (pkg/registry/apps/*/strategy.go): defaults, status reset on
// create (with Go's non-omitempty zero fields, so a fresh object reads as upstream's), tables and
// field selectors.
import type { DaemonSet, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import { isDeepStrictEqual } from 'node:util';
import { defaultDaemonSet, defaultDeployment, defaultReplicaSet, defaultStatefulSet } from '../defaults/apps.js';
import * as t from '../tables/apps.js';
import type { ResourceSpec } from './define.js';
import { hook, hook2, resetStatus } from './define.js';

/**
 * DaemonSets carry upstream's internal templateGeneration as this annotation: 1 on create, +1 each
 * time the pod template changes.
 */
const TEMPLATE_GENERATION = 'deprecated.daemonset.template.generation';

function setTemplateGeneration(ds: DaemonSet, value: string | undefined): void {
  if (value === undefined) return;
  ds.metadata ??= {};
  ds.metadata.annotations = { ...(ds.metadata.annotations ?? {}), [TEMPLATE_GENERATION]: value };
}

function prepareDaemonSetForCreate(ds: DaemonSet): void {
  (ds as { status?: unknown }).status = { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0 };
  setTemplateGeneration(ds, '1');
}

function prepareDaemonSetForUpdate(ds: DaemonSet, old: DaemonSet): void {
  defaultDaemonSet(ds);
  const prev = old.metadata?.annotations?.[TEMPLATE_GENERATION];
  if (prev === undefined) return;
  const changed = !isDeepStrictEqual(ds.spec?.template, old.spec?.template);
  setTemplateGeneration(ds, changed ? String(Number(prev) + 1) : prev);
}

export const appsHooks: Record<string, Partial<ResourceSpec>> = {
  controllerRevision: { table: t.controllerRevisionTable },
  daemonSet: {
    defaults: hook(defaultDaemonSet),
    prepareForCreate: hook(prepareDaemonSetForCreate),
    prepareForUpdate: hook2(prepareDaemonSetForUpdate),
    table: t.daemonSetTable,
  },
  deployment: { defaults: hook(defaultDeployment), prepareForCreate: resetStatus(), table: t.deploymentTable },
  replicaSet: {
    defaults: hook(defaultReplicaSet),
    prepareForCreate: resetStatus(() => ({ replicas: 0 })),
    table: t.replicaSetTable,
    fieldSelectors: ((rs: ReplicaSet) => ({ 'status.replicas': String(rs.status?.replicas ?? 0) })) as unknown as ResourceSpec['fieldSelectors'],
  },
  statefulSet: {
    defaults: hook(defaultStatefulSet),
    prepareForCreate: resetStatus(() => ({ availableReplicas: 0, replicas: 0 })),
    table: t.statefulSetTable,
  },
};
