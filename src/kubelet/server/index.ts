// The kubelet streaming server's public surface.
export { startKubeletServer, streamSessions, type KubeletServerOptions, type RunningKubeletServer, type StreamSessionEvent } from './server.js';
export { StreamingError, type StreamingBackend, type ResolvedContainer, type StreamingErrorCode } from './backend.js';
export { kubeletServingCert } from './serving-cert.js';
