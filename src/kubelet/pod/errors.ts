// The typed error for a container that cannot be configured. Like EnvVarError, the kubelet shows it
// as waiting reason `CreateContainerConfigError` with `message` (upstream's wording) and retries.
export type ContainerConfigErrorCode =
  | 'RunAsNonRoot'
  | 'NonNumericUser'
  | 'UserNotFound'
  | 'VolumeNotFound'
  | 'InvalidSubPath'
  | 'NoCommand';

export class ContainerConfigError extends Error {
  readonly reason = 'CreateContainerConfigError';
  constructor(
    readonly code: ContainerConfigErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'ContainerConfigError';
  }
}

/** Upstream format.Pod: `name_namespace(uid)`. */
export function formatPod(pod: { metadata?: { name?: string; namespace?: string; uid?: string } }): string {
  const md = pod.metadata ?? {};
  return `${md.name ?? ''}_${md.namespace ?? ''}(${md.uid ?? ''})`;
}
