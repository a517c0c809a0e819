// The typed error for a volume that cannot be set up. The kubelet reports it like upstream's
// `FailedMount` event: `MountVolume.SetUp failed for volume "<volume>" : <message>`, and retries.
export type VolumeErrorCode =
  | 'UnsupportedVolumeType'
  | 'HostPathTypeCheck'
  | 'InvalidPath'
  | 'ConfigMapNotFound'
  | 'SecretNotFound'
  | 'KeyNotFound'
  | 'FieldRef'
  | 'PVCNotBound'
  | 'PVNotFound'
  | 'UnsupportedPersistentVolume'
  | 'MountFailed';

export class VolumeError extends Error {
  constructor(
    readonly code: VolumeErrorCode,
    readonly volume: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'VolumeError';
  }

  /** Upstream's event message for this failure. */
  eventMessage(): string {
    return `MountVolume.SetUp failed for volume "${this.volume}" : ${this.message}`;
  }
}
