// Pod spec + resolved image + environment → the runtime's ContainerConfig, as upstream kuberuntime
// generateContainerConfig with containerd's image defaults: argv (command replaces the image
// Entrypoint and drops its Cmd; args replace Cmd; `$(VAR)` expanded against the container env), env
// (default PATH, HOSTNAME, image Env, then the container's — later wins in place), workingDir
// (container's, image's, `/`), mounts, cgroup resources and security. Not pure: creates subPath
// directories and the termination-message file.
import { hostname as nodeHostname } from 'node:os';
import type { Container, Pod } from 'kubernetes-types/core/v1.js';
import type { ImageRecord } from '../images/types.js';
import type { ContainerConfig } from '../runtime/types.js';
import { expand, mappingFuncFor } from '../envvars/expansion.js';
import { ContainerConfigError } from './errors.js';
import { podUTSHostname } from './hosts-file.js';
import { makeMounts, type PodVolume } from './mounts.js';
import { containerResources } from './resources.js';
import { containerSecurity } from './security.js';

export const DEFAULT_PATH = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export interface ContainerConfigContext {
  image: ImageRecord;
  volumes: ReadonlyMap<string, PodVolume>;
  /** From makeEnvironment. */
  env: ReadonlyArray<{ name: string; value: string }>;
  attempt: number;
  logPath: string;
  /** `<podsDir>/<uid>`: the termination-message file goes under `<podDir>/containers/<name>/`. */
  podDir: string;
  /** For Burstable oom_score_adj; defaults to 1 TiB (Burstable containers then get ~999). */
  memoryCapacityBytes?: number;
  pidsLimit?: number;
  clusterDomain?: string;
}

export function buildContainerConfig(pod: Pod, container: Container, ctx: ContainerConfigContext): ContainerConfig {
  const md = pod.metadata ?? {};
  return {
    podUid: md.uid ?? '',
    name: container.name,
    attempt: ctx.attempt,
    image: container.image ?? ctx.image.repoTags[0] ?? ctx.image.id,
    imageId: ctx.image.id,
    lowerDirs: [...ctx.image.layerDirs],
    argv: containerArgv(container, ctx.image, ctx.env),
    env: mergeEnv(pod, ctx),
    workingDir: container.workingDir || ctx.image.config.workingDir || '/',
    mounts: makeMounts(container, ctx.volumes, ctx.env, { podDir: ctx.podDir, attempt: ctx.attempt }),
    resources: containerResources(pod, container, { memoryCapacityBytes: ctx.memoryCapacityBytes ?? 2 ** 40, pidsLimit: ctx.pidsLimit }),
    security: containerSecurity(pod, container, ctx.image),
    tty: container.tty ?? false,
    stdin: container.stdin ?? false,
    stdinOnce: container.stdinOnce ?? false,
    logPath: ctx.logPath,
    labels: {
      'io.kubernetes.pod.name': md.name ?? '',
      'io.kubernetes.pod.namespace': md.namespace ?? 'default',
      'io.kubernetes.pod.uid': md.uid ?? '',
      'io.kubernetes.container.name': container.name,
    },
  };
}

/** Upstream ExpandContainerCommandAndArgs, then containerd WithProcessArgs. */
export function containerArgv(container: Container, image: Pick<ImageRecord, 'config'>, env: ReadonlyArray<{ name: string; value: string }>): string[] {
  const mapping = mappingFuncFor(new Map(env.map((e) => [e.name, e.value])));
  const command = (container.command ?? []).map((s) => expand(s, mapping));
  let args = (container.args ?? []).map((s) => expand(s, mapping));
  let argv: string[];
  if (command.length) argv = [...command, ...args];
  else {
    if (!args.length) args = [...(image.config.cmd ?? [])];
    const ep = image.config.entrypoint ?? [];
    // An Entrypoint of [""] means "reset" in Docker's image config.
    argv = [...(ep.length === 1 && ep[0] === '' ? [] : ep), ...args];
  }
  if (!argv.length) throw new ContainerConfigError('NoCommand', 'no command specified');
  return argv;
}

function mergeEnv(pod: Pod, ctx: ContainerConfigContext): Array<{ name: string; value: string }> {
  const env = new Map<string, string>([['PATH', DEFAULT_PATH]]);
  env.set('HOSTNAME', pod.spec?.hostNetwork ? nodeHostname() : podUTSHostname(pod, ctx.clusterDomain));
  for (const kv of ctx.image.config.env ?? []) {
    const i = kv.indexOf('=');
    if (i > 0) env.set(kv.slice(0, i), kv.slice(i + 1));
  }
  for (const e of ctx.env) env.set(e.name, e.value);
  return [...env].map(([name, value]) => ({ name, value }));
}
