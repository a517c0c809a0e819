// The one generic store (upstream registry/generic/registry/store.go): keys, conversion, and the
// create / update / delete semantics every resource type shares — system metadata, generation bumps,
// status/spec separation, optimistic concurrency with internal retries, finalizers, graceful
// deletion, dry run. Type-specific behaviour comes from the ResourceType hooks, never from here.
import { randomUUID } from 'node:crypto';
import type { ManagedFieldsEntry } from 'kubernetes-types/meta/v1.js';
import type { Storage, KeyValue } from '../storage/interface.js';
import { StorageError } from '../storage/interface.js';
import { storageKey, type ResourceType } from '../api/resource-type.js';
import type { Registry } from '../api/registry.js';
import { deepCopy, isPlainObject, type KubeObject } from '../machinery/object.js';
import { alreadyExists, conflict, invalid, notFound, OBJECT_MODIFIED } from '../machinery/errors.js';
import { required, type FieldError } from '../machinery/field-errors.js';
import { rfc3339 } from '../machinery/time.js';
import { decodeKV, encodeObject, withResourceVersion } from './codec.js';
import { checkNamespaceForCreate } from './namespace-lifecycle.js';
import { metaOf, ref, usesGeneration, specChanged, sameIgnoringVolatile } from './store-util.js';

export interface StoreContext {
  storage: Storage;
  registry: Registry;
  now(): Date;
  /** Hooks run on create/update of specific types (service IPs, namespaces): may mutate obj or throw. */
  beforeCreate?(rt: ResourceType, obj: KubeObject, dryRun: boolean): Promise<void>;
  beforeUpdate?(rt: ResourceType, obj: KubeObject, old: KubeObject): Promise<void>;
}

export interface WriteOptions {
  dryRun: boolean;
  /** Sets managedFields: on create with the object as decoded and defaulted, on update with the prepared object and old. */
  manage?(obj: KubeObject, old: KubeObject | undefined): KubeObject;
}

const MAX_RETRIES = 16;
const SUFFIX_ALPHABET = 'bcdfghjklmnpqrstvwxz2456789';

export function randomSuffix(n = 5): string {
  let s = '';
  for (let i = 0; i < n; i++) s += SUFFIX_ALPHABET[Math.floor(Math.random() * SUFFIX_ALPHABET.length)];
  return s;
}

export class GenericStore {
  constructor(
    readonly rt: ResourceType,
    readonly ctx: StoreContext,
  ) {}

  key(ns: string, name: string): string {
    return storageKey(this.rt, this.rt.namespaced ? ns : undefined, name);
  }

  async getKV(ns: string, name: string): Promise<KeyValue | undefined> {
    return this.ctx.storage.get(this.key(ns, name));
  }

  async get(ns: string, name: string): Promise<KubeObject> {
    const kv = await this.getKV(ns, name);
    if (!kv) throw notFound(ref(this.rt), name);
    return decodeKV(this.rt, kv);
  }

  private validateCreate(obj: KubeObject): void {
    const errs: FieldError[] = [];
    const md = obj.metadata ?? {};
    if (!md.name && !md.generateName) errs.push(required('metadata.name', 'name or generateName is required'));
    if (this.rt.validate) errs.push(...this.rt.validate(obj));
    if (errs.length) throw invalid(this.rt.kind, this.rt.group, md.name ?? md.generateName ?? '', dedupe(errs));
  }

  private validateUpdate(obj: KubeObject, old: KubeObject): void {
    // Upstream's ValidateXUpdate already includes the create rules, so it runs instead of validate().
    const errs: FieldError[] = this.rt.validateUpdate ? this.rt.validateUpdate(obj, old) : (this.rt.validate?.(obj) ?? []);
    if (errs.length) throw invalid(this.rt.kind, this.rt.group, obj.metadata?.name ?? '', dedupe(errs));
  }

