// End-to-end smoke with /usr/bin/kubectl (the dispatcher runs kubectl 1.31 because Skiff reports v1.31).
import { describe, before, after } from 'node:test';
import { SkiffServer } from './harness.js';
import { defineSmoke } from './smoke.js';

describe('kubectl 1.31 smoke', () => {
  let server: SkiffServer;
  before(async () => {
    server = await SkiffServer.start();
  });
  after(async () => {
    await server?.destroy();
  });
  defineSmoke(() => server, { bin: '/usr/bin/kubectl', ns: 'smoke-131', typedCreates: true });
});
