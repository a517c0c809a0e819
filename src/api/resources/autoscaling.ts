// autoscaling/v2 and autoscaling/v1 HorizontalPodAutoscalers: v2 is registered first (preferred);
// both share one storage holding the v2 form, v1 converts on the way in and out.
import type { ResourceType } from '../resource-type.js';
import { defineResource, gvk, statusSub } from './define.js';
import { hpaHooksV1, hpaHooksV2 } from './autoscaling-strategy.js';

const G = 'autoscaling';
const STORAGE = { group: G, resource: 'horizontalpodautoscalers' };

export function autoscalingResources(): ResourceType[] {
  const common = {
    group: G, kind: 'HorizontalPodAutoscaler', plural: 'horizontalpodautoscalers', namespaced: true,
    shortNames: ['hpa'], categories: ['all'], storage: STORAGE, storageVersion: 'v2',
  };
  return [
    defineResource({ ...common, version: 'v2', subresources: [statusSub(gvk(G, 'v2', 'HorizontalPodAutoscaler'))], ...hpaHooksV2 }),
    defineResource({ ...common, version: 'v1', subresources: [statusSub(gvk(G, 'v1', 'HorizontalPodAutoscaler'))], ...hpaHooksV1 }),
  ];
}
