// Table tests of `skiff image ls` formatting (crictl images' columns and size units).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatImageTable, humanSize } from './image.js';

test('humanSize matches go-units HumanSizeWithPrecision(size, 3)', () => {
  for (const [n, s] of [[0, '0B'], [689, '689B'], [1000, '1kB'], [2_234_567, '2.23MB'], [2_200_000, '2.2MB'], [4_860_000_000, '4.86GB']] as const) assert.equal(humanSize(n), s);
});

test('image table: one row per tag, <none> for untagged images', () => {
  const id = `sha256:${'ab'.repeat(32)}`;
  const out = formatImageTable([
    { id, repoTags: ['docker.io/library/busybox:latest', 'localhost:5000/a/b:t'], repoDigests: [], sizeBytes: 2_234_567, config: {}, layerDirs: [] },
    { id: `sha256:${'cd'.repeat(32)}`, repoTags: [], repoDigests: [`docker.io/library/x@sha256:${'0'.repeat(64)}`], sizeBytes: 10, config: {}, layerDirs: [] },
  ]);
  assert.equal(
    out,
    [
      'IMAGE                       TAG                 IMAGE ID            SIZE',
      'docker.io/library/busybox   latest              ababababababa       2.23MB',
      'localhost:5000/a/b          t                   ababababababa       2.23MB',
      'docker.io/library/x         <none>              cdcdcdcdcdcdc       10B',
      '',
    ].join('\n'),
  );
});
