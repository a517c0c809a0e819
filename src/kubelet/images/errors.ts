// Typed errors of the image manager. Each failure has one class-independent stable `code` so the
// kubelet can map it to a container waiting reason (ErrImagePull, ErrImageNeverPull,
// InvalidImageName) without parsing messages; messages follow containerd's wording because
// `kubectl describe pod` shows them verbatim on upstream nodes.
export type ImageErrorCode =
  | 'ERR_INVALID_REFERENCE' // InvalidImageName
  | 'ERR_IMAGE_NOT_FOUND' // manifest 404 on every endpoint
  | 'ERR_UNAUTHORIZED' // 401/403 after authenticating
  | 'ERR_REGISTRY_UNAVAILABLE' // network error or 5xx on every endpoint
  | 'ERR_UNEXPECTED_STATUS' // any other HTTP status
  | 'ERR_DIGEST_MISMATCH' // content does not hash to its descriptor
  | 'ERR_SIZE_MISMATCH'
  | 'ERR_UNSUPPORTED_MEDIA_TYPE' // schema1, unknown manifest types
  | 'ERR_UNSUPPORTED_COMPRESSION' // zstd layers (Node 20 has no zstd)
  | 'ERR_NO_MATCHING_PLATFORM' // index without linux/amd64
  | 'ERR_BAD_ARCHIVE' // import of something that is neither docker-save nor OCI layout
  | 'ERR_BAD_CONFIG' // registries.yaml that cannot be read
  | 'ERR_ABORTED';

export class ImageError extends Error {
  readonly code: ImageErrorCode;
  constructor(code: ImageErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ImageError';
    this.code = code;
  }
}

export const isImageError = (e: unknown, code?: ImageErrorCode): e is ImageError =>
  e instanceof ImageError && (code === undefined || e.code === code);
