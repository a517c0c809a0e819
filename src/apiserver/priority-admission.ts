// Priority admission for new pods (upstream plugin/pkg/admission/priority/admission.go): resolves
// spec.priorityClassName to spec.priority and spec.preemptionPolicy from the PriorityClass; with no
// class name the globalDefault class applies (its name is written into the pod) or priority 0. The two
// system classes resolve even though Skiff does not store them as objects. An unknown class, or a
// priority/preemptionPolicy in the pod that differs from the class, is 403 Forbidden as upstream.
// The strategy (api/resources/core-pod.ts addPriority) already defaulted priority 0 and
// PreemptLowerPriority for the no-class case; this runs after it, where storage can be read.
import type { PriorityClass } from 'kubernetes-types/scheduling/v1.js';
import type { PodSpec } from 'kubernetes-types/core/v1.js';
import { forbidden, isStatusError } from '../machinery/errors.js';
import type { KubeObject } from '../machinery/object.js';
import { storageKey, storagePrefix } from '../api/resource-type.js';
import type { GenericStore, StoreContext } from './generic-store.js';

export const SYSTEM_PRIORITY_CLASSES: Record<string, number> = { 'system-node-critical': 2000001000, 'system-cluster-critical': 2000000000 };

function priorityClassType(ctx: StoreContext) {
  return ctx.registry.get('scheduling.k8s.io', 'v1', 'priorityclasses');
}

async function getClass(ctx: StoreContext, name: string): Promise<PriorityClass | undefined> {
  const rt = priorityClassType(ctx);
  if (!rt) return undefined;
  // A one-key list: the watch cache answers it from memory (upstream's admission reads an informer).
  const key = storageKey(rt, undefined, name);
  const kv = (await ctx.storage.list(key, { limit: 1 })).items[0];
  return kv && kv.key === key ? (JSON.parse(kv.value) as PriorityClass) : undefined;
}

/** Upstream getDefaultPriorityClass: the globalDefault class with the lowest value, if any. */
async function defaultClass(ctx: StoreContext): Promise<PriorityClass | undefined> {
  const rt = priorityClassType(ctx);
  if (!rt) return undefined;
  let best: PriorityClass | undefined;
  for (const kv of (await ctx.storage.list(storagePrefix(rt))).items) {
    if (!kv.value.includes('"globalDefault":true')) continue;
    const pc = JSON.parse(kv.value) as PriorityClass;
    if (pc.globalDefault && (!best || pc.value < best.value)) best = pc;
  }
  return best;
}

/** `pods "<name>" is forbidden: <why>`; a generated name is reported as its generateName, as upstream admits before naming. */
function podForbidden(obj: KubeObject, why: string): Error {
  const md = obj.metadata ?? {};
  const gen = md.generateName;
  const name = gen && md.name?.startsWith(gen) && md.name.length === gen.length + 5 ? gen : (md.name ?? '');
  return forbidden(`pods "${name}" is forbidden: ${why}`);
}

export async function admitPodPriority(ctx: StoreContext, obj: KubeObject): Promise<void> {
  const spec = obj.spec as PodSpec | undefined;
  if (!spec) return;
  let name = spec.priorityClassName ?? '';
  let value: number;
  let policy: string | undefined;
  // Whether spec.priority/preemptionPolicy came from the no-class defaults rather than the client.
  let defaulted = false;
  if (!name) {
    const pc = await defaultClass(ctx);
    if (!pc) return; // the strategy's priority 0 / PreemptLowerPriority stand
    name = pc.metadata?.name ?? '';
    value = pc.value;
    policy = pc.preemptionPolicy ?? 'PreemptLowerPriority';
    spec.priorityClassName = name;
    defaulted = true;
  } else {
    const pc = await getClass(ctx, name);
    if (pc) {
      value = pc.value;
      policy = pc.preemptionPolicy;
    } else if (name in SYSTEM_PRIORITY_CLASSES) {
      value = SYSTEM_PRIORITY_CLASSES[name]!;
      policy = 'PreemptLowerPriority';
    } else {
      throw podForbidden(obj, `no PriorityClass with name ${name} was found`);
    }
  }
  // The strategy wrote 0 for a pod without a class; only a client's own value can conflict.
  const given = defaulted && spec.priority === 0 ? undefined : spec.priority;
  if (given !== undefined && given !== null && given !== value) {
    throw podForbidden(obj, `the integer value of priority (${given}) must not be provided in pod spec; priority admission controller computed ${value} from the given PriorityClass name`);
  }
  spec.priority = value;
  if (policy) {
    const givenPolicy = defaulted ? undefined : spec.preemptionPolicy;
    if (givenPolicy && givenPolicy !== policy) {
      throw podForbidden(obj, `the string value of PreemptionPolicy (${givenPolicy}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`);
    }
    spec.preemptionPolicy = policy;
  }
}

const SYSTEM_DESCRIPTIONS: Record<string, string> = {
  'system-node-critical': 'Used for system critical pods that must not be moved from their current node.',
  'system-cluster-critical': 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
};

/** Upstream's post-start hook scheduling/bootstrap-system-priority-classes: the two system classes exist as objects. */
export async function bootstrapSystemPriorityClasses(store: GenericStore): Promise<void> {
  for (const [name, value] of Object.entries(SYSTEM_PRIORITY_CLASSES)) {
    try {
      await store.get('', name);
      continue;
    } catch (e) {
      if (!isStatusError(e) || e.code !== 404) throw e;
    }
    const pc: KubeObject = { apiVersion: 'scheduling.k8s.io/v1', kind: 'PriorityClass', metadata: { name }, value, description: SYSTEM_DESCRIPTIONS[name], preemptionPolicy: 'PreemptLowerPriority' };
    await store.create('', pc, { dryRun: false }).catch((e: unknown) => {
      if (!isStatusError(e) || e.code !== 409) throw e;
    });
  }
}
