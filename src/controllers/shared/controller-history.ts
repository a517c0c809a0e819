// ControllerRevision history (upstream pkg/controller/history/controller_history.go), shared by the
// StatefulSet and DaemonSet controllers. A revision is an immutable snapshot of an owner's pod
// template, stored as the patch that restores it (`kubectl rollout undo` applies `data` as a
// strategic merge patch):  data = {spec: {template: {...template, $patch: 'replace'}}}.
//
// API (generic over the owner kind):
// - templatePatch(template) → the `data` above; canonicalJson(v) → its bytes as Go's json.Marshal of
//   a map writes them (keys sorted), which is what the hash and the equality checks read.
// - hashControllerRevision(data, collisionCount) → upstream's HashControllerRevision: FNV-1 32 of the
//   data bytes (+ the decimal collision count), its decimal form mapped through the safe alphabet.
// - newControllerRevision({owner, ownerApiVersion, ownerKind, templateLabels, data, revision,
//   collisionCount, hashLabelKey?, hash?, annotations?}) → name `<owner>-<hash>`, owned by the owner,
//   labels = template labels + hashLabelKey (default `controller.kubernetes.io/hash`, as upstream's
//   NewControllerRevision; DaemonSets pass `controller-revision-hash` and their own `hash`).
// - equalRevision / findEqualRevisions / sortRevisions / nextRevision: pure helpers.
// - ControllerHistory(client, informer): list (controlled by the owner, or orphans that match, which it
//   adopts), create (AlreadyExists with other data bumps the collision count and retries), update the
//   revision number, delete, truncate to a history limit keeping the live revisions.
import type { ControllerRevision } from 'kubernetes-types/apps/v1.js';
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';
import type { LabelSelector } from 'kubernetes-types/meta/v1.js';
import type { KubeClient } from '../../client/http-client.js';
import type { SharedInformer } from '../../client/informer.js';
import { NAMESPACE_INDEX, type MetaObject } from '../../client/store.js';
import { isStatusError } from '../../machinery/errors.js';
import { deepCopy, isPlainObject, type JsonObject } from '../../machinery/object.js';
import { claimObjects, newControllerRef } from './owner-refs.js';

/** Label upstream's NewControllerRevision puts on a revision (history.ControllerRevisionHashLabel). */
export const CONTROLLER_REVISION_HASH_LABEL = 'controller.kubernetes.io/hash';
export const CONTROLLER_REVISIONS = { group: 'apps', version: 'v1', resource: 'controllerrevisions' } as const;

/** The patch a revision stores: replace the whole template (upstream getPatch for sts and ds). */
export function templatePatch(template: PodTemplateSpec | undefined): JsonObject {
  const t = deepCopy(template ?? {}) as JsonObject;
  return { spec: { template: { ...t, $patch: 'replace' } } };
}

/** Go's json.Marshal of a map[string]interface{}: keys sorted, <, >, & escaped as \u003c… */
export function canonicalJson(v: unknown): string {
  const walk = (x: unknown): string => {
    if (Array.isArray(x)) return `[${x.map(walk).join(',')}]`;
    if (isPlainObject(x)) {
      const keys = Object.keys(x).filter((k) => x[k] !== undefined).sort();
      return `{${keys.map((k) => `${goString(k)}:${walk(x[k])}`).join(',')}}`;
    }
    if (typeof x === 'string') return goString(x);
    return JSON.stringify(x ?? null);
  };
  return walk(v);
}
const goString = (s: string) => JSON.stringify(s).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');

/** FNV-1 32-bit (Go's hash/fnv New32, which upstream's HashControllerRevision uses). */
export function fnv32(bytes: Uint8Array, h = 0x811c9dc5): number {
  for (const b of bytes) {
    h = Math.imul(h, 0x01000193) >>> 0;
    h = (h ^ b) >>> 0;
  }
  return h;
}

const ALPHANUMS = 'bcdfghjklmnpqrstvwxz2456789';
/** apimachinery rand.SafeEncodeString: no vowels (no words), no 0/1/3 (confusable). */
export function safeEncodeString(s: string): string {
  let r = '';
  for (const ch of s) r += ALPHANUMS[ch.codePointAt(0)! % ALPHANUMS.length];
  return r;
}

/** Hash of a revision's data (object or canonical JSON string) and optional collision count. */
export function hashControllerRevision(data: unknown, collisionCount?: number): string {
  const enc = new TextEncoder();
  let h = fnv32(enc.encode(typeof data === 'string' ? data : canonicalJson(data)));
  if (collisionCount !== undefined && collisionCount !== null) h = fnv32(enc.encode(String(collisionCount)), h);
  return safeEncodeString(String(h));
}

/** `<prefix>-<hash>`, prefix cut to 223 characters so the name stays a valid 253-char subdomain. */
export function controllerRevisionName(prefix: string, hash: string): string {
  return `${prefix.slice(0, 223)}-${hash}`;
}

export interface NewRevisionOptions {
  owner: MetaObject;
  ownerApiVersion: string;
  ownerKind: string;
  templateLabels?: Record<string, string>;
  data: JsonObject;
  revision: number;
  collisionCount?: number;
  /** Label carrying the hash (default controller.kubernetes.io/hash). */
  hashLabelKey?: string;
  /** A hash computed by the caller (DaemonSets hash the template instead); default hashControllerRevision. */
  hash?: string;
  annotations?: Record<string, string>;
}

