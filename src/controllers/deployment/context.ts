// What the deployment sync functions act through (the DeploymentController's client, recorder and
// clock), and the writes they share: updating a ReplicaSet, persisting a Deployment's revision
// annotation and its status. Writes go with the object's resourceVersion, so acting on a stale cache
// ends in a Conflict and a retry rather than a wrong scale.
import type { Deployment, ReplicaSet } from 'kubernetes-types/apps/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { REVISION_ANNOTATION } from './util.js';

export interface SyncContext {
  client: Pick<KubeClient, 'create' | 'update' | 'patch' | 'delete' | 'get'>;
  recorder: EventRecorder;
  now(): number;
  /** The revision annotation the server holds for the Deployment being synced (per sync). */
  persistedRevision?: string;
}

export const RS_RESOURCE = { group: 'apps', version: 'v1', resource: 'replicasets' } as const;
export const DEPLOY_RESOURCE = { group: 'apps', version: 'v1', resource: 'deployments' } as const;

/** Events need apiVersion/kind, which objects from a list do not always carry. */
export const asDeployment = (d: Deployment): Deployment => ({ ...d, apiVersion: 'apps/v1', kind: 'Deployment' });

export async function updateReplicaSet(c: SyncContext, rs: ReplicaSet): Promise<ReplicaSet> {
  const ref = { ...RS_RESOURCE, namespace: rs.metadata?.namespace, name: rs.metadata?.name };
  return c.client.update<ReplicaSet>(ref, { ...rs, apiVersion: 'apps/v1', kind: 'ReplicaSet' });
}

/**
 * Writes d.status through the status subresource. Upstream also carries the Deployment's revision
 * annotation in that write (its status strategy keeps annotations); ours resets metadata on status
 * writes, so a changed revision annotation is merge-patched onto the object first. `d` is refreshed
 * in place (resourceVersion, status) so a later write in the same sync does not conflict.
 */
export async function updateDeploymentStatus(c: SyncContext, d: Deployment): Promise<void> {
  const ref = { ...DEPLOY_RESOURCE, namespace: d.metadata?.namespace, name: d.metadata?.name };
  const revision = d.metadata?.annotations?.[REVISION_ANNOTATION];
  if (revision !== undefined && revision !== c.persistedRevision) {
    const patched = await c.client.patch<Deployment>(ref, { metadata: { annotations: { [REVISION_ANNOTATION]: revision }, resourceVersion: d.metadata?.resourceVersion } }, 'merge');
    d.metadata = { ...d.metadata, resourceVersion: patched.metadata?.resourceVersion };
    c.persistedRevision = revision;
  }
  const updated = await c.client.update<Deployment>({ ...ref, subresource: 'status' }, { ...d, apiVersion: 'apps/v1', kind: 'Deployment' });
  d.metadata = { ...d.metadata, resourceVersion: updated.metadata?.resourceVersion };
  d.status = updated.status;
}
