// End-to-end smoke with /usr/bin/kubectl (the dispatcher runs kubectl 1.31 because Skiff reports v1.31).
import { describe, before, after } from 'node:test';
import { SkiffServer } from './harness.js';
import { defineSmoke } from './smoke.js';

describe('kubectl 1.31 smoke', () => {
  let server: SkiffServer;
  before(async () => {
    // The API server alone (no controllers, no scheduler): these tests pin API behaviour, and
    // controllers would change the objects under them (endpoints, replicas, events).
    server = await SkiffServer.start(undefined, ['--disable-controller-manager', '--disable-scheduler']);
  });
  after(async () => {
    await server?.destroy();
  });
  defineSmoke(() => server, { bin: '/usr/bin/kubectl', ns: 'smoke-131', typedCreates: true });
});
