// Strategy hooks for the core/v1 types other than Pod: defaults, create-time status, tables and
// field selectors, grouped per type so core.ts stays a readable list of discovery facts.
import type { Service } from 'kubernetes-types/core/v1.js';
import { selectorFromSet } from '../../machinery/labels.js';
import type { KubeObject } from '../../machinery/object.js';
import type { ResourceSpec } from './define.js';

/**
 * Hook for Service IP/port allocation (upstream does it in the service REST, not in defaulting).
 * Called from prepareForCreate (old undefined) and prepareForUpdate, after defaults.
 */
export type ServiceAllocator = (svc: Service, old?: Service) => void;

type Hooks = Partial<ResourceSpec>;

export function coreHooks(_allocate?: ServiceAllocator): Record<string, Hooks> {
  return {
    replicationController: {
      scale: {
        specReplicasPath: ['spec', 'replicas'],
        statusReplicasPath: ['status', 'replicas'],
        // RC selectors are plain maps.
        selector: (obj: KubeObject) => selectorFromSet((obj.spec as { selector?: Record<string, string> } | undefined)?.selector).toString(),
      },
    },
  };
}
