// Entry point of the storage layer: opens a backend from a URL through a registry of drivers keyed
// by URL scheme, like kine's endpoint selection. `sqlite:///abs/path/state.db` (or a bare path) is
// the embedded default; the etcd backend registers `etcd://` / `etcds://` when it lands.
import type { Storage } from './interface.js';
import { openSqliteStorage } from './sqlite/index.js';

export * from './interface.js';
export { openSqliteStorage, startCompactor } from './sqlite/index.js';
export { createCacher, type Cacher, type CacherOptions } from './cacher/index.js';

/** Opens a backend; `location` is the URL with its `scheme://` removed. */
export type StorageDriver = (location: string, url: string) => Promise<Storage>;

const drivers = new Map<string, StorageDriver>();

/** Registers (or replaces) the driver for a URL scheme, e.g. 'etcd'. */
export function registerStorageDriver(scheme: string, driver: StorageDriver): void {
  drivers.set(scheme.toLowerCase(), driver);
}

registerStorageDriver('sqlite', async (location) => openSqliteStorage(location));

/**
 * Opens storage from a URL: `sqlite:///var/lib/skiff/state.db`, a bare path (= sqlite), or any
 * registered scheme. Throws for an unknown scheme, listing the known ones.
 */
export async function openStorage(url: string): Promise<Storage> {
  const m = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(url);
  const scheme = m ? m[1]!.toLowerCase() : 'sqlite';
  const location = m ? m[2]! : url;
  const driver = drivers.get(scheme);
  if (!driver) throw new Error(`unknown storage scheme "${scheme}" in ${url} (known: ${[...drivers.keys()].join(', ')})`);
  if (!location) throw new Error(`storage URL ${url} has no location`);
  return driver(location, url);
}
