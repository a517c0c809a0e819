// Container validation as upstream core validateContainers / validateInitContainers: names (DNS
// labels, unique across containers and init containers), image, ports, env and envFrom, volume mounts
// against the pod's volumes, pull and termination-message policies, resources, probes and lifecycle
// handlers.
import type { Container, ContainerPort, EnvFromSource, EnvVar, LifecycleHandler, Probe, VolumeMount } from 'kubernetes-types/core/v1.js';
import { duplicate, forbidden, invalid, notFound, notSupported, path, required, type FieldError } from '../../machinery/field-errors.js';
import { validateDNS1123Label, validateNonnegative } from './common.js';
import { isConfigMapKey, isEnvVarName, isValidIP, isValidPortName, isValidPortNum } from './names.js';
import { validateResourceRequirements } from './resources.js';
import { validateSecurityContext } from './security-context.js';

export const SUPPORTED_PORT_PROTOCOLS = ['SCTP', 'TCP', 'UDP'];

/** Upstream ValidatePortNumOrName (IntOrString ports of probes, services, network policies). */
export function validatePortNumOrName(port: number | string | undefined, field: string): FieldError[] {
  if (typeof port === 'number') return isValidPortNum(port).map((m) => invalid(field, port, m));
  if (typeof port === 'string') return isValidPortName(port).map((m) => invalid(field, port, m));
  return [];
}

export function validateContainerPorts(ports: ContainerPort[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set<string>();
  (ports ?? []).forEach((p, i) => {
    const at = (f: string) => path(field, i, f);
    if (p.name) {
      const msgs = isValidPortName(p.name);
      for (const m of msgs) errs.push(invalid(at('name'), p.name, m));
      if (msgs.length === 0 && names.has(p.name)) errs.push(duplicate(at('name'), p.name));
      names.add(p.name);
    }
    if (!p.containerPort) errs.push(required(at('containerPort'), ''));
    else for (const m of isValidPortNum(p.containerPort)) errs.push(invalid(at('containerPort'), p.containerPort, m));
    if (p.hostPort) for (const m of isValidPortNum(p.hostPort)) errs.push(invalid(at('hostPort'), p.hostPort, m));
    if (!p.protocol) errs.push(required(at('protocol'), ''));
    else if (!SUPPORTED_PORT_PROTOCOLS.includes(p.protocol)) errs.push(notSupported(at('protocol'), p.protocol, SUPPORTED_PORT_PROTOCOLS));
    if (p.hostIP && !isValidIP(p.hostIP)) errs.push(invalid(at('hostIP'), p.hostIP, 'must be a valid IP address'));
  });
  return errs;
}

function validateKeySelector(s: { name?: string; key: string }, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!s.name) errs.push(required(path(field, 'name'), ''));
  if (!s.key) errs.push(required(path(field, 'key'), ''));
  else for (const m of isConfigMapKey(s.key)) errs.push(invalid(path(field, 'key'), s.key, m));
  return errs;
}

