// Defaulted objects for the validation tables: what the server hands to validation after defaulting.
import type { PodTemplateSpec } from 'kubernetes-types/core/v1.js';

export function podTemplate(labels: Record<string, string> = { app: 'web' }, restartPolicy = 'Always'): PodTemplateSpec {
  return {
    metadata: { labels },
    spec: {
      restartPolicy,
      dnsPolicy: 'ClusterFirst',
      terminationGracePeriodSeconds: 30,
      containers: [{ name: 'c', image: 'nginx', imagePullPolicy: 'Always', terminationMessagePolicy: 'File', terminationMessagePath: '/dev/termination-log' }],
    },
  };
}
