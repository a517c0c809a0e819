// `skiff version`: Skiff's own version (package.json) and the runtime it runs on.
import { readFileSync } from 'node:fs';

export function skiffVersion(): string {
  // Compiled to dist/src/cli/version.js, three levels below the checkout root.
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export function printVersion(): number {
  process.stdout.write(`skiff v${skiffVersion()} (node ${process.version}, ${process.platform}/${process.arch})\n`);
  return 0;
}
