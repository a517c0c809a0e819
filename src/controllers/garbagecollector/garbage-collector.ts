// The garbage collector (upstream pkg/controller/garbagecollector/garbagecollector.go + graph_builder.go):
// watches every resource discovery reports as list/watch/delete-able, keeps the owner → dependents
// graph, and works two kinds of keys: `delete/<uid>` (attemptToDeleteItem: is this object garbage, or
// — when it is being deleted in the foreground — are its blocking dependents gone yet?) and
// `orphan/<uid>` (release every dependent, then drop the `orphan` finalizer). Caches lag, so before
// anything is deleted its owners are checked live by GET and UID; absent UIDs are remembered, since a
// UID never comes back.
import type { OwnerReference } from 'kubernetes-types/meta/v1.js';
import type { ResourceRef } from '../../client/http-client.js';
import type { MetaObject } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { done, failed, requeueAfter, runController, type Result, type RunningController } from '../runner.js';
import type { ControllerContext, StartController } from '../shared/context.js';
import { decide, invalidNamespaceMessage, type OwnerState } from './decide.js';
import { discover, type RestMapper } from './discovery.js';
import { FOREGROUND_FINALIZER, Graph, nodeFor, ORPHAN_FINALIZER, type GraphNode, type Work } from './graph.js';

export interface GarbageCollectorOptions {
  /** Upstream --concurrent-gc-syncs (default 20). */
  workers?: number;
  /** How often discovery is read again for new resources such as CRDs (upstream 30 s). */
  rediscoveryMs?: number;
  /** How long to wait for the watched resources' first lists before collecting anyway (default 60 s). */
  syncTimeoutMs?: number;
  onError?(key: string, error: unknown, terminal: boolean): void;
}

const ABSENT_CACHE_SIZE = 1000;
const is = (e: unknown, ...codes: number[]) => isStatusError(e) && codes.includes(e.code);

export class GarbageCollector {
  readonly graph = new Graph();
  readonly queue = new WorkQueue();
  private mapper: RestMapper | undefined;
  private readonly watched = new Set<string>();
  private readonly pendingSync: Array<Promise<void>> = [];
  /** `<namespace>/<uid>` of owners verified absent (upstream absentOwnerCache). */
  private readonly absent = new Set<string>();
  private readonly recorder;
  /** Resolves once the graph is built from every watched resource and workers run (tests wait on it). */
  readonly ready: Promise<void>;
  private markReady!: () => void;

  constructor(private readonly ctx: ControllerContext, private readonly opts: GarbageCollectorOptions = {}) {
    this.recorder = ctx.recorder('garbage-collector-controller');
    this.ready = new Promise((r) => (this.markReady = r));
  }

  run(): RunningController {
    let stopping = false;
    let runner: RunningController | undefined;
    let timer: NodeJS.Timeout | undefined;
    let wake!: () => void;
    const stopped = new Promise<void>((r) => (wake = r));
    const startup = (async () => {
      await Promise.race([this.ctx.synced, stopped]);
      // Discovery may fail while the server starts: retry until it answers.
      while (!stopping) {
        try {
          await this.resync();
          break;
        } catch (e) {
          this.opts.onError?.('discovery', e, false);
          await Promise.race([new Promise((r) => setTimeout(r, 1000)), stopped]);
        }
      }
      // A resource that never lists (a broken aggregated API, a CRD without storage) must not stall
      // collection for everyone: as upstream, give up waiting after a while — every deletion is
      // verified live anyway, so a partial graph only delays work, it never deletes wrongly.
      let syncTimer: NodeJS.Timeout | undefined;
      const syncTimeout = new Promise<void>((r) => (syncTimer = setTimeout(r, this.opts.syncTimeoutMs ?? 60_000)));
      await Promise.race([Promise.all(this.pendingSync.splice(0)), stopped, syncTimeout]);
      clearTimeout(syncTimer);
      if (stopping) return;
      this.graph.synced = true;
      for (const uid of this.graph.nodesWithUnknownOwners()) this.queue.add(`delete/${uid}`);
      runner = runController({
        name: 'garbage-collector-controller',
        queue: this.queue,
        workers: this.opts.workers ?? 20,
        reconcile: (key) => this.reconcile(key),
        onError: this.opts.onError,
      });
      timer = setInterval(() => void this.resync().catch(() => {}), this.opts.rediscoveryMs ?? 30_000);
      timer.unref?.();
      this.markReady();
    })();
    return {
      async stop() {
        stopping = true;
        wake();
        clearInterval(timer);
        await startup;
        if (runner) await runner.stop();
      },
    };
  }

