// What the pod sync functions share: the kubelet's parts (runtime, images, volumes, probes, events)
// and its per-pod memory (waiting reasons, back-offs, liveness kills). One object, passed to the
// level-triggered sync functions in sync/, so each stays a plain function over (context, pod).
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../client/http-client.js';
import type { EventRecorder } from '../client/event-recorder.js';
import type { RuntimeService } from './runtime/types.js';
import type { ImageService } from './images/types.js';
import type { Backoff } from './backoff.js';
import type { Waiting } from './status/generate-status.js';
import type { ObjectSource } from './pod/object-source.js';

export interface KubeletConfig {
  nodeName: string;
  nodeIP: string;
  /** <data-dir>/agent/pods: per-pod volumes and termination-message files. */
  podsDir: string;
  /** <data-dir>/agent/logs: CRI logs as <ns>_<name>_<uid>/<container>/<attempt>.log. */
  logsDir: string;
  clusterDNS: string[];
  clusterDomain: string;
  hostResolvConf: string;
}

/** The volume manager as the sync uses it (src/kubelet/volumes). */
export interface PodVolumes {
  setUp(pod: Pod): Promise<Map<string, { hostPath: string; readOnly?: boolean }>>;
  update(pod: Pod): Promise<unknown>;
  tearDown(podUid: string): Promise<void>;
}

/** The probe manager as the sync uses it (src/kubelet/prober). */
export interface PodProbes {
  addPod(pod: Pod): void;
  removePod(uid: string): void;
  /** Idempotent for the same container id (a re-adopted container keeps its probe state). */
  onContainerStarted(podUid: string, containerName: string, containerId: string, startedAt: Date): void;
  onContainerExited(podUid: string, containerName: string): void;
  readiness(containerId: string): boolean;
  started(containerId: string): boolean | undefined;
}

export interface KubeletContext {
  config: KubeletConfig;
  client: KubeClient;
  recorder: EventRecorder;
  runtime: RuntimeService;
  images: ImageService;
  volumes: PodVolumes;
  probes: PodProbes;
  source: ObjectSource;
  /** Per pod uid, per container name: why it is not running (cleared once it runs). */
  waiting: Map<string, Map<string, Waiting>>;
  crashBackoff: Backoff;
  pullBackoff: Backoff;
  /** Container ids the probe manager asked to restart (liveness/startup failures), with the message. */
  killRequests: Map<string, string>;
  /** Re-sync the pod after `ms` (back-off expiry). */
  requeueAfter(uid: string, ms: number): void;
  now(): Date;
}

export const podRefOf = (pod: Pod) => ({ ...pod, apiVersion: 'v1', kind: 'Pod' });
/** upstream format.Pod: name_namespace(uid). */
export const formatPod = (pod: Pod) => `${pod.metadata?.name}_${pod.metadata?.namespace}(${pod.metadata?.uid})`;
export const podLogDir = (cfg: KubeletConfig, pod: Pod) => `${cfg.logsDir}/${pod.metadata?.namespace}_${pod.metadata?.name}_${pod.metadata?.uid}`;

export function setWaiting(ctx: KubeletContext, uid: string, name: string, w: Waiting | undefined): void {
  let m = ctx.waiting.get(uid);
  if (!w) {
    m?.delete(name);
    return;
  }
  if (!m) ctx.waiting.set(uid, (m = new Map()));
  m.set(name, w);
}
