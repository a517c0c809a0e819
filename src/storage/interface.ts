// The key/value contract every storage backend implements, shaped like etcd v3 so that the SQLite
// backend (embedded default) and the etcd backend are interchangeable. Only the API server uses it.
//
// Keys: `/registry/<group>/<resource>/<namespace>/<name>` (core group is `core`; cluster-scoped
// objects omit the namespace segment). Values: the object's JSON text. There is one global revision
// that every successful write increments by exactly one and returns; an object's `resourceVersion`
// is the `modRevision` of its last write.

/** A storage revision. Branded so it is not mixed up with ordinary numbers by accident. */
export type Revision = number;

export interface KeyValue {
  key: string;
  value: string;
  /** Revision of the write that created this key (since its last deletion). */
  createRevision: Revision;
  /** Revision of the write that produced this value. */
  modRevision: Revision;
}

export interface ListOptions {
  /** Read at this revision (0/undefined = current). Fails with CompactedError if compacted. */
  revision?: Revision;
  /** Maximum number of items; 0/undefined = no limit. */
  limit?: number;
  /** Return keys strictly greater than this key (paging: the last key of the previous page). */
  startAfter?: string;
}

export interface ListResult {
  items: KeyValue[];
  /** The revision the list is consistent at (use it for the next page and to start a watch). */
  revision: Revision;
  /** True when more keys follow the last returned one. */
  more: boolean;
  /** How many keys remain after this page, when cheap to compute. */
  remaining?: number;
}

export type WatchEvent =
  | { type: 'PUT'; kv: KeyValue; prevKv?: KeyValue }
  | { type: 'DELETE'; kv: KeyValue; prevKv: KeyValue };
// For DELETE, kv.modRevision is the revision of the delete and kv.value is the last value.

export interface WatchHandle {
  stop(): void;
}

export interface WatchOptions {
  /** Deliver events with revision > fromRevision (history first, then live). 0 = from now, no history. */
  fromRevision: Revision;
  onEvent(ev: WatchEvent): void;
  /** Called once if the watch ends abnormally (e.g. backend closed); not called after stop(). */
  onError?(err: Error): void;
}

export interface Storage {
  /** The latest committed revision. */
  currentRevision(): Promise<Revision>;
  get(key: string): Promise<KeyValue | undefined>;
  /** Keys with the given prefix, sorted by key, consistent at one revision. */
  list(prefix: string, opts?: ListOptions): Promise<ListResult>;
  /** Count of keys under a prefix at the current revision. */
  count(prefix: string): Promise<number>;
  /** Creates the key if absent; throws KeyExistsError otherwise. */
  create(key: string, value: string): Promise<KeyValue>;
  /** Replaces the value if the key's modRevision equals expected; throws KeyNotFoundError / RevisionMismatchError. */
  update(key: string, value: string, expectedModRevision: Revision): Promise<KeyValue>;
  /**
   * Deletes the key (only if its modRevision equals expected, when given). Returns the deleted
   * value with modRevision set to the revision of the delete. Throws KeyNotFoundError / RevisionMismatchError.
   */
  delete(key: string, expectedModRevision?: Revision): Promise<KeyValue>;
  /**
   * Streams changes under prefix after fromRevision. Throws CompactedError if fromRevision is compacted.
   * Delivery may be synchronous (SQLite, watch cache): history during the watch() call itself, live
   * events before the write that caused them resolves. Events arrive in revision order, exactly once.
   */
  watch(prefix: string, opts: WatchOptions): WatchHandle;
  /** Drops history at or below revision (the latest value of each live key is always kept). */
  compact(revision: Revision): Promise<void>;
  /** The highest compacted revision (0 if never compacted). */
  compactedRevision(): Promise<Revision>;
  close(): Promise<void>;
}

/** Internal storage errors: stable `code`, mapped to Status errors by the API server. */
export class StorageError extends Error {
  constructor(
    readonly code: 'KeyExists' | 'KeyNotFound' | 'RevisionMismatch' | 'Compacted' | 'Closed',
    message: string,
    readonly key?: string,
    readonly revision?: Revision,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'StorageError';
  }
}
export const keyExists = (key: string) => new StorageError('KeyExists', `key exists: ${key}`, key);
export const keyNotFound = (key: string) => new StorageError('KeyNotFound', `key not found: ${key}`, key);
export const revisionMismatch = (key: string, actual: Revision) =>
  new StorageError('RevisionMismatch', `revision mismatch for ${key} (current ${actual})`, key, actual);
/** `requested` is the revision asked for; `compacted` is the current compaction point. */
export const compacted = (requested: Revision, compactedAt: Revision) =>
  new StorageError('Compacted', `too old resource version: ${requested} (${compactedAt})`, undefined, compactedAt);
