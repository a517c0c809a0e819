// End-to-end smoke with /usr/lib/google-cloud-sdk/bin/kubectl.1.33 (typed creates send protobuf: manifests are used instead).
import { describe, before, after } from 'node:test';
import { SkiffServer } from './harness.js';
import { defineSmoke } from './smoke.js';

describe('kubectl 1.33 smoke', () => {
  let server: SkiffServer;
  before(async () => {
    server = await SkiffServer.start();
  });
  after(async () => {
    await server?.destroy();
  });
  defineSmoke(() => server, { bin: '/usr/lib/google-cloud-sdk/bin/kubectl.1.33', ns: 'smoke-133', typedCreates: false });
});
