// The client side of the control loop: what every controller and the scheduler are built from. They
// talk to the API server only through these pieces (KubeClient, SharedInformer, WorkQueue, LeaderElector).
export { KubeClient, loadKubeconfig, resourcePath, type ClientConfig, type ResourceRef, type WatchEvent, type WatchOptions, type ListOptions, type KubeList, type WatchHandle, type PatchType } from './http-client.js';
export { SharedInformer, type EventHandlers, type InformerOptions, type ListerWatcher } from './informer.js';
export { Store, metaNamespaceKey, splitMetaNamespaceKey, NAMESPACE_INDEX, namespaceIndexFunc, type IndexFunc, type Indexers, type MetaObject } from './store.js';
export { WorkQueue } from './workqueue.js';
export { type RateLimiter, ItemExponentialFailureRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from './rate-limiter.js';
export { LeaderElector, type LeaderElectionConfig } from './leader-election.js';
export { newEventRecorder, objectReference, type EventRecorder, type EventType, type EventExtras } from './event-recorder.js';
