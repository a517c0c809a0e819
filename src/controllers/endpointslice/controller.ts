// The EndpointSlice controller (upstream pkg/controller/endpointslice/endpointslice_controller.go):
// every Service with a selector gets discovery.k8s.io/v1 EndpointSlices named `<service>-<random>`,
// labelled kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by, owned by the
// Service (so the garbage collector removes them with it). Pod, Service, Node (zone) and slice changes
// enqueue the Services concerned; syncService plans creates/updates/deletes in slice-plan.ts.
import type { Node, Pod, Service } from 'kubernetes-types/core/v1.js';
import type { Endpoint, EndpointPort, EndpointSlice } from 'kubernetes-types/discovery/v1.js';
import type { SharedInformer } from '../../client/informer.js';
import { NAMESPACE_INDEX, metaNamespaceKey, splitMetaNamespaceKey } from '../../client/store.js';
import { WorkQueue } from '../../client/workqueue.js';
import { isStatusError } from '../../machinery/errors.js';
import { selectorFromSet } from '../../machinery/labels.js';
import { isHeadless } from '../endpoints/subsets.js';
import { rfc3339Nano, TriggerTimeTracker } from '../endpoints/trigger-time.js';
import { done, failed, type Result, type RunningController } from '../runner.js';
import { runWhenSynced, type ControllerContext } from '../shared/context.js';
import type { EventRecorder } from '../../client/event-recorder.js';
import { addressTypeOf, desiredEndpoints, planSlices } from './slice-plan.js';

const SLICES = { group: 'discovery.k8s.io', version: 'v1', resource: 'endpointslices' } as const;
export const SERVICE_NAME_LABEL = 'kubernetes.io/service-name';
export const MANAGED_BY_LABEL = 'endpointslice.kubernetes.io/managed-by';
export const CONTROLLER_NAME = 'endpointslice-controller.k8s.io';
const HEADLESS_LABEL = 'service.kubernetes.io/headless';
const TRIGGER_TIME_ANNOTATION = 'endpoints.kubernetes.io/last-change-trigger-time';