  /** Reads discovery; starts informers for resources not watched yet. */
  async resync(): Promise<void> {
    const d = await discover(this.ctx.client);
    this.mapper = d.mapper;
    for (const r of d.watched) {
      const id = `${r.group}/${r.version}/${r.resource}`;
      if (this.watched.has(id)) continue;
      this.watched.add(id);
      const res = { group: r.group, version: r.version, resource: r.resource };
      const inf = this.ctx.informers.for<MetaObject>(res);
      const observe = (o: MetaObject) => {
        const n = nodeFor(o, res, r.kind);
        if (n) this.enqueue(this.graph.observe(n));
      };
      inf.addEventHandler({
        onAdd: observe,
        onUpdate: (_old, o) => observe(o),
        onDelete: (o) => o.metadata?.uid && this.enqueue(this.graph.forget(o.metadata.uid)),
      });
      if (!this.graph.synced) this.pendingSync.push(inf.waitForSync());
    }
  }

  private enqueue(w: Work): void {
    for (const u of w.attemptToDelete) this.queue.add(`delete/${u}`);
    for (const u of w.attemptToOrphan) this.queue.add(`orphan/${u}`);
  }

  async reconcile(key: string): Promise<Result> {
    const i = key.indexOf('/');
    const what = key.slice(0, i);
    const uid = key.slice(i + 1);
    try {
      return what === 'orphan' ? await this.attemptToOrphan(uid) : await this.attemptToDelete(uid);
    } catch (e) {
      return failed(e);
    }
  }

  private refOf(n: GraphNode): ResourceRef {
    return { ...n.resource, namespace: n.namespace || undefined, name: n.name };
  }

  /** The object as the API server has it now, or undefined when it is gone (or another object took its name). */
  private async live(n: GraphNode): Promise<MetaObject | undefined> {
    try {
      const o = await this.ctx.client.get<MetaObject>(this.refOf(n));
      return o.metadata?.uid === n.uid ? o : undefined;
    } catch (e) {
      if (is(e, 404)) return undefined;
      throw e;
    }
  }

  private async attemptToDelete(uid: string): Promise<Result> {
    const n = this.graph.get(uid);
    if (!n) return done;
    if (n.beingDeleted && !n.deletingDependents) return done;
    if (n.deletingDependents) return this.processDeletingDependents(n);
    if (n.owners.length === 0) return done;
    const item = await this.live(n);
    if (!item) return done; // the informer will report the deletion
    const md = item.metadata ?? {};
    if (md.deletionTimestamp) return (md.finalizers ?? []).includes(FOREGROUND_FINALIZER) ? this.processDeletingDependents(n) : done;
    const owners: Array<{ ref: OwnerReference; state: OwnerState }> = [];
    for (const ref of md.ownerReferences ?? []) owners.push({ ref, state: await this.ownerState(ref, n) });
    const decision = decide(
      {
        hasOrphanFinalizer: (md.finalizers ?? []).includes(ORPHAN_FINALIZER),
        hasForegroundFinalizer: (md.finalizers ?? []).includes(FOREGROUND_FINALIZER),
        hasDependents: this.graph.dependentsOf(uid).length > 0,
      },
      owners,
    );
    try {
      if (decision.kind === 'removeRefs') {
        const refs = (md.ownerReferences ?? []).filter((r) => !decision.uids.includes(r.uid));
        await this.ctx.client.patch(this.refOf(n), { metadata: { ownerReferences: refs.length ? refs : null, resourceVersion: md.resourceVersion } }, 'merge');
      } else if (decision.kind === 'delete') {
        await this.ctx.client.delete(this.refOf(n), { propagationPolicy: decision.policy, preconditions: { uid } });
      }
    } catch (e) {
      if (is(e, 404)) return done;
      throw e; // 409: changed meanwhile, look again
    }
    return done;
  }