  /** POST: fills system metadata, defaults, validates, checks the namespace, stores. */
  async create(ns: string, input: KubeObject, opts: WriteOptions): Promise<KubeObject> {
    const obj = deepCopy(input);
    const md = metaOf(obj);
    if (this.rt.namespaced) md.namespace = ns;
    else delete md.namespace;
    const now = this.ctx.now();
    if (!md.name && md.generateName) md.name = md.generateName + randomSuffix();
    md.uid = randomUUID();
    md.creationTimestamp = rfc3339(now);
    delete md.resourceVersion;
    delete md.deletionTimestamp;
    delete md.deletionGracePeriodSeconds;
    delete md.selfLink;
    if (usesGeneration(this.rt)) md.generation = 1;
    else delete md.generation;
    this.rt.defaults?.(obj);
    const managedFields = this.createManagedFields(obj, opts);
    if (this.rt.hasStatus && this.rt.prepareForCreate === undefined) delete obj.status;
    this.rt.prepareForCreate?.(obj);
    this.validateCreate(obj);
    if (this.rt.namespaced) await checkNamespaceForCreate(this.ctx, ns, ref(this.rt), md.name ?? '');
    await this.ctx.beforeCreate?.(this.rt, obj, opts.dryRun);
    if (managedFields) md.managedFields = managedFields;
    let out = obj;
    const generated = !input.metadata?.name && !!md.generateName;
    if (opts.dryRun) {
      if (await this.ctx.storage.get(this.key(ns, md.name!))) throw alreadyExists(ref(this.rt), md.name!);
      return withResourceVersion(out, undefined);
    }
    // A generated name that collides is regenerated (upstream RetryGenerateName, on by default in 1.31).
    for (let attempt = 0; ; attempt++) {
      const name = out.metadata!.name!;
      try {
        const kv = await this.ctx.storage.create(this.key(ns, name), encodeObject(this.rt, out));
        return withResourceVersion(out, String(kv.modRevision));
      } catch (e) {
        if (!(e instanceof StorageError && e.code === 'KeyExists')) throw e;
        if (!generated || attempt >= 7) throw alreadyExists(ref(this.rt), name);
        out = { ...out, metadata: { ...out.metadata, name: md.generateName + randomSuffix() } };
      }
    }
  }

  /**
   * managedFields of a new object. Upstream records the creator's fields from the object as decoded and
   * defaulted, before the strategy and admission add theirs (a Job's generated selector and labels, a
   * Pod's service-account volume and tolerations, a Service's cluster IP) and without the status the
   * strategy resets: those belong to no manager, so a later server-side apply that takes over the
   * client-side apply's fields does not remove them.
   */
  private createManagedFields(obj: KubeObject, opts: WriteOptions): ManagedFieldsEntry[] | undefined {
    if (!opts.manage) return undefined;
    const copy = deepCopy(obj);
    if (this.rt.hasStatus) delete copy.status;
    return opts.manage(copy, undefined).metadata?.managedFields;
  }

