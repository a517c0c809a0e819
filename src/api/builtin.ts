// The registry of every built-in resource type Skiff serves. Groups are registered in upstream's
// /apis order (kube-apiserver's group priority), resources within a group version alphabetically as
// upstream's discovery lists them; within autoscaling, v2 comes before v1 (preferred).
import { Registry } from './registry.js';
import type { ResourceType } from './resource-type.js';
import { coreResources } from './resources/core.js';
import type { ServiceAllocator } from './resources/core-strategy.js';
import { appsResources } from './resources/apps.js';
import { batchResources } from './resources/batch.js';
import { autoscalingResources } from './resources/autoscaling.js';
import { eventsResources } from './resources/events.js';
import { networkingResources } from './resources/networking.js';
import {
  coordinationResources,
  discoveryResources,
  policyResources,
  rbacResources,
  schedulingResources,
  storageResources,
} from './resources/small-groups.js';

export type { ServiceAllocator } from './resources/core-strategy.js';

export interface BuiltinOptions {
  /** Assigns spec.clusterIP(s) / nodePorts for Services (the API server's allocator); none → left unset. */
  allocateService?: ServiceAllocator;
}

export function builtinResources(opts: BuiltinOptions = {}): ResourceType[] {
  return [
    ...coreResources({ allocateService: opts.allocateService }),
    ...appsResources(),
    ...eventsResources(),
    ...autoscalingResources(),
    ...batchResources(),
    ...networkingResources(),
    ...policyResources(),
    ...rbacResources(),
    ...storageResources(),
    ...schedulingResources(),
    ...coordinationResources(),
    ...discoveryResources(),
  ];
}

export function builtinRegistry(opts: BuiltinOptions = {}): Registry {
  const r = new Registry();
  for (const rt of builtinResources(opts)) r.register(rt);
  return r;
}
