// The few API objects a pod's environment and volumes read, behind one getter interface so the
// kubelet can back it with informer caches (the normal case) or plain API GETs (tests, bootstrap).
// Contract: resolve `undefined` when the object does not exist (NotFound); reject only for real
// failures (API unreachable), which callers surface as-is and retry on the next sync.
import type { ConfigMap, PersistentVolume, PersistentVolumeClaim, Secret } from 'kubernetes-types/core/v1.js';

export interface ObjectSource {
  getConfigMap(namespace: string, name: string): Promise<ConfigMap | undefined>;
  getSecret(namespace: string, name: string): Promise<Secret | undefined>;
  getPersistentVolumeClaim(namespace: string, name: string): Promise<PersistentVolumeClaim | undefined>;
  getPersistentVolume(name: string): Promise<PersistentVolume | undefined>;
}

/** An ObjectSource over fixed lists, for tests and static pods. */
export function staticObjectSource(objs: {
  configMaps?: ConfigMap[];
  secrets?: Secret[];
  pvcs?: PersistentVolumeClaim[];
  pvs?: PersistentVolume[];
}): ObjectSource {
  const byNsName = <T extends { metadata?: { namespace?: string; name?: string } }>(list: T[] | undefined, ns: string, name: string) =>
    list?.find((o) => (o.metadata?.namespace ?? 'default') === ns && o.metadata?.name === name);
  return {
    getConfigMap: async (ns, name) => byNsName(objs.configMaps, ns, name),
    getSecret: async (ns, name) => byNsName(objs.secrets, ns, name),
    getPersistentVolumeClaim: async (ns, name) => byNsName(objs.pvcs, ns, name),
    getPersistentVolume: async (name) => objs.pvs?.find((o) => o.metadata?.name === name),
  };
}
