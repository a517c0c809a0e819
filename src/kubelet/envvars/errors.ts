// The typed error for a container environment that cannot be built. The kubelet reports it as the
// container's waiting reason `CreateContainerConfigError` with `message`, exactly as upstream does,
// and retries on the next pod sync (the ConfigMap may appear later).
export type EnvVarErrorCode =
  | 'ConfigMapNotFound'
  | 'ConfigMapKeyNotFound'
  | 'SecretNotFound'
  | 'SecretKeyNotFound'
  | 'InvalidFieldPath'
  | 'InvalidResourceField';

export class EnvVarError extends Error {
  /** The waiting reason the kubelet shows for this error. */
  readonly reason = 'CreateContainerConfigError';
  constructor(
    readonly code: EnvVarErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'EnvVarError';
  }
}
