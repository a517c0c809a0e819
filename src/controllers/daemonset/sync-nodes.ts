// Carrying out a DaemonSet sync's plan (upstream daemon_controller.go syncNodes and
// controller_utils.go RealPodControl): expectations are raised before any call so a lagging informer
// cannot cause duplicates; pods are created in slow-start batches (1, 2, 4, …) each pinned to its
// node by a `metadata.name In [node]` node affinity the default scheduler honours, and labelled with
// the revision hash and template generation; deletions go in parallel. Every create and delete is
// reported as upstream's SuccessfulCreate/FailedCreate/SuccessfulDelete/FailedDelete event.
import type { DaemonSet } from 'kubernetes-types/apps/v1.js';
import type { Pod, PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import { isStatusError } from '../../machinery/errors.js';
import { deepCopy } from '../../machinery/object.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import type { Expectations } from '../shared/expectations.js';
import { newControllerRef } from '../shared/owner-refs.js';
import { podFromTemplate } from '../shared/pods.js';
import { daemonPodTolerations, replaceNodeNameAffinity } from './eligibility.js';
import { HASH_LABEL, TEMPLATE_GENERATION_LABEL, templateGeneration } from './rolling-update.js';

/** Upstream's burstReplicas: at most this many creates (and deletes) per sync. */
export const BURST_REPLICAS = 250;
const PODS = { group: '', version: 'v1', resource: 'pods' } as const;

/** Upstream CreatePodTemplate: daemon tolerations plus the generation and hash labels. */
export function daemonPodTemplate(ds: DaemonSet, hash: string): PodTemplateSpec {
  const t = deepCopy(ds.spec?.template ?? {});
  const spec = t.spec ?? { containers: [] };
  spec.tolerations = daemonPodTolerations(spec);
  t.spec = spec;
  const labels = { ...(t.metadata?.labels ?? {}) };
  const gen = templateGeneration(ds);
  if (gen !== undefined) labels[TEMPLATE_GENERATION_LABEL] = gen;
  if (hash) labels[HASH_LABEL] = hash;
  t.metadata = { ...(t.metadata ?? {}), labels };
  return t;
}

export function daemonPodFor(ds: DaemonSet, template: PodTemplateSpec, nodeName: string): Pod {
  const t = deepCopy(template);
  if (t.spec) t.spec.affinity = replaceNodeNameAffinity(t.spec.affinity, nodeName);
  return podFromTemplate(t, ds.metadata?.namespace ?? '', newControllerRef(ds, 'apps/v1', 'DaemonSet'), { generateName: `${ds.metadata?.name ?? ''}-` });
}

function isNamespaceTerminating(e: unknown): boolean {
  return isStatusError(e) && e.code === 403 && /because it is being terminated/.test(e.message);
}

export interface SyncNodesDeps {
  client: Pick<KubeClient, 'create' | 'delete'>;
  recorder: EventRecorder;
  expectations: Expectations;
}

/** Creates pods on `nodes` and deletes `podsToDelete`; returns the errors met (empty = all done). */
export async function syncNodes(d: SyncNodesDeps, ds: DaemonSet, key: string, podsToDelete: readonly string[], nodes: readonly string[], hash: string): Promise<unknown[]> {
  const dsRef = { ...ds, apiVersion: 'apps/v1', kind: 'DaemonSet' };
  const ns = ds.metadata?.namespace ?? '';
  const createDiff = Math.min(nodes.length, BURST_REPLICAS);
  const deleteDiff = Math.min(podsToDelete.length, BURST_REPLICAS);
  d.expectations.expect(key, createDiff, deleteDiff);
  const errors: unknown[] = [];
  const template = daemonPodTemplate(ds, hash);

  let pos = 0;
  for (let batch = Math.min(createDiff, 1); pos < createDiff; batch = Math.min(2 * batch, createDiff - pos)) {
    const results = await Promise.all(
      nodes.slice(pos, pos + batch).map(async (node): Promise<unknown> => {
        try {
          const pod = await d.client.create<Pod>({ ...PODS, namespace: ns }, daemonPodFor(ds, template, node));
          d.recorder.event(dsRef, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata?.name ?? ''}`);
          return undefined;
        } catch (e) {
          d.expectations.lowerExpectations(key, 1, 0); // never observed
          if (isNamespaceTerminating(e)) return undefined; // the namespace is going away: not an error
          d.recorder.event(dsRef, 'Warning', 'FailedCreate', `Error creating: ${e instanceof Error ? e.message : String(e)}`);
          return e;
        }
      }),
    );
    pos += batch;
    const failedNow = results.filter((e) => e !== undefined);
    if (failedNow.length) {
      errors.push(...failedNow);
      d.expectations.lowerExpectations(key, createDiff - pos, 0); // the skipped creates
      break;
    }
  }

  await Promise.all(
    podsToDelete.slice(0, deleteDiff).map(async (name) => {
      try {
        await d.client.delete({ ...PODS, namespace: ns, name });
        d.recorder.event(dsRef, 'Normal', 'SuccessfulDelete', `Deleted pod: ${name}`);
      } catch (e) {
        d.expectations.lowerExpectations(key, 0, 1);
        if (isStatusError(e) && e.code === 404) return;
        d.recorder.event(dsRef, 'Warning', 'FailedDelete', `Error deleting: ${e instanceof Error ? e.message : String(e)}`);
        errors.push(e);
      }
    }),
  );
  return errors;
}
