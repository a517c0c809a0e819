// Image garbage collection policy (upstream pkg/kubelet/images/image_gc_manager.go): when the image
// filesystem's usage reaches highPercent, free images not used by any container, least recently used
// first, until usage would be back at lowPercent. Worked example: 100 GiB disk, 10 GiB available
// (90% used), high 85, low 80 → amountToFree = 100·(100−80)/100 − 10 = 10 GiB.
import { statfsSync } from 'node:fs';

export interface FsUsage {
  capacity: number;
  available: number;
}

export const statfsUsage = (path: string): FsUsage => {
  const s = statfsSync(path);
  return { capacity: s.blocks * s.bsize, available: s.bavail * s.bsize };
};

export interface GcCandidate {
  id: string;
  sizeBytes: number;
  /** lastUsed, else when the image arrived. */
  lastUsed: number;
}

/** Bytes to free, 0 when usage is below the high threshold. */
export function amountToFree(u: FsUsage, highPercent: number, lowPercent: number): number {
  if (u.capacity <= 0) return 0;
  const usagePercent = 100 - (u.available * 100) / u.capacity;
  if (usagePercent < highPercent) return 0;
  return Math.max(0, Math.floor((u.capacity * (100 - lowPercent)) / 100) - u.available);
}

/** The images to remove, in order: unused ones, oldest use first, until `toFree` bytes are covered. */
export function selectVictims(candidates: GcCandidate[], toFree: number): string[] {
  const out: string[] = [];
  let freed = 0;
  for (const c of [...candidates].sort((a, b) => a.lastUsed - b.lastUsed)) {
    if (freed >= toFree) break;
    out.push(c.id);
    freed += c.sizeBytes;
  }
  return out;
}