const same = (a: unknown, b: unknown) => JSON.stringify(a ?? null) === JSON.stringify(b ?? null);
const sortedObj = (o: Record<string, string>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

export class EndpointSliceController {
  readonly queue = new WorkQueue();
  private readonly services: SharedInformer<Service>;
  private readonly pods: SharedInformer<Pod>;
  private readonly nodes: SharedInformer<Node>;
  private readonly slices: SharedInformer<EndpointSlice>;
  private readonly tracker = new TriggerTimeTracker();
  /**
   * Slices we created that the informer may not show yet, by Service key (upstream's
   * endpointSliceTracker): without them a quick second sync would create the same endpoints again.
   */
  private readonly created = new Map<string, EndpointSlice[]>();
  private readonly recorder: EventRecorder;

  constructor(private readonly ctx: ControllerContext) {
    this.services = ctx.informers.for<Service>({ group: '', version: 'v1', resource: 'services' });
    this.pods = ctx.informers.for<Pod>({ group: '', version: 'v1', resource: 'pods' });
    this.nodes = ctx.informers.for<Node>({ group: '', version: 'v1', resource: 'nodes' });
    this.slices = ctx.informers.for<EndpointSlice>(SLICES);
    this.recorder = ctx.recorder('endpoint-slice-controller');
    const enqueue = (o: Service) => this.queue.add(metaNamespaceKey(o));
    this.services.addEventHandler({ onAdd: enqueue, onUpdate: (_o, n) => enqueue(n), onDelete: enqueue });
    const sliceChanged = (s: EndpointSlice) => {
      const svc = s.metadata?.labels?.[SERVICE_NAME_LABEL];
      if (svc && s.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME) this.queue.add(`${s.metadata?.namespace}/${svc}`);
    };
    // Someone else editing or deleting our slices is undone.
    this.slices.addEventHandler({ onUpdate: (_o, n) => sliceChanged(n), onDelete: sliceChanged });
    this.pods.addEventHandler({
      onAdd: (p) => this.servicesFor(p).forEach(enqueue),
      onUpdate: (o, n) => {
        if (o.metadata?.resourceVersion === n.metadata?.resourceVersion) return;
        new Set([...this.servicesFor(n), ...(same(o.metadata?.labels, n.metadata?.labels) ? [] : this.servicesFor(o))]).forEach(enqueue);
      },
      onDelete: (p) => this.servicesFor(p).forEach(enqueue),
    });
    // A node's zone is copied into its endpoints.
    this.nodes.addEventHandler({
      onUpdate: (o, n) => {
        if (o.metadata?.labels?.['topology.kubernetes.io/zone'] === n.metadata?.labels?.['topology.kubernetes.io/zone']) return;
        for (const p of this.pods.store.byIndex('nodeName', n.metadata?.name ?? '')) this.servicesFor(p).forEach(enqueue);
      },
    });
  }

  private servicesFor(pod: Pod): Service[] {
    return this.services.store.byIndex(NAMESPACE_INDEX, pod.metadata?.namespace ?? '').filter((s) => {
      const sel = s.spec?.selector;
      return !!sel && selectorFromSet(sel).matches(pod.metadata?.labels);
    });
  }

  private slicesOf(namespace: string, name: string): EndpointSlice[] {
    const listed = this.slices.store
      .byIndex(NAMESPACE_INDEX, namespace)
      .filter((s) => s.metadata?.labels?.[SERVICE_NAME_LABEL] === name && s.metadata?.labels?.[MANAGED_BY_LABEL] === CONTROLLER_NAME && !s.metadata?.deletionTimestamp);
    const key = `${namespace}/${name}`;
    const seen = new Set(listed.map((s) => s.metadata?.name));
    const pending = (this.created.get(key) ?? []).filter((s) => !seen.has(s.metadata?.name));
    if (pending.length) this.created.set(key, pending);
    else this.created.delete(key);
    return [...listed, ...pending];
  }

  async syncService(key: string): Promise<Result> {
    const { namespace, name } = splitMetaNamespaceKey(key);
    const svc = this.services.store.get(key);
    // Gone (the garbage collector removes owned slices; we only forget) or not ours to manage.
    if (!svc || svc.spec?.type === 'ExternalName' || !svc.spec?.selector) {
      this.tracker.delete(key);
      this.created.delete(key);
      return done;
    }
    const sel = selectorFromSet(svc.spec.selector);
    const pods = this.pods.store.byIndex(NAMESPACE_INDEX, namespace).filter((p) => sel.matches(p.metadata?.labels));
    const trigger = this.tracker.compute(key, svc, pods);
    const addressType = addressTypeOf(svc);
    const existing = this.slicesOf(namespace, name);
    // Slices of another address family (the Service changed family) are replaced.
    const stale = existing.filter((s) => s.addressType !== addressType);
    const labels = this.labelsFor(svc);
    const owner = { apiVersion: 'v1', kind: 'Service', name, uid: svc.metadata?.uid ?? '', controller: true, blockOwnerDeletion: true };
    const metaStale = (s: EndpointSlice) => !same(sortedObj({ ...(s.metadata?.labels ?? {}) }), sortedObj(labels)) || !s.metadata?.ownerReferences?.some((r) => r.uid === owner.uid);
    const plan = planSlices(
      existing.filter((s) => s.addressType === addressType),
      desiredEndpoints(svc, pods, (n) => this.nodes.store.get(n)),
      metaStale,
    );
    plan.delete.push(...stale);
    const annotate = (s: EndpointSlice | undefined) => {
      const a: Record<string, string> = { ...(s?.metadata?.annotations ?? {}) };
      if (trigger) a[TRIGGER_TIME_ANNOTATION] = rfc3339Nano(trigger);
      return a;
    };
    const build = (ports: EndpointPort[], endpoints: Endpoint[], base?: EndpointSlice): EndpointSlice => ({
      apiVersion: 'discovery.k8s.io/v1',
      kind: 'EndpointSlice',
      metadata: base
        ? { ...base.metadata, labels, annotations: annotate(base), ownerReferences: [owner] }
        : { generateName: `${name.slice(0, 57)}-`, namespace, labels, annotations: annotate(undefined), ownerReferences: [owner] },
      addressType,
      endpoints,
      ports,
    });
    try {
      for (const u of plan.update) await this.ctx.client.update({ ...SLICES, namespace, name: u.slice.metadata?.name }, build(u.ports, u.endpoints, u.slice));
      for (const c of plan.create) {
        const made = await this.ctx.client.create<EndpointSlice>({ ...SLICES, namespace }, build(c.ports, c.endpoints));
        this.created.set(key, [...(this.created.get(key) ?? []), made]);
      }
      for (const d of plan.delete) {
        this.forgetCreated(key, d.metadata?.name);
        await this.ctx.client.delete({ ...SLICES, namespace, name: d.metadata?.name }).catch((e: unknown) => {
          if (!(isStatusError(e) && e.code === 404)) throw e;
        });
      }
    } catch (e) {
      if (isStatusError(e) && e.code === 403 && /being terminated/.test(e.message)) return done;
      if (isStatusError(e) && e.code === 404) this.created.delete(key); // a slice we remembered is gone
      if (!(isStatusError(e) && e.code === 409)) {
        const msg = e instanceof Error ? e.message : String(e);
        this.recorder.event({ ...svc, apiVersion: 'v1', kind: 'Service' }, 'Warning', 'FailedToUpdateEndpointSlices', `Error updating Endpoint Slices for Service ${namespace}/${name}: ${msg}`);
      }
      return failed(e);
    }
    return done;
  }

  private forgetCreated(key: string, name: string | undefined): void {
    const left = (this.created.get(key) ?? []).filter((s) => s.metadata?.name !== name);
    if (left.length) this.created.set(key, left);
    else this.created.delete(key);
  }

  /** The Service's labels plus ours (upstream setEndpointSliceLabels). */
  private labelsFor(svc: Service): Record<string, string> {
    const labels: Record<string, string> = {};
    for (const [k, v] of Object.entries(svc.metadata?.labels ?? {})) if (k !== SERVICE_NAME_LABEL && k !== MANAGED_BY_LABEL && k !== HEADLESS_LABEL) labels[k] = v;
    if (isHeadless(svc)) labels[HEADLESS_LABEL] = '';
    labels[SERVICE_NAME_LABEL] = svc.metadata?.name ?? '';
    labels[MANAGED_BY_LABEL] = CONTROLLER_NAME;
    return labels;
  }

  run(): RunningController {
    return runWhenSynced(this.ctx, { name: 'endpointslice-controller', queue: this.queue, workers: 5, reconcile: (k) => this.syncService(k) });
  }
}

export function startEndpointSliceController(ctx: ControllerContext): RunningController {
  return new EndpointSliceController(ctx).run();
}
