// `skiff image ls|pull|rm|import`: the node's image store from the command line, as `crictl images`
// / `crictl pull` / `crictl rmi` and `ctr images import` on a k3s node. Works on the same store the
// agent uses (<data-dir>/agent/images), with mirrors from <data-dir>/registries.yaml.
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultDataDir } from './data-dir.js';
import { IMAGE_USAGE } from './usage.js';
import { ImageStore } from '../kubelet/images/store.js';
import { loadRegistriesConfig } from '../kubelet/images/registries-config.js';
import { ImageError } from '../kubelet/images/errors.js';
import { parseReference, repositoryName } from '../kubelet/images/reference.js';
import type { ImageRecord } from '../kubelet/images/types.js';

/** docker/go-units HumanSizeWithPrecision(size, 3), as crictl prints sizes: 2.23MB, 689kB. */
export function humanSize(bytes: number): string {
  const units = ['B', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let size = bytes;
  let i = 0;
  while (size >= 1000 && i < units.length - 1) {
    size /= 1000;
    i++;
  }
  return `${Number(size.toPrecision(3))}${units[i]}`;
}

/** crictl's table: one row per tag (untagged images show <none>), columns padded as its tabwriter. */
export function formatImageTable(images: ImageRecord[]): string {
  const rows: string[][] = [['IMAGE', 'TAG', 'IMAGE ID', 'SIZE']];
  for (const img of images) {
    const id = img.id.replace(/^sha256:/, '').slice(0, 13);
    const size = humanSize(img.sizeBytes);
    const tagged = img.repoTags.map((t) => {
      const r = parseReference(t);
      return [repositoryName(r), r.tag ?? '<none>'];
    });
    if (tagged.length === 0) {
      const repo = img.repoDigests[0]?.split('@')[0] ?? '<none>';
      tagged.push([repo, '<none>']);
    }
    for (const [repo, tag] of tagged) rows.push([repo, tag, id, size]);
  }
  const widths = rows[0].map((_, c) => Math.max(20, ...rows.map((r) => r[c].length + 3)));
  return rows.map((r) => r.map((cell, c) => (c === r.length - 1 ? cell : cell.padEnd(widths[c]))).join('').trimEnd() + '\n').join('');
}

export async function runImage(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    options: {
      'data-dir': { type: 'string' },
      registries: { type: 'string' },
      'disable-default-registry-endpoint': { type: 'boolean', default: false },
      quiet: { type: 'boolean', short: 'q', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
    allowPositionals: true,
  });
  const [sub, ...operands] = positionals;
  if (values.help || sub === undefined || sub === 'help') {
    process.stdout.write(IMAGE_USAGE);
    return values.help || sub === 'help' ? 0 : 2;
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const registries = loadRegistriesConfig(values.registries ?? join(dataDir, 'registries.yaml'));
  if (values['disable-default-registry-endpoint']) registries.disableDefaultEndpoint = true;
  const store = new ImageStore({ root: join(dataDir, 'agent', 'images'), registries });
  const need = (what: string) => {
    if (operands.length === 0) throw Object.assign(new Error(`skiff image ${sub}: ${what} required`), { code: 'ERR_PARSE_ARGS_USAGE' });
  };
  try {
    switch (sub) {
      case 'ls':
      case 'list': {
        const images = store.list().sort((a, b) => (a.repoTags[0] ?? a.id).localeCompare(b.repoTags[0] ?? b.id));
        process.stdout.write(values.quiet ? images.map((i) => `${i.id}\n`).join('') : formatImageTable(images));
        return 0;
      }
      case 'pull':
        need('an image reference is');
        for (const ref of operands) {
          const img = await store.pull(ref);
          process.stdout.write(`Image is up to date for ${img.id}\n`);
        }
        return 0;
      case 'rm':
      case 'rmi': {
        need('an image reference or ID is');
        let failed = 0;
        for (const ref of operands) {
          const img = store.get(ref);
          if (!img || !(await store.remove(ref))) {
            process.stderr.write(`skiff: no such image "${ref}"\n`);
            failed++;
            continue;
          }
          for (const name of img.repoTags.length ? img.repoTags : [img.id]) process.stdout.write(`Deleted: ${name}\n`);
        }
        return failed ? 1 : 0;
      }
      case 'import':
        need('an archive is');
        for (const file of operands) {
          for (const img of await store.import(resolve(file))) {
            process.stdout.write(`unpacking ${img.repoTags[0] ?? img.id} (${img.id})...done\n`);
          }
        }
        return 0;
      default:
        process.stderr.write(`skiff image: unknown command "${sub}"\n\n${IMAGE_USAGE}`);
        return 2;
    }
  } catch (e) {
    if (e instanceof ImageError) {
      process.stderr.write(`skiff: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}
