// The node agent's kubelet (upstream pkg/kubelet/kubelet.go): watches the pods bound to this node,
// runs each through a pod worker (pod-lifecycle.ts), notices container exits by relisting the
// runtime every second (the PLEG), re-syncs every pod periodically, removes what the API no longer
// knows, keeps the Node and its Lease current (nodestatus/) and serves logs, exec, attach and
// port-forward for the API server (server/). Restarting it re-adopts running containers: the
// runtime's state lives on disk and every sync is level-triggered.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Pod } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../client/http-client.js';
import { SharedInformer, stripManagedFields } from '../client/informer.js';
import { newEventRecorder } from '../client/event-recorder.js';
import { crashLoopBackoff, imagePullBackoff } from './backoff.js';
import type { KubeletContext, KubeletConfig } from './context.js';
import { PodWorkers } from './pod-workers.js';
import { syncPodLifecycle } from './pod-lifecycle.js';
import { StatusManager } from './status/status-manager.js';
import { apiObjectSource } from './api-object-source.js';
import type { ImageService } from './images/types.js';
import type { RuntimeService } from './runtime/types.js';
import { ProbeManager } from './prober/manager.js';
import { VolumeManager } from './volumes/volume-manager.js';
import { KubeletBackend } from './streaming-backend.js';

export interface KubeletParts {
  runtime: RuntimeService;
  images: ImageService;
}

export interface KubeletOptions extends Omit<KubeletConfig, 'podsDir' | 'logsDir' | 'hostResolvConf'> {
  /** <data-dir>/agent */
  agentDir: string;
  relistMs?: number;
  resyncMs?: number;
  onError?(msg: string): void;
}

export interface Kubelet {
  readonly ctx: KubeletContext;
  readonly backend: KubeletBackend;
  /** Pods this kubelet currently knows (by uid). */
  pods(): Pod[];
  stop(): Promise<void>;
}

const hostResolvConf = () => {
  try {
    return readFileSync('/etc/resolv.conf', 'utf8');
  } catch {
    return '';
  }
};

export async function startKubelet(client: KubeClient, parts: KubeletParts, opts: KubeletOptions): Promise<Kubelet> {
  const onError = opts.onError ?? ((m: string) => console.error(`kubelet: ${m}`));
  const config: KubeletConfig = {
    nodeName: opts.nodeName,
    nodeIP: opts.nodeIP,
    clusterDNS: opts.clusterDNS,
    clusterDomain: opts.clusterDomain,
    podsDir: join(opts.agentDir, 'pods'),
    logsDir: join(opts.agentDir, 'logs'),
    hostResolvConf: hostResolvConf(),
  };
  mkdirSync(config.podsDir, { recursive: true });
  mkdirSync(config.logsDir, { recursive: true });
  const pods = new Map<string, Pod>();
  const source = apiObjectSource(client);
  // eslint-disable-next-line prefer-const
  let workers: PodWorkers;
  const recorder = newEventRecorder(client, 'kubelet');
  const probes = new ProbeManager({
    exec: async (_uid, id, argv, timeoutMs) => {
      const s = await parts.runtime.exec(id, argv, { tty: false, stdin: false, timeoutMs });
      const chunks: Buffer[] = [];
      s.stdout.on('data', (c: Buffer) => chunks.push(c));
      s.stderr?.on('data', (c: Buffer) => chunks.push(c));
      const exitCode = await s.exit;
      return { exitCode, output: Buffer.concat(chunks).toString('utf8') };
    },
    onRestartNeeded: (uid, name, id, reason, message) => {
      ctx.killRequests.set(id, reason === 'liveness' ? `Container ${name} failed liveness probe, will be restarted` : `Container ${name} failed startup probe, will be restarted`);
      void message;
      workers.enqueue(uid);
    },
    onEvent: (pod, type, reason, message) => recorder.event({ ...pod, apiVersion: 'v1', kind: 'Pod' }, type, reason, message),
    onChange: (uid) => workers.enqueue(uid),
  });
  const ctx: KubeletContext = {
    config,
    client,
    recorder,
    runtime: parts.runtime,
    images: parts.images,
    volumes: new VolumeManager({ podsDir: config.podsDir, source }),
    probes,
    source,
    waiting: new Map(),
    crashBackoff: crashLoopBackoff(),
    pullBackoff: imagePullBackoff(),
    killRequests: new Map(),
    requeueAfter: (uid, ms) => workers.enqueueAfter(uid, ms),
    now: () => new Date(),
  };
  const status = new StatusManager(ctx);
  workers = new PodWorkers(
    (uid) => syncPodLifecycle(ctx, status, uid, pods.get(uid)),
    (uid, e) => onError(`sync pod ${pods.get(uid)?.metadata?.name ?? uid}: ${e instanceof Error ? e.message : String(e)}`),
  );

  const informer = new SharedInformer<Pod>(client, { group: '', version: 'v1', resource: 'pods' }, { fieldSelector: `spec.nodeName=${opts.nodeName}`, transform: stripManagedFields });
  const upsert = (p: Pod) => {
    const uid = p.metadata?.uid ?? '';
    pods.set(uid, p);
    workers.enqueue(uid);
  };
  informer.addEventHandler({
    onAdd: upsert,
    onUpdate: (_, p) => upsert(p),
    onDelete: (p) => {
      const uid = p.metadata?.uid ?? '';
      pods.delete(uid);
      workers.enqueue(uid);
    },
  });
  informer.start();
  await informer.waitForSync();

  // PLEG: a container that changed state since the last relist wakes its pod.
  const lastStates = new Map<string, string>();
  let relisting = false;
  const relist = async () => {
    if (relisting) return;
    relisting = true;
    try {
      const seen = new Set<string>();
      for (const c of await parts.runtime.listContainers()) {
        seen.add(c.id);
        const st = `${c.state}/${c.exitCode ?? ''}`;
        if (lastStates.get(c.id) !== st) {
          lastStates.set(c.id, st);
          workers.enqueue(c.podUid);
        }
      }
      for (const id of lastStates.keys()) if (!seen.has(id)) lastStates.delete(id);
      // Sandboxes of pods the API no longer has (force-deleted, or deleted while we were down).
      for (const sb of await parts.runtime.listPodSandboxes()) if (!pods.has(sb.uid)) workers.enqueue(sb.uid);
    } catch (e) {
      onError(`relist: ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      relisting = false;
    }
  };
  const relistTimer = setInterval(() => void relist(), opts.relistMs ?? 1000);
  // Periodic resync: back-off expiries, configMap/secret volume contents, anything missed.
  const resyncTimer = setInterval(() => {
    for (const [uid, p] of pods) {
      if (!p.metadata?.deletionTimestamp) void ctx.volumes.update(p).catch(() => {});
      workers.enqueue(uid);
    }
  }, opts.resyncMs ?? 10_000);
  relistTimer.unref?.();
  resyncTimer.unref?.();
  void relist();

  const backend = new KubeletBackend(ctx, () => [...pods.values()]);
  return {
    ctx,
    backend,
    pods: () => [...pods.values()],
    async stop() {
      clearInterval(relistTimer);
      clearInterval(resyncTimer);
      informer.stop();
      await workers.stop();
      probes.stop();
      await recorder.flush();
    },
  };
}
