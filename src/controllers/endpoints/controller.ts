// The Endpoints controller (upstream pkg/controller/endpoint/endpoints_controller.go): every Service
// with a selector gets a core/v1 Endpoints object of the same name listing its pods' addresses —
// ready ones under addresses, the rest under notReadyAddresses — on the ports each pod resolves.
// Services without a selector (and ExternalName ones) are left to their users. Pod and Service changes
// enqueue the Services concerned; syncService computes the subsets and writes only on change.
import type { Endpoints, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { SharedInformer } from '../../client/informer.js';
import { NAMESPACE_INDEX, metaNamespaceKey, splitMetaNamespaceKey } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { selectorFromSet } from '../../machinery/labels.js';
import { done, failed, type Result, type RunningController } from '../runner.js';
import { runWhenSynced, type ControllerContext } from '../shared/context.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { buildSubsets, isHeadless, truncateSubsets } from './subsets.js';
import { rfc3339Nano, TriggerTimeTracker } from './trigger-time.js';

const ENDPOINTS = { group: '', version: 'v1', resource: 'endpoints' } as const;
export const HEADLESS_LABEL = 'service.kubernetes.io/headless';
export const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';
export const OVER_CAPACITY_ANNOTATION = 'endpoints.kubernetes.io/over-capacity';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sortedEntries = (o: Record<string, string> | undefined) => Object.entries(o ?? {}).sort(([a], [b]) => a.localeCompare(b));

export class EndpointsController {
  readonly queue = new WorkQueue();
  private readonly services: SharedInformer<Service>;
  private readonly pods: SharedInformer<Pod>;
  private readonly endpoints: SharedInformer<Endpoints>;
  private readonly tracker = new TriggerTimeTracker();
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.for<Service>({ group: '', version: 'v1', resource: 'services' });
    this.pods = ctx.informers.for<Pod>({ group: '', version: 'v1', resource: 'pods' });
    this.endpoints = ctx.informers.for<Endpoints>(ENDPOINTS);
    this.recorder = ctx.recorder('endpoint-controller');
    const enqueue = (o: Service | Endpoints) => this.queue.add(metaNamespaceKey(o));
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    // A deleted Endpoints of a live Service is put back.
    this.endpoints.addEventHandler({ onDelete: enqueue });
    this.pods.addEventHandler({
      onAdd: (p) => this.servicesFor(p).forEach(enqueue),
      onUpdate: (o, n) => {
        if (o.metadata?.resourceVersion === n.metadata?.resourceVersion) return;
        const svcs = new Set([...this.servicesFor(n), ...(same(o.metadata?.labels, n.metadata?.labels) ? [] : this.servicesFor(o))]);
        svcs.forEach(enqueue);
      },
      onDelete: (p) => this.servicesFor(p).forEach(enqueue),
    });
  }

  /** Services in the pod's namespace whose selector matches its labels (upstream GetPodServiceMemberships). */
  private servicesFor(pod: Pod): Service[] {
    return this.services.store.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '').filter((s) => {
      const sel = s.spec?.selector;
      return !!sel && selectorFromSet(sel).matches(pod.metadata?.labels);
    });
  }

  async syncService(key: string): Promise<Result> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const svc = this.services.store.get(key);
    if (!svc) {
      this.tracker.delete(key);
      // The Service is gone: so is its Endpoints (the garbage collector would not: there is no owner ref).
      if (!this.endpoints.store.get(key)) return done;
      try {
        await this.ctx.client.delete({ ...ENDPOINTS, namespace, name });
      } catch (e) {
        if (!(isStatusError(e) && e.code === 404)) return failed(e);
      }
      return done;
    }
    if (svc.spec?.type === 'ExternalName') return done;
    // Without a selector the Endpoints belong to the user (e.g. an external database).
    if (!svc.spec?.selector) return done;
    const sel = selectorFromSet(svc.spec.selector);
    const pods = this.pods.store.byIndex(NAMESPACE_INDEX, namespace).filter((p) => sel.matches(p.metadata?.labels));
    const triggerTime = this.tracker.compute(key, svc, pods);
    const { subsets, truncated } = truncateSubsets(buildSubsets(svc, pods));

    const current = this.endpoints.store.get(key);
    const currentLabels = { ...(current?.metadata?.labels ?? {}) };
    delete currentLabels[HEADLESS_LABEL];
    const overCapacityOk = (current?.metadata?.annotations?.[OVER_CAPACITY_ANNOTATION] === 'truncated') === truncated;
    if (current && same(current.subsets ?? [], subsets) && same(sortedEntries(currentLabels), sortedEntries(svc.metadata?.labels)) && overCapacityOk) return done;

    const annotations: Record<string, string> = { ...(current?.metadata?.annotations ?? {}) };
    if (triggerTime) annotations[TRIGGER_TIME_ANNOTATION] = rfc3339Nano(triggerTime);
    else delete annotations[TRIGGER_TIME_ANNOTATION];
    if (truncated) annotations[OVER_CAPACITY_ANNOTATION] = 'truncated';
    else delete annotations[OVER_CAPACITY_ANNOTATION];
    const labels: Record<string, string> = { ...(svc.metadata?.labels ?? {}) };
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    const next: Endpoints = {
      apiVersion: 'v1',
      kind: 'Endpoints',
      metadata: { ...(current?.metadata ?? {}), name, namespace, labels, annotations },
      subsets,
    };
    if (!subsets.length) delete next.subsets;
    const svcRef = { ...svc, apiVersion: 'v1', kind: 'Service' };
    try {
      if (current) await this.ctx.client.update<Endpoints>({ ...ENDPOINTS, namespace, name }, next);
      else await this.ctx.client.create<Endpoints>({ ...ENDPOINTS, namespace }, next);
    } catch (e) {
      // Terminating namespace: nothing to publish there any more.
      if (isStatusError(e) && e.code === 403 && /being terminated/.test(e.message)) return done;
      const msg = e instanceof Error ? e.message : String(e);
      if (!(isStatusError(e) && e.code === 409)) {
        this.recorder.event(svcRef, 'Warning', current ? 'FailedToUpdateEndpoint' : 'FailedToCreateEndpoint', `Failed to ${current ? 'update' : 'create'} endpoint ${namespace}/${name}: ${msg}`);
      }
      return failed(e);
    }
    return done;
  }

  run(): RunningController {
    return runWhenSynced(this.ctx, { name: 'endpoint-controller', queue: this.queue, workers: 5, reconcile: (k) => this.syncService(k) });
  }
}

export function startEndpointsController(ctx: ControllerContext): RunningController {
  return new EndpointsController(ctx).run();
}
