// ConfigMap and Secret validation as upstream core ValidateConfigMap / ValidateSecret: keys are config
// keys, a key may not be in both data and binaryData, the total size is at most 1 MiB, Secrets of the
// well-known types carry their required keys, a Secret's type never changes, and `immutable: true`
// freezes the data for good.
import type { ConfigMap, Secret } from 'kubernetes-types/core/v1.js';
import { forbidden, invalid, key, required, type FieldError } from '../../machinery/field-errors.js';
import { entries, semanticEqual, validateImmutable } from './common.js';
import { tooLongBytes } from './labels.js';
import { isConfigMapKey } from './names.js';
import { as, type KindRules } from './rules.js';

/** Upstream core.MaxSecretSize (also the ConfigMap limit). */
export const MAX_SECRET_SIZE = 1024 * 1024;

const IMMUTABLE_MSG = 'field is immutable when `immutable` is set';

// Data values travel base64-encoded; their decoded size is what counts.
const decodedLength = (b64: string): number => Buffer.from(b64, 'base64').length;

function validateConfigMap(cm: ConfigMap): FieldError[] {
  const errs: FieldError[] = [];
  let total = 0;
  for (const [k, v] of entries(cm.data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, m));
    if (cm.binaryData && k in cm.binaryData) errs.push(invalid(key('data', k), k, 'duplicate of key present in binaryData'));
    total += Buffer.byteLength(String(v), 'utf8');
  }
  for (const [k, v] of entries(cm.binaryData)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(key('binaryData', k), k, m));
    if (cm.data && k in cm.data) errs.push(invalid(key('binaryData', k), k, 'duplicate of key present in data'));
    total += decodedLength(String(v));
  }
  // Upstream reports the whole object with an empty path.
  if (total > MAX_SECRET_SIZE) errs.push(tooLongBytes('', MAX_SECRET_SIZE));
  return errs;
}

function validateConfigMapUpdate(cm: ConfigMap, old: ConfigMap): FieldError[] {
  if (!old.immutable) return [];
  const errs: FieldError[] = [];
  if (!cm.immutable) errs.push(forbidden('immutable', IMMUTABLE_MSG));
  if (!semanticEqual(cm.data, old.data)) errs.push(forbidden('data', IMMUTABLE_MSG));
  if (!semanticEqual(cm.binaryData, old.binaryData)) errs.push(forbidden('binaryData', IMMUTABLE_MSG));
  return errs;
}

function validateSecret(s: Secret): FieldError[] {
  const errs: FieldError[] = [];
  // stringData is merged into data before storage (upstream conversion); count both.
  const data: Record<string, number> = {};
  for (const [k, v] of entries(s.data)) data[k] = decodedLength(String(v));
  for (const [k, v] of entries(s.stringData)) data[k] = Buffer.byteLength(String(v), 'utf8');
  let total = 0;
  for (const [k, n] of Object.entries(data)) {
    for (const m of isConfigMapKey(k)) errs.push(invalid(key('data', k), k, m));
    total += n;
  }
  if (total > MAX_SECRET_SIZE) errs.push(tooLongBytes('data', MAX_SECRET_SIZE));
  const has = (k: string) => k in data;
  const jsonKey = (k: string) => {
    if (!has(k)) return [required(key('data', k), '')];
    const raw = s.stringData?.[k] ?? Buffer.from(String(s.data?.[k] ?? ''), 'base64').toString('utf8');
    try {
      JSON.parse(raw);
      return [];
    } catch (e) {
      return [invalid(key('data', k), '<secret contents redacted>', (e as Error).message)];
    }
  };
  switch (s.type ?? '') {
    case 'kubernetes.io/service-account-token':
      if (!s.metadata?.annotations?.['kubernetes.io/service-account.name']) {
        errs.push(required(key('metadata.annotations', 'kubernetes.io/service-account.name'), ''));
      }
      break;
    case 'kubernetes.io/dockercfg':
      errs.push(...jsonKey('.dockercfg'));
      break;
    case 'kubernetes.io/dockerconfigjson':
      errs.push(...jsonKey('.dockerconfigjson'));
      break;
    case 'kubernetes.io/basic-auth':
      if (!has('username') && !has('password')) errs.push(required(key('data', 'username'), ''), required(key('data', 'password'), ''));
      break;
    case 'kubernetes.io/ssh-auth':
      if (!data['ssh-privatekey']) errs.push(required(key('data', 'ssh-privatekey'), ''));
      break;
    case 'kubernetes.io/tls':
      if (!has('tls.crt')) errs.push(required(key('data', 'tls.crt'), ''));
      if (!has('tls.key')) errs.push(required(key('data', 'tls.key'), ''));
      break;
  }
  return errs;
}

function validateSecretUpdate(s: Secret, old: Secret): FieldError[] {
  const errs = validateImmutable(s.type ?? 'Opaque', old.type ?? 'Opaque', 'type');
  if (old.immutable) {
    if (!s.immutable) errs.push(forbidden('immutable', IMMUTABLE_MSG));
    if (!semanticEqual(s.data, old.data)) errs.push(forbidden('data', IMMUTABLE_MSG));
  }
  return errs;
}

export const configMapRules: KindRules = {
  validate: (o) => validateConfigMap(as(o)),
  validateUpdate: (o, old) => validateConfigMapUpdate(as(o), as(old)),
};

export const secretRules: KindRules = {
  validate: (o) => validateSecret(as(o)),
  validateUpdate: (o, old) => validateSecretUpdate(as(o), as(old)),
};
