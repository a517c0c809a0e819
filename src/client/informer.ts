// A shared informer (client-go tools/cache reflector.go + shared_informer.go): lists a resource in
// pages of 500, then watches from the list's resourceVersion with bookmarks, keeping an indexed local
// Store current and calling event handlers. When a watch ends it resumes from the last resourceVersion
// seen (events or bookmarks); when that version is too old (410 Expired/Gone) it relists and reconciles
// the store, emitting deletes for objects that vanished meanwhile. Cached objects are frozen and must
// never be mutated: deepCopy before changing.
import { StatusError } from '../machinery/errors.js';
import type { KubeClient, ResourceRef, WatchEvent, WatchHandle } from './http-client.js';
import { Store, metaNamespaceKey, type Indexers, type MetaObject } from './store.js';

/** What an informer needs of a client (KubeClient, or a fake in unit tests). */
export type ListerWatcher = Pick<KubeClient, 'list' | 'watch'>;

export interface EventHandlers<T> {
  onAdd?(obj: T): void;
  /** Also called on resync (old === new) and for every object still present after a relist. */
  onUpdate?(oldObj: T, newObj: T): void;
  /** After a relist, receives the last state the informer knew for an object that vanished. */
  onDelete?(obj: T): void;
}

export interface InformerOptions<T> {
  indexers?: Indexers<T>;
  pageSize?: number;
  labelSelector?: string;
  fieldSelector?: string;
  /** 0 (default) = no periodic resync; otherwise onUpdate(obj, obj) for every cached object. */
  resyncPeriodMs?: number;
  /** Server-side watch timeout; upstream picks 5–10 min at random so watches do not end together. */
  watchTimeoutSeconds?: number;
  /**
   * Applied to every object before it is cached or handed to handlers (client-go's SetTransform),
   * e.g. stripManagedFields: it may change the object in place (it was just decoded) and returns it.
   */
  transform?(obj: T): T;
  /** Called when a handler throws; default: console.error. The informer keeps running. */
  onHandlerError?(err: unknown): void;
}

const isExpired = (e: unknown) => e instanceof StatusError && (e.code === 410 || e.reason === 'Expired' || e.reason === 'Gone');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms).unref?.());

export class SharedInformer<T extends MetaObject = MetaObject> {
  readonly store: Store<T>;
  private readonly handlers: EventHandlers<T>[] = [];
  /** The newest resourceVersion applied to the store ('' before the first list completes). */
  private lastRV = '';
  /** True once the first full list has been applied; never reset (relists keep serving the cache). */
  private synced = false;
  private syncWaiters: Array<() => void> = [];
  private running = false;
  private abortWatch: (() => void) | undefined;
  private resyncTimer: NodeJS.Timeout | undefined;

  constructor(
    private readonly client: ListerWatcher,
    private readonly ref: ResourceRef,
    private readonly opts: InformerOptions<T> = {},
  ) {
    this.store = new Store<T>(opts.indexers);
  }

  /** Registers handlers; objects already cached are delivered to the new handler as adds. */
  addEventHandler(h: EventHandlers<T>): void {
    this.handlers.push(h);
    for (const o of this.store.list()) this.call(h, 'onAdd', o);
  }

  hasSynced(): boolean {
    return this.synced;
  }
  waitForSync(): Promise<void> {
    return this.synced ? Promise.resolve() : new Promise((r) => this.syncWaiters.push(r));
  }
  lastSyncResourceVersion(): string {
    return this.lastRV;
  }

  /** Starts (or restarts after stop) the list/watch loop; resumes from the last resourceVersion seen. */
  start(): void {
    if (this.running) return;
    this.running = true;
    if (this.opts.resyncPeriodMs) {
      this.resyncTimer = setInterval(() => {
        for (const o of this.store.list()) this.emit('onUpdate', o, o);
      }, this.opts.resyncPeriodMs);
      this.resyncTimer.unref?.();
    }
    void this.run();
  }

  stop(): void {
    this.running = false;
    this.abortWatch?.();
    if (this.resyncTimer) clearInterval(this.resyncTimer);
  }

