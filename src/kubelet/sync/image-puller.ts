// Makes a container's image present (upstream kuberuntime image_pull.go EnsureImageExists):
// imagePullPolicy Always / IfNotPresent / Never, imagePullSecrets (dockerconfigjson) as registry
// credentials, the Pulling / Pulled / Failed / BackOff events with upstream's wording, and the
// waiting reasons ErrImagePull → ImagePullBackOff (the same back-off as crash loops) and
// ErrImageNeverPull.
import type { Container, Pod, Secret } from 'kubernetes-types/core/v1.js';
import type { ImageRecord, PullAuth } from '../images/types.js';
import { isImageError } from '../images/errors.js';
import { podRefOf, type KubeletContext } from '../context.js';
import type { Waiting } from '../status/generate-status.js';

export class ImagePullError extends Error {
  constructor(readonly waiting: Waiting) {
    super(waiting.message ?? waiting.reason);
  }
}

export function pullPolicy(c: Container): 'Always' | 'IfNotPresent' | 'Never' {
  if (c.imagePullPolicy === 'Always' || c.imagePullPolicy === 'IfNotPresent' || c.imagePullPolicy === 'Never') return c.imagePullPolicy;
  const image = c.image ?? '';
  const lastPart = image.split('/').pop() ?? '';
  const tag = image.includes('@') ? 'digest' : lastPart.includes(':') ? lastPart.split(':').pop() : 'latest';
  return tag === 'latest' ? 'Always' : 'IfNotPresent';
}

/** Registry host of a dockerconfigjson key: "https://index.docker.io/v1/" → docker.io. */
function registryHost(key: string): string {
  const host = key.replace(/^https?:\/\//, '').split('/')[0] ?? key;
  return host === 'index.docker.io' || host === 'registry-1.docker.io' ? 'docker.io' : host;
}

export async function pullSecrets(ctx: KubeletContext, pod: Pod): Promise<Record<string, PullAuth>> {
  const auths: Record<string, PullAuth> = {};
  for (const ref of pod.spec?.imagePullSecrets ?? []) {
    if (!ref.name) continue;
    const secret: Secret | undefined = await ctx.source.getSecret(pod.metadata?.namespace ?? '', ref.name).catch(() => undefined);
    const raw = secret?.data?.['.dockerconfigjson'] ?? secret?.data?.['.dockercfg'];
    if (!raw) continue;
    try {
      const parsed = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as { auths?: Record<string, PullAuth> } & Record<string, PullAuth>;
      const entries = parsed.auths ?? parsed;
      for (const [k, v] of Object.entries(entries)) auths[registryHost(k)] = v;
    } catch {
      // an unreadable secret is skipped, as upstream does
    }
  }
  return auths;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(3).replace(/\.?0+$/, '')}s`;

/** Returns the image record, or throws ImagePullError carrying the waiting reason. */
export async function ensureImage(ctx: KubeletContext, pod: Pod, c: Container): Promise<ImageRecord> {
  const image = c.image ?? '';
  const ref = podRefOf(pod);
  const policy = pullPolicy(c);
  let present: ImageRecord | undefined;
  try {
    present = ctx.images.get(image);
  } catch (e) {
    const msg = `Failed to apply default image tag "${image}": ${e instanceof Error ? e.message : String(e)}`;
    ctx.recorder.event(ref, 'Warning', 'InspectFailed', msg);
    throw new ImagePullError({ reason: 'InvalidImageName', message: msg });
  }
  if (present && policy !== 'Always') {
    ctx.recorder.event(ref, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
    return present;
  }
  if (policy === 'Never') {
    const msg = `Container image "${image}" is not present with pull policy of Never`;
    ctx.recorder.event(ref, 'Warning', 'ErrImageNeverPull', msg);
    throw new ImagePullError({ reason: 'ErrImageNeverPull', message: msg });
  }
  const key = `${pod.metadata?.uid}/${image}`;
  if (ctx.pullBackoff.remaining(key) > 0) {
    const msg = `Back-off pulling image "${image}"`;
    ctx.recorder.event(ref, 'Normal', 'BackOff', msg);
    ctx.requeueAfter(pod.metadata?.uid ?? '', ctx.pullBackoff.remaining(key) + 50);
    throw new ImagePullError({ reason: 'ImagePullBackOff', message: msg });
  }
  ctx.recorder.event(ref, 'Normal', 'Pulling', `Pulling image "${image}"`);
  const started = Date.now();
  try {
    const rec = await ctx.images.pull(image, { auths: await pullSecrets(ctx, pod) });
    const took = seconds(Date.now() - started);
    ctx.recorder.event(ref, 'Normal', 'Pulled', `Successfully pulled image "${image}" in ${took} (${took} including waiting). Image size: ${rec.sizeBytes} bytes.`);
    ctx.pullBackoff.reset(key);
    return rec;
  } catch (e) {
    const err = e instanceof Error ? e.message : String(e);
    if (isImageError(e, 'ERR_INVALID_REFERENCE')) {
      ctx.recorder.event(ref, 'Warning', 'InspectFailed', `Failed to apply default image tag "${image}": ${err}`);
      throw new ImagePullError({ reason: 'InvalidImageName', message: `Failed to apply default image tag "${image}": ${err}` });
    }
    ctx.recorder.event(ref, 'Warning', 'Failed', `Failed to pull image "${image}": ${err}`);
    ctx.recorder.event(ref, 'Warning', 'Failed', 'Error: ErrImagePull');
    const delay = ctx.pullBackoff.next(key);
    ctx.requeueAfter(pod.metadata?.uid ?? '', delay + 50);
    throw new ImagePullError({ reason: 'ErrImagePull', message: err });
  }
}
