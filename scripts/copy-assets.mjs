// Copies non-TypeScript assets (JSON data such as generated OpenAPI schemas) from src/ into dist/src/
// so that compiled code can load them beside itself.
import { cpSync, readdirSync, statSync, mkdirSync } from 'node:fs';
import { join, dirname } from 'node:path';

function walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path);
    else if (name.endsWith('.json')) {
      const dest = join('dist', path);
      mkdirSync(dirname(dest), { recursive: true });
      cpSync(path, dest);
    }
  }
}
walk('src');
