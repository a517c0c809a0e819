// End-to-end smoke with /usr/lib/google-cloud-sdk/bin/kubectl.1.27 (the oldest supported client).
import { describe, before, after } from 'node:test';
import { SkiffServer } from './harness.js';
import { defineSmoke } from './smoke.js';

describe('kubectl 1.27 smoke', () => {
  let server: SkiffServer;
  before(async () => {
    // The API server alone (no controllers, no scheduler): these tests pin API behaviour, and
    // controllers would change the objects under them (endpoints, replicas, events).
    server = await SkiffServer.start(undefined, ['--disable-controller-manager', '--disable-scheduler']);
  });
  after(async () => {
    await server?.destroy();
  });
  defineSmoke(() => server, { bin: '/usr/lib/google-cloud-sdk/bin/kubectl.1.27', ns: 'smoke-127', typedCreates: true });
});