export function validateEnv(env: EnvVar[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (env ?? []).forEach((ev, i) => {
    const at = path(field, i);
    if (!ev.name) errs.push(required(path(at, 'name'), ''));
    else for (const m of isEnvVarName(ev.name)) errs.push(invalid(path(at, 'name'), ev.name, m));
    const vf = ev.valueFrom;
    if (!vf) return;
    const vfPath = path(at, 'valueFrom');
    let n = 0;
    if (vf.fieldRef) {
      n++;
      if (!vf.fieldRef.fieldPath) errs.push(required(path(vfPath, 'fieldRef', 'fieldPath'), ''));
    }
    if (vf.resourceFieldRef) {
      n++;
      if (!vf.resourceFieldRef.resource) errs.push(required(path(vfPath, 'resourceFieldRef', 'resource'), ''));
    }
    if (vf.configMapKeyRef) {
      n++;
      errs.push(...validateKeySelector(vf.configMapKeyRef, path(vfPath, 'configMapKeyRef')));
    }
    if (vf.secretKeyRef) {
      n++;
      errs.push(...validateKeySelector(vf.secretKeyRef, path(vfPath, 'secretKeyRef')));
    }
    if (n === 0) errs.push(invalid(vfPath, '', 'must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`'));
    else if (ev.value) errs.push(invalid(vfPath, '', 'may not be specified when `value` is not empty'));
    else if (n > 1) errs.push(invalid(vfPath, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

export function validateEnvFrom(envFrom: EnvFromSource[] | undefined, field: string): FieldError[] {
  const errs: FieldError[] = [];
  (envFrom ?? []).forEach((ef, i) => {
    const at = path(field, i);
    if (ef.prefix) for (const m of isEnvVarName(ef.prefix)) errs.push(invalid(path(at, 'prefix'), ef.prefix, m));
    let n = 0;
    if (ef.configMapRef) {
      n++;
      if (!ef.configMapRef.name) errs.push(required(path(at, 'configMapRef', 'name'), ''));
    }
    if (ef.secretRef) {
      n++;
      if (!ef.secretRef.name) errs.push(required(path(at, 'secretRef', 'name'), ''));
    }
    if (n === 0) errs.push(invalid(at, '', 'must specify one of: `configMapRef` or `secretRef`'));
    else if (n > 1) errs.push(invalid(at, '', 'may not have more than one field specified at a time'));
  });
  return errs;
}

export function validateVolumeMounts(mounts: VolumeMount[] | undefined, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const mountPoints = new Set<string>();
  (mounts ?? []).forEach((m, i) => {
    const at = (f: string) => path(field, i, f);
    if (!m.name) errs.push(required(at('name'), ''));
    if (!volumes.has(m.name)) errs.push(notFound(at('name'), m.name ?? ''));
    if (!m.mountPath) errs.push(required(at('mountPath'), ''));
    if (mountPoints.has(m.mountPath)) errs.push(invalid(at('mountPath'), m.mountPath, 'must be unique'));
    mountPoints.add(m.mountPath);
    if (m.subPath) {
      if (m.subPath.startsWith('/')) errs.push(invalid(at('subPath'), m.subPath, 'must be a relative path'));
      if (m.subPath.split('/').includes('..')) errs.push(invalid(at('subPath'), m.subPath, "must not contain '..'"));
    }
  });
  return errs;
}

function validateHandler(h: LifecycleHandler & { grpc?: Probe['grpc'] }, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const kinds = (['exec', 'httpGet', 'tcpSocket', 'grpc', 'sleep'] as const).filter((k) => h[k as keyof typeof h] !== undefined);
  if (kinds.length === 0) return [required(field, 'must specify a handler type')];
  for (const k of kinds.slice(1)) errs.push(forbidden(path(field, k), 'may not specify more than 1 handler type'));
  if (h.exec && (h.exec.command ?? []).length === 0) errs.push(required(path(field, 'exec', 'command'), ''));
  if (h.httpGet) {
    const p = path(field, 'httpGet');
    if (!h.httpGet.path) errs.push(required(path(p, 'path'), ''));
    errs.push(...validatePortNumOrName(h.httpGet.port, path(p, 'port')));
    if (h.httpGet.scheme && !['HTTP', 'HTTPS'].includes(h.httpGet.scheme)) errs.push(notSupported(path(p, 'scheme'), h.httpGet.scheme, ['HTTP', 'HTTPS']));
  }
  if (h.tcpSocket) errs.push(...validatePortNumOrName(h.tcpSocket.port, path(field, 'tcpSocket', 'port')));
  if (h.grpc) for (const m of isValidPortNum(h.grpc.port)) errs.push(invalid(path(field, 'grpc', 'port'), h.grpc.port, m));
  if (h.sleep && h.sleep.seconds < 0) errs.push(invalid(path(field, 'sleep', 'seconds'), h.sleep.seconds, 'must be non-negative'));
  return errs;
}

function validateProbe(p: Probe | undefined, field: string, kind: 'liveness' | 'readiness' | 'startup'): FieldError[] {
  if (!p) return [];
  const errs = validateHandler(p, field);
  for (const f of ['initialDelaySeconds', 'timeoutSeconds', 'periodSeconds', 'successThreshold', 'failureThreshold'] as const) {
    errs.push(...validateNonnegative(p[f], path(field, f)));
  }
  if (p.terminationGracePeriodSeconds !== undefined) {
    if (kind === 'readiness') errs.push(invalid(path(field, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must not be set for readinessProbes'));
    else if (p.terminationGracePeriodSeconds <= 0) errs.push(invalid(path(field, 'terminationGracePeriodSeconds'), p.terminationGracePeriodSeconds, 'must be greater than 0'));
  }
  if (kind !== 'readiness' && p.successThreshold !== undefined && p.successThreshold !== 1) {
    errs.push(invalid(path(field, 'successThreshold'), p.successThreshold, 'must be 1'));
  }
  return errs;
}

const PULL_POLICIES = ['Always', 'IfNotPresent', 'Never'];
const TERMINATION_MESSAGE_POLICIES = ['File', 'FallbackToLogsOnError'];

/** Upstream validateContainerCommon: what regular and init containers share. */
function validateContainerCommon(c: Container, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (!c.name) errs.push(required(path(field, 'name'), ''));
  else errs.push(...validateDNS1123Label(c.name, path(field, 'name')));
  if (!c.image) errs.push(required(path(field, 'image'), ''));
  else if (c.image !== c.image.trim()) errs.push(invalid(path(field, 'image'), c.image, 'must not have leading or trailing whitespace'));
  const tmp = c.terminationMessagePolicy;
  if (tmp === undefined || tmp === '') errs.push(required(path(field, 'terminationMessagePolicy'), ''));
  else if (!TERMINATION_MESSAGE_POLICIES.includes(tmp)) errs.push(notSupported(path(field, 'terminationMessagePolicy'), tmp, TERMINATION_MESSAGE_POLICIES));
  errs.push(...validateContainerPorts(c.ports, path(field, 'ports')));
  errs.push(...validateEnv(c.env, path(field, 'env')));
  errs.push(...validateEnvFrom(c.envFrom, path(field, 'envFrom')));
  errs.push(...validateVolumeMounts(c.volumeMounts, volumes, path(field, 'volumeMounts')));
  const pp = c.imagePullPolicy;
  if (pp === undefined || pp === '') errs.push(required(path(field, 'imagePullPolicy'), ''));
  else if (!PULL_POLICIES.includes(pp)) errs.push(notSupported(path(field, 'imagePullPolicy'), pp, PULL_POLICIES));
  errs.push(...validateResourceRequirements(c.resources, path(field, 'resources')));
  errs.push(...validateSecurityContext(c.securityContext, path(field, 'securityContext')));
  return errs;
}

function validateLifecycle(c: Container, field: string): FieldError[] {
  const errs: FieldError[] = [];
  if (c.lifecycle?.postStart) errs.push(...validateHandler(c.lifecycle.postStart, path(field, 'lifecycle', 'postStart')));
  if (c.lifecycle?.preStop) errs.push(...validateHandler(c.lifecycle.preStop, path(field, 'lifecycle', 'preStop')));
  return errs;
}

export function validateContainers(containers: Container[] | undefined, volumes: Set<string>, field: string): FieldError[] {
  if (!containers || containers.length === 0) return [required(field, '')];
  const errs: FieldError[] = [];
  const names = new Set<string>();
  containers.forEach((c, i) => {
    const at = path(field, i);
    errs.push(...validateContainerCommon(c, volumes, at));
    if (c.name && names.has(c.name)) errs.push(duplicate(path(at, 'name'), c.name));
    names.add(c.name);
    errs.push(...validateLifecycle(c, at));
    errs.push(...validateProbe(c.livenessProbe, path(at, 'livenessProbe'), 'liveness'));
    errs.push(...validateProbe(c.readinessProbe, path(at, 'readinessProbe'), 'readiness'));
    errs.push(...validateProbe(c.startupProbe, path(at, 'startupProbe'), 'startup'));
    if (c.restartPolicy !== undefined) errs.push(forbidden(path(at, 'restartPolicy'), 'may not be set for non-init containers'));
  });
  return errs;
}

/** Init containers: names unique across both lists; probes only for restartable (sidecar) ones. */
export function validateInitContainers(init: Container[] | undefined, regular: Container[] | undefined, volumes: Set<string>, field: string): FieldError[] {
  const errs: FieldError[] = [];
  const names = new Set((regular ?? []).map((c) => c.name));
  (init ?? []).forEach((c, i) => {
    const at = path(field, i);
    errs.push(...validateContainerCommon(c, volumes, at));
    if (c.name && names.has(c.name)) errs.push(duplicate(path(at, 'name'), c.name));
    names.add(c.name);
    const sidecar = c.restartPolicy === 'Always';
    if (c.restartPolicy !== undefined && !sidecar) errs.push(notSupported(path(at, 'restartPolicy'), c.restartPolicy, ['Always']));
    if (sidecar) {
      errs.push(...validateLifecycle(c, at));
      errs.push(...validateProbe(c.livenessProbe, path(at, 'livenessProbe'), 'liveness'));
      errs.push(...validateProbe(c.readinessProbe, path(at, 'readinessProbe'), 'readiness'));
      errs.push(...validateProbe(c.startupProbe, path(at, 'startupProbe'), 'startup'));
    } else {
      const msg = 'may not be set for init containers without restartPolicy=Always';
      if (c.lifecycle) errs.push(forbidden(path(at, 'lifecycle'), msg));
      if (c.livenessProbe) errs.push(forbidden(path(at, 'livenessProbe'), msg));
      if (c.readinessProbe) errs.push(forbidden(path(at, 'readinessProbe'), msg));
      if (c.startupProbe) errs.push(forbidden(path(at, 'startupProbe'), msg));
    }
  });
  return errs;
}