  private async run(): Promise<void> {
    let needList = this.lastRV === '';
    let backoffMs = 100;
    while (this.running) {
      try {
        if (needList) {
          await this.relist();
          needList = false;
        }
        const t0 = Date.now();
        await this.watchOnce();
        // A watch the server ends at once (e.g. closing connections) must not become a busy loop.
        if (Date.now() - t0 < 1000 && this.running) {
          await sleep(backoffMs);
          backoffMs = Math.min(backoffMs * 2, 5000);
        } else backoffMs = 100;
      } catch (e) {
        if (!this.running) return;
        if (isExpired(e)) {
          needList = true; // the last resourceVersion was compacted away: start over from a list
          continue;
        }
        // Connection refused, server restarting, 5xx: retry the same step with capped back-off.
        await sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 5000);
      }
    }
  }

  /** Paged list, then replace the store's content; emits add/update/delete by the difference. */
  private async relist(): Promise<void> {
    const items: T[] = [];
    let cont: string | undefined;
    let rv = '';
    do {
      const page = await this.client.list<T>(this.ref, {
        limit: this.opts.pageSize ?? 500,
        continue: cont,
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
      });
      for (const o of page.items) items.push(o);
      cont = page.metadata.continue || undefined;
      rv = page.metadata.resourceVersion ?? rv;
    } while (cont && this.running);
    if (!this.running) return;
    const seen = new Set<string>();
    for (const o of items) {
      seen.add(metaNamespaceKey(o));
      this.apply(o);
    }
    for (const k of this.store.listKeys()) {
      if (seen.has(k)) continue;
      const gone = this.store.deleteKey(k)!;
      this.emit('onDelete', gone);
    }
    this.lastRV = rv;
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
  }

  /** One watch from lastRV until the server ends it or stop(); throws a StatusError when the stream reports an ERROR (410 → relist). */
  private async watchOnce(): Promise<void> {
    let failure: StatusError | undefined;
    let h: WatchHandle | undefined; // events may arrive before watch() returns (fakes): abort via this
    h = this.client.watch<T>(
      this.ref,
      {
        resourceVersion: this.lastRV,
        allowWatchBookmarks: true,
        timeoutSeconds: this.opts.watchTimeoutSeconds ?? 300 + Math.floor(Math.random() * 300),
        labelSelector: this.opts.labelSelector,
        fieldSelector: this.opts.fieldSelector,
      },
      (ev: WatchEvent<T>) => {
        if (failure) return;
        if (ev.type === 'ERROR') {
          failure = new StatusError({ ...ev.object, code: ev.object.code ?? 500 });
          h?.abort();
          return;
        }
        this.handleEvent(ev);
      },
    );
    if (failure) h.abort();
    this.abortWatch = h.abort;
    try {
      await h.done;
    } finally {
      this.abortWatch = undefined;
    }
    if (failure) throw failure;
  }

  private handleEvent(ev: Exclude<WatchEvent<T>, { type: 'ERROR' }>): void {
    const rv = ev.object.metadata?.resourceVersion;
    if (ev.type === 'DELETED') {
      this.store.deleteKey(metaNamespaceKey(ev.object));
      this.emit('onDelete', this.opts.transform ? this.opts.transform(ev.object) : ev.object); // the object's final state, as the server sent it
    } else if (ev.type !== 'BOOKMARK') {
      this.apply(ev.object);
    }
    if (rv) this.lastRV = rv;
  }

  private apply(o: T): void {
    if (this.opts.transform) o = this.opts.transform(o);
    const old = this.store.upsert(o);
    if (old) this.emit('onUpdate', old, o);
    else this.emit('onAdd', o);
  }

  private emit(kind: 'onAdd' | 'onDelete', o: T): void;
  private emit(kind: 'onUpdate', oldObj: T, newObj: T): void;
  private emit(kind: keyof EventHandlers<T>, a: T, b?: T): void {
    for (const h of this.handlers) this.call(h, kind, a, b);
  }

  private call(h: EventHandlers<T>, kind: keyof EventHandlers<T>, a: T, b?: T): void {
    try {
      if (kind === 'onUpdate') h.onUpdate?.(a, b!);
      else h[kind]?.(a);
    } catch (e) {
      (this.opts.onHandlerError ?? console.error)(e);
    }
  }
}

/**
 * Drops metadata.managedFields (client-go's TransformStripManagedFields, which kube-controller-manager
 * and kube-scheduler install): controllers never read them, and they are often the largest part of an
 * object. An update sent from a stripped object keeps the server's managedFields (absent = unchanged).
 */
export function stripManagedFields<T extends MetaObject>(obj: T): T {
  if (obj.metadata?.managedFields) delete obj.metadata.managedFields;
  return obj;
}