export function newControllerRevision(o: NewRevisionOptions): ControllerRevision {
  const hash = o.hash ?? hashControllerRevision(o.data, o.collisionCount);
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: controllerRevisionName(o.owner.metadata?.name ?? '', hash),
      namespace: o.owner.metadata?.namespace,
      labels: { ...(o.templateLabels ?? {}), [o.hashLabelKey ?? CONTROLLER_REVISION_HASH_LABEL]: hash },
      ...(o.annotations && Object.keys(o.annotations).length ? { annotations: { ...o.annotations } } : {}),
      ownerReferences: [newControllerRef(o.owner, o.ownerApiVersion, o.ownerKind)],
    },
    data: o.data,
    revision: o.revision,
  };
}

/** Same snapshot: equal data (upstream EqualRevision compares the raw bytes). */
export function equalRevision(a: ControllerRevision | undefined, b: ControllerRevision | undefined): boolean {
  if (!a || !b) return a === b;
  return canonicalJson(a.data) === canonicalJson(b.data);
}

export function findEqualRevisions(revisions: readonly ControllerRevision[], needle: ControllerRevision): ControllerRevision[] {
  const want = canonicalJson(needle.data);
  return revisions.filter((r) => canonicalJson(r.data) === want);
}

/** Oldest first: by revision, then creation time, then name (upstream byRevision). */
export function sortRevisions(revisions: readonly ControllerRevision[]): ControllerRevision[] {
  const created = (r: ControllerRevision) => Date.parse(r.metadata?.creationTimestamp ?? '') || 0;
  return [...revisions].sort((a, b) => a.revision - b.revision || created(a) - created(b) || (a.metadata?.name ?? '').localeCompare(b.metadata?.name ?? ''));
}

/** One more than the highest revision (1 for an empty history). */
export function nextRevision(revisions: readonly ControllerRevision[]): number {
  return revisions.reduce((m, r) => Math.max(m, r.revision), 0) + 1;
}

export type HistoryClient = Pick<KubeClient, 'create' | 'get' | 'update' | 'delete' | 'patch'>;

export class ControllerHistory {
  constructor(
    private readonly client: HistoryClient,
    private readonly informer: SharedInformer<ControllerRevision>,
  ) {}

  /**
   * The owner's revisions: those it controls that match its selector, after adopting matching orphans
   * and releasing controlled ones that stopped matching (upstream ClaimControllerRevisions).
   */
  async listControllerRevisions(owner: MetaObject, ownerApiVersion: string, ownerKind: string, selector: LabelSelector): Promise<ControllerRevision[]> {
    const candidates = this.informer.store.byIndex(NAMESPACE_INDEX, owner.metadata?.namespace ?? '');
    return claimObjects<ControllerRevision>({
      client: this.client,
      owner,
      ownerApiVersion,
      ownerKind,
      selector,
      resource: CONTROLLER_REVISIONS,
      candidates,
    });
  }

  /**
   * Creates `revision` named by its hash and `collision.count`. When the name is taken by a revision
   * with the same data, that one is returned; with other data (a hash collision), collision.count is
   * bumped and the create retried under the new name — the caller persists the count in its status.
   */
  async createControllerRevision(owner: MetaObject, revision: ControllerRevision, collision: { count: number }, hashLabelKey = CONTROLLER_REVISION_HASH_LABEL): Promise<ControllerRevision> {
    const ns = owner.metadata?.namespace;
    for (let attempt = 0; attempt < 100; attempt++) {
      const hash = hashControllerRevision(revision.data, collision.count);
      const clone = deepCopy(revision);
      clone.metadata = { ...clone.metadata, name: controllerRevisionName(owner.metadata?.name ?? '', hash), labels: { ...clone.metadata?.labels, [hashLabelKey]: hash } };
      try {
        return await this.client.create<ControllerRevision>({ ...CONTROLLER_REVISIONS, namespace: ns }, clone);
      } catch (e) {
        if (!isStatusError(e) || e.code !== 409) throw e;
        const exists = await this.client.get<ControllerRevision>({ ...CONTROLLER_REVISIONS, namespace: ns, name: clone.metadata.name });
        if (equalRevision(exists, clone)) return exists;
        collision.count++;
      }
    }
    throw new Error(`too many ControllerRevision hash collisions for ${owner.metadata?.name ?? ''}`);
  }

  /** Sets a revision's number (an old snapshot that became current again gets the newest number). */
  async updateControllerRevision(revision: ControllerRevision, newRevision: number): Promise<ControllerRevision> {
    if (revision.revision === newRevision) return revision;
    const ref = { ...CONTROLLER_REVISIONS, namespace: revision.metadata?.namespace, name: revision.metadata?.name };
    return this.client.patch<ControllerRevision>(ref, { revision: newRevision }, 'merge');
  }

  async deleteControllerRevision(revision: ControllerRevision): Promise<void> {
    try {
      await this.client.delete({ ...CONTROLLER_REVISIONS, namespace: revision.metadata?.namespace, name: revision.metadata?.name });
    } catch (e) {
      if (!isStatusError(e) || e.code !== 404) throw e;
    }
  }

  /**
   * Deletes the oldest revisions that are not live (named in `live`, e.g. the current and update
   * revisions or those pods still run) until at most `limit` non-live ones remain.
   */
  async truncateHistory(revisions: readonly ControllerRevision[], live: ReadonlySet<string>, limit: number): Promise<void> {
    const history = sortRevisions(revisions).filter((r) => !live.has(r.metadata?.name ?? ''));
    const excess = history.length - Math.max(0, limit);
    for (let i = 0; i < excess; i++) await this.deleteControllerRevision(history[i]);
  }
}