  /**
   * The update loop (upstream GuaranteedUpdate): read, let `tryUpdate` compute the new object from the
   * current one, finish it (system fields, generation, validation) and write if the revision still
   * matches; on a storage conflict read again and retry. `tryUpdate` throws 409 itself when the caller's
   * resourceVersion precondition is stale. When the object is absent, `onMissing` may create it.
   */
  async update(
    ns: string,
    name: string,
    tryUpdate: (current: KubeObject) => Promise<KubeObject> | KubeObject,
    opts: WriteOptions & { subresource?: string; onMissing?: () => Promise<KubeObject> },
  ): Promise<{ object: KubeObject; created: boolean }> {
    const key = this.key(ns, name);
    for (let attempt = 0; ; attempt++) {
      const kv = await this.ctx.storage.get(key);
      if (!kv) {
        if (opts.onMissing) return { object: await opts.onMissing(), created: true };
        throw notFound(ref(this.rt), name);
      }
      const old = decodeKV(this.rt, kv);
      const proposed = await tryUpdate(deepCopy(old));
      const next = await this.prepareUpdate(proposed, old, opts);
      if (sameIgnoringVolatile(next, old)) return { object: old, created: false };
      if (opts.dryRun) return { object: next, created: false };
      try {
        if (shouldDeleteAfterUpdate(this.rt, next)) {
          const del = await this.ctx.storage.delete(key, kv.modRevision);
          return { object: withResourceVersion(next, String(del.modRevision)), created: false };
        }
        const written = await this.ctx.storage.update(key, encodeObject(this.rt, next), kv.modRevision);
        return { object: withResourceVersion(next, String(written.modRevision)), created: false };
      } catch (e) {
        if (e instanceof StorageError && (e.code === 'RevisionMismatch' || e.code === 'KeyNotFound') && attempt < MAX_RETRIES) continue;
        if (e instanceof StorageError && e.code === 'RevisionMismatch') throw conflict(ref(this.rt), name, OBJECT_MODIFIED);
        throw e;
      }
    }
  }

  /** Carries over what clients may not change and applies the strategy hooks and validation. */
  private async prepareUpdate(proposed: KubeObject, old: KubeObject, opts: WriteOptions & { subresource?: string }): Promise<KubeObject> {
    let obj: KubeObject;
    if (opts.subresource === 'status') {
      // Status writes change only status (upstream status strategies reset spec and metadata).
      obj = deepCopy(old);
      if (proposed.status === undefined) delete obj.status;
      else obj.status = deepCopy(proposed.status);
    } else {
      obj = deepCopy(proposed);
      // A binding writes spec.nodeName and the PodScheduled condition together (upstream assignPod).
      if (this.rt.hasStatus && opts.subresource !== 'binding') {
        if (old.status === undefined) delete obj.status;
        else obj.status = deepCopy(old.status);
      }
    }
    const md = metaOf(obj);
    const om = old.metadata ?? {};
    md.name = om.name;
    if (this.rt.namespaced) md.namespace = om.namespace;
    else delete md.namespace;
    md.uid = om.uid;
    md.creationTimestamp = om.creationTimestamp;
    if (om.deletionTimestamp) md.deletionTimestamp = om.deletionTimestamp;
    else delete md.deletionTimestamp;
    if (om.deletionGracePeriodSeconds !== undefined) md.deletionGracePeriodSeconds = om.deletionGracePeriodSeconds;
    else delete md.deletionGracePeriodSeconds;
    if (om.generation !== undefined) md.generation = om.generation;
    else delete md.generation;
    md.resourceVersion = om.resourceVersion;
    if (md.generateName === undefined && om.generateName !== undefined) md.generateName = om.generateName;
    if (opts.subresource !== 'status') this.rt.defaults?.(obj);
    this.rt.prepareForUpdate?.(obj, old);
    if (md.generation !== undefined && specChanged(this.rt, obj, old)) md.generation = (om.generation ?? 0) + 1;
    await this.ctx.beforeUpdate?.(this.rt, obj, old);
    // A binding is a system write of spec.nodeName (upstream assigns it in storage, bypassing pod
    // update validation, whose immutability rules would refuse it).
    if (opts.subresource !== 'binding') this.validateUpdate(obj, old);
    return opts.manage ? opts.manage(obj, old) : obj;
  }
}

/** An object being deleted whose finalizers are all gone is removed by the write that cleared them. */
function shouldDeleteAfterUpdate(rt: ResourceType, obj: KubeObject): boolean {
  const md = obj.metadata ?? {};
  if (!md.deletionTimestamp) return false;
  if ((md.finalizers ?? []).length > 0) return false;
  if ((rt.extraFinalizers?.(obj) ?? []).length > 0) return false;
  return (md.deletionGracePeriodSeconds ?? 0) === 0;
}

function dedupe(errs: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errs.filter((e) => {
    const k = `${e.type}|${e.field}|${e.detail ?? ''}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