  /** Whether an owner still exists (live GET by name, compared by UID) and whether it waits for its dependents. */
  private async ownerState(ref: OwnerReference, item: GraphNode): Promise<OwnerState> {
    const mapping = this.mapper?.map(ref.apiVersion, ref.kind);
    if (!mapping) {
      void this.resync().catch(() => {});
      throw new Error(`unable to get REST mapping for ${ref.apiVersion}/${ref.kind}`);
    }
    if (mapping.namespaced && !item.namespace) {
      // A cluster-scoped dependent cannot have a namespaced owner: unresolvable, never collected.
      this.invalidNamespace(item, ref, '');
      return 'solid';
    }
    const ns = mapping.namespaced ? item.namespace : '';
    const absentKey = `${ns}/${ref.uid}`;
    if (this.absent.has(absentKey)) return 'dangling';
    const known = this.graph.get(ref.uid);
    if (known && mapping.namespaced && known.namespace !== ns) this.invalidNamespace(item, ref, known.namespace);
    let owner: MetaObject | undefined;
    try {
      owner = await this.ctx.client.get<MetaObject>({ ...mapping.resource, namespace: ns || undefined, name: ref.name });
    } catch (e) {
      if (!is(e, 404)) throw e;
    }
    if (!owner || owner.metadata?.uid !== ref.uid) {
      if (this.absent.size >= ABSENT_CACHE_SIZE) this.absent.delete(this.absent.values().next().value as string);
      this.absent.add(absentKey);
      return 'dangling';
    }
    const omd = owner.metadata ?? {};
    return omd.deletionTimestamp && (omd.finalizers ?? []).includes(FOREGROUND_FINALIZER) ? 'waiting' : 'solid';
  }

  private invalidNamespace(item: GraphNode, ref: OwnerReference, ownerNamespace: string): void {
    const obj = { apiVersion: item.apiVersion, kind: item.kind, metadata: { name: item.name, namespace: item.namespace || undefined, uid: item.uid } };
    this.recorder.event(obj, 'Warning', 'OwnerRefInvalidNamespace', invalidNamespaceMessage(ref, ownerNamespace, item.namespace));
  }

  /** Foreground deletion: the owner goes once no dependent blocks it. */
  private async processDeletingDependents(n: GraphNode): Promise<Result> {
    const blocking = this.graph.blockingDependentsOf(n.uid);
    if (blocking.length === 0) {
      await this.removeFinalizer(n, FOREGROUND_FINALIZER);
      return done;
    }
    for (const d of blocking) if (!d.deletingDependents) this.queue.add(`delete/${d.uid}`);
    // Deletions of dependents re-enqueue us; the periodic look only covers a missed event.
    return requeueAfter(30_000);
  }

  private async attemptToOrphan(uid: string): Promise<Result> {
    const n = this.graph.get(uid);
    if (!n?.orphaning) return done;
    for (const d of this.graph.dependentsOf(uid)) {
      const dep = await this.live(d);
      const refs = dep?.metadata?.ownerReferences ?? [];
      if (!dep || !refs.some((r) => r.uid === uid)) continue;
      const rest = refs.filter((r) => r.uid !== uid);
      try {
        await this.ctx.client.patch(this.refOf(d), { metadata: { ownerReferences: rest.length ? rest : null, resourceVersion: dep.metadata?.resourceVersion } }, 'merge');
      } catch (e) {
        if (!is(e, 404)) throw e;
      }
    }
    await this.removeFinalizer(n, ORPHAN_FINALIZER);
    return done;
  }

  private async removeFinalizer(n: GraphNode, finalizer: string): Promise<void> {
    const o = await this.live(n);
    const fins = o?.metadata?.finalizers ?? [];
    if (!o || !fins.includes(finalizer)) return;
    const rest = fins.filter((f) => f !== finalizer);
    try {
      await this.ctx.client.patch(this.refOf(n), { metadata: { finalizers: rest.length ? rest : null, resourceVersion: o.metadata?.resourceVersion } }, 'merge');
    } catch (e) {
      if (!is(e, 404)) throw e;
    }
  }
}

/** A starter with options (tests); the registered one uses upstream's defaults. */
export function garbageCollectorStarter(opts: GarbageCollectorOptions = {}): StartController {
  return (ctx) => new GarbageCollector(ctx, opts).run();
}

export const startGarbageCollector: StartController = garbageCollectorStarter();
