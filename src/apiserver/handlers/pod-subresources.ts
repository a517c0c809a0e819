// pods/binding (the scheduler's bind: sets spec.nodeName once, 409 when already bound) and
// pods/eviction (kubectl drain), which honours PodDisruptionBudgets and lives in eviction.ts.
import { badRequest, conflict } from '../../machinery/errors.js';
import { isPlainObject } from '../../machinery/object.js';
import { writeJson } from '../response.js';
import type { HandlerContext } from './context.js';
import { readObject } from './write.js';
import { writeOptions } from './write-support.js';

type Condition = { type?: unknown; status?: unknown; lastProbeTime?: unknown; lastTransitionTime?: unknown };

const SUCCESS = { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 };

export async function handleBinding(ctx: HandlerContext): Promise<void> {
  const binding = await readObject(ctx, { group: '', version: 'v1', kind: 'Binding' });
  const target = isPlainObject(binding.target) ? binding.target : {};
  const node = typeof target.name === 'string' ? target.name : '';
  if (!node) throw badRequest('Binding target name is required');
  const opts = writeOptions(ctx);
  await ctx.store.update(
    ctx.info.namespace,
    ctx.info.name,
    (pod) => {
      const spec = isPlainObject(pod.spec) ? pod.spec : {};
      if (pod.metadata?.deletionTimestamp) throw conflict({ group: '', resource: 'pods/binding' }, ctx.info.name, `pod ${ctx.info.name} is being deleted, cannot be assigned to a host`);
      if (spec.nodeName) throw conflict({ group: '', resource: 'pods/binding' }, ctx.info.name, `pod ${ctx.info.name} is already assigned to node "${String(spec.nodeName)}"`);
      pod.spec = { ...spec, nodeName: node };
      // Upstream assignPod sets PodScheduled=True in the same write (UpdatePodCondition: the scheduler's
      // earlier Unschedulable reason and message go; the transition time moves when the status flips).
      const status = isPlainObject(pod.status) ? pod.status : {};
      const conds = (Array.isArray(status.conditions) ? status.conditions : []) as Condition[];
      const prev = conds.find((c) => c.type === 'PodScheduled');
      const now = ctx.now().toISOString().replace(/\.\d+Z$/, 'Z');
      const scheduled: Condition = { type: 'PodScheduled', status: 'True', lastProbeTime: null, lastTransitionTime: prev?.status === 'True' ? prev.lastTransitionTime : now };
      pod.status = { ...status, conditions: prev ? conds.map((c) => (c === prev ? scheduled : c)) : [...conds, scheduled] };
      const ann = binding.metadata?.annotations;
      if (ann && Object.keys(ann).length) pod.metadata = { ...(pod.metadata ?? {}), annotations: { ...(pod.metadata?.annotations ?? {}), ...ann } };
      return pod;
    },
    { ...opts, subresource: 'binding' },
  );
  writeJson(ctx.res, 201, SUCCESS);
}

// pods/eviction honours PodDisruptionBudgets; it lives in eviction.ts.
export { handleEviction } from './eviction.js';
