// Upstream defaulting for pods and pod templates (k8s.io/kubernetes/pkg/apis/core/v1/defaults.go:
// SetDefaults_Pod, _PodSpec, _Container, _Probe, _HTTPGetAction, _Volume, …). Pod-only defaults
// (enableServiceLinks, requests copied from limits on the Pod) are kept apart from those that also
// apply inside templates, because upstream's defaulters run SetDefaults_Pod only on Pod objects.
import type {
  Container,
  EnvVar,
  HTTPGetAction,
  Lifecycle,
  LifecycleHandler,
  Pod,
  PodSpec,
  PodTemplateSpec,
  Probe,
  Volume,
} from 'kubernetes-types/core/v1.js';
import { canonical, canonicalResourceList } from './quantities.js';

/** Image tag as docker's reference parser sees it: `latest` when neither tag nor digest is given. */
export function imageTag(image: string): string {
  const at = image.indexOf('@');
  const name = at >= 0 ? image.slice(0, at) : image;
  const lastSlash = name.lastIndexOf('/');
  const colon = name.lastIndexOf(':');
  if (colon > lastSlash) return name.slice(colon + 1);
  return at >= 0 ? '' : 'latest';
}

function defaultHTTPGet(h: HTTPGetAction | undefined): void {
  if (!h) return;
  if (!h.path) h.path = '/';
  if (!h.scheme) h.scheme = 'HTTP';
}

function defaultProbe(p: Probe | undefined): void {
  if (!p) return;
  // Zero means unset for these (non-pointer ints upstream).
  p.timeoutSeconds ||= 1;
  p.periodSeconds ||= 10;
  p.successThreshold ||= 1;
  p.failureThreshold ||= 3;
  defaultHTTPGet(p.httpGet);
}

function defaultLifecycle(l: Lifecycle | undefined): void {
  for (const h of [l?.postStart, l?.preStop] as (LifecycleHandler | undefined)[]) defaultHTTPGet(h?.httpGet);
}

function defaultEnv(env: EnvVar[] | undefined): void {
  for (const e of env ?? []) {
    const ref = e.valueFrom?.fieldRef;
    if (ref && !ref.apiVersion) ref.apiVersion = 'v1';
  }
}

export function defaultContainer(c: Container): void {
  // Upstream parses the image name and ignores errors: an empty or missing image has no tag and
  // gets IfNotPresent (validation then reports the missing image on its own).
  if (!c.imagePullPolicy) c.imagePullPolicy = c.image && imageTag(c.image) === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ||= '/dev/termination-log';
  c.terminationMessagePolicy ||= 'File';
  // ResourceRequirements is a non-pointer struct upstream, so it always serializes (`resources: {}`).
  c.resources ??= {};
  canonicalResourceList(c.resources.limits);
  canonicalResourceList(c.resources.requests);
  for (const p of c.ports ?? []) p.protocol ||= 'TCP';
  defaultProbe(c.livenessProbe);
  defaultProbe(c.readinessProbe);
  defaultProbe(c.startupProbe);
  defaultLifecycle(c.lifecycle);
  defaultEnv(c.env);
}

const MODE_420 = 420; // 0644

function defaultVolume(v: Volume): void {
  const sources = Object.keys(v).filter((k) => k !== 'name');
  if (sources.length === 0) v.emptyDir = {};
  if (v.emptyDir?.sizeLimit !== undefined) v.emptyDir.sizeLimit = canonical(v.emptyDir.sizeLimit) as string;
  const claim = v.ephemeral?.volumeClaimTemplate?.spec;
  if (claim) {
    claim.volumeMode ||= 'Filesystem';
    canonicalResourceList(claim.resources?.requests);
    canonicalResourceList(claim.resources?.limits);
  }
  if (v.secret) v.secret.defaultMode ??= MODE_420;
  if (v.configMap) v.configMap.defaultMode ??= MODE_420;
  if (v.downwardAPI) {
    v.downwardAPI.defaultMode ??= MODE_420;
    for (const i of v.downwardAPI.items ?? []) if (i.fieldRef && !i.fieldRef.apiVersion) i.fieldRef.apiVersion = 'v1';
  }
  if (v.projected) {
    v.projected.defaultMode ??= MODE_420;
    for (const s of v.projected.sources ?? []) {
      if (s.serviceAccountToken) s.serviceAccountToken.expirationSeconds ??= 3600;
      for (const i of s.downwardAPI?.items ?? []) if (i.fieldRef && !i.fieldRef.apiVersion) i.fieldRef.apiVersion = 'v1';
    }
  }
  if (v.hostPath) v.hostPath.type ??= '';
  if (v.iscsi) v.iscsi.iscsiInterface ??= 'default';
  if (v.scaleIO) {
    v.scaleIO.storageMode ||= 'ThinProvisioned';
    v.scaleIO.fsType ||= 'xfs';
  }
  if (v.azureDisk) {
    v.azureDisk.cachingMode ??= 'ReadWrite';
    v.azureDisk.fsType ??= 'ext4';
    v.azureDisk.readOnly ??= false;
    v.azureDisk.kind ??= 'Shared';
  }
}

/** SetDefaults_PodSpec and everything nested in it; applies to Pods and to pod templates. */
export function defaultPodSpec(spec: PodSpec): void {
  spec.dnsPolicy ||= 'ClusterFirst';
  spec.restartPolicy ||= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.securityContext ??= {};
  spec.schedulerName ||= 'default-scheduler';
  // v1 conversion keeps the deprecated serviceAccount field equal to serviceAccountName.
  if (spec.serviceAccountName) spec.serviceAccount = spec.serviceAccountName;
  else if (spec.serviceAccount) spec.serviceAccountName = spec.serviceAccount;
  for (const c of spec.initContainers ?? []) defaultContainer(c);
  for (const c of spec.containers ?? []) defaultContainer(c);
  for (const c of spec.ephemeralContainers ?? []) defaultContainer(c as Container);
  for (const v of spec.volumes ?? []) defaultVolume(v);
  canonicalResourceList(spec.overhead);
}

/** Pod templates: spec defaults plus Go's zero `creationTimestamp: null` in the template metadata. */
export function defaultPodTemplateSpec(t: PodTemplateSpec | undefined): void {
  if (!t) return;
  t.metadata ??= {};
  const meta = t.metadata as Record<string, unknown>;
  if (!('creationTimestamp' in meta)) meta.creationTimestamp = null;
  if (t.spec) defaultPodSpec(t.spec);
}

/** SetDefaults_Pod: requests default to limits (per resource), service links on; then the spec. */
export function defaultPod(pod: Pod): void {
  pod.spec ??= { containers: [] };
  for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
    const limits = c.resources?.limits;
    if (!limits) continue;
    c.resources!.requests ??= {};
    for (const [k, v] of Object.entries(limits)) if (!(k in c.resources!.requests)) c.resources!.requests[k] = v;
  }
  pod.spec.enableServiceLinks ??= true;
  if (pod.spec.hostNetwork) {
    // With host networking the container port is the host port (Pods only: the template variant
    // sits behind a feature gate that is off by default).
    for (const c of [...(pod.spec.initContainers ?? []), ...(pod.spec.containers ?? [])]) {
      for (const p of c.ports ?? []) if (!p.hostPort) p.hostPort = p.containerPort;
    }
  }
  defaultPodSpec(pod.spec);
}
