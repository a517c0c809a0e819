// The kubelet's ObjectSource over plain API GETs: ConfigMaps, Secrets, PVCs and PVs are read when a
// container starts or a volume is written, so every start sees the current object (upstream's
// default "Watch" strategy caches them; a single node does not need that yet).
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret } from 'kubernetes-types/core/v1.js';
import type { KubeClient } from '../client/http-client.js';
import { StatusError } from '../machinery/errors.js';
import type { ObjectSource } from './pod/object-source.js';

export function apiObjectSource(client: KubeClient): ObjectSource {
  const get = async <T>(resource: string, namespace: string | undefined, name: string): Promise<T | undefined> => {
    try {
      return await client.get<T>({ group: '', version: 'v1', resource, namespace, name });
    } catch (e) {
      if (e instanceof StatusError && e.code === 404) return undefined;
      throw e;
    }
  };
  return {
    getConfigMap: (ns, name) => get<ConfigMap>('configmaps', ns, name),
    getSecret: (ns, name) => get<Secret>('secrets', ns, name),
    getPersistentVolumeClaim: (ns, name) => get<PersistentVolumeClaim>('persistentvolumeclaims', ns, name),
    getPersistentVolume: (name) => get<PersistentVolume>('persistentvolumes', undefined, name),
  };
}
