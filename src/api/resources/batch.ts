// batch/v1: jobs and cronjobs.
import type { ResourceType } from '../resource-type.js';
import { defineResource, gvk, statusSub } from './define.js';
import { batchHooks } from './batch-strategy.js';

const G = 'batch';
const V = 'v1';

export function batchResources(): ResourceType[] {
  return [
    defineResource({
      group: G, version: V, kind: 'CronJob', plural: 'cronjobs', namespaced: true, shortNames: ['cj'], categories: ['all'],
      subresources: [statusSub(gvk(G, V, 'CronJob'))], ...batchHooks.cronJob,
    }),
    defineResource({
      group: G, version: V, kind: 'Job', plural: 'jobs', namespaced: true, categories: ['all'],
      subresources: [statusSub(gvk(G, V, 'Job'))], ...batchHooks.job,
    }),
  ];
}
