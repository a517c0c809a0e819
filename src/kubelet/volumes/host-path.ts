// hostPath `type` checks, as upstream pkg/volume/hostpath checkType: the *OrCreate types create a
// missing directory (0755) or file (0644, parent must exist); the others require the path to exist
// with that file type; '' (unset) checks nothing.
import { closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs';

export type HostPathType = '' | 'DirectoryOrCreate' | 'Directory' | 'FileOrCreate' | 'File' | 'Socket' | 'CharDevice' | 'BlockDevice';

/** Returns an error message (upstream wording) or '' when the path passes. */
export function checkHostPathType(path: string, type: string | undefined): string {
  if (path.split('/').includes('..')) return `invalid HostPath \`${path}\`: must not contain '..'`;
  const st = (): Stats | undefined => {
    try {
      return statSync(path);
    } catch {
      return undefined;
    }
  };
  const fail = (what: string) => `hostPath type check failed: ${path} is not a ${what}`;
  switch (type ?? '') {
    case '':
      return '';
    case 'DirectoryOrCreate':
      if (!st()) {
        try {
          mkdirSync(path, { recursive: true, mode: 0o755 });
        } catch (err) {
          return (err as Error).message;
        }
      }
      return st()?.isDirectory() ? '' : fail('directory');
    case 'Directory':
      return st()?.isDirectory() ? '' : fail('directory');
    case 'FileOrCreate':
      if (!st()) {
        try {
          closeSync(openSync(path, 'a', 0o644));
        } catch (err) {
          return (err as Error).message;
        }
      }
      return st()?.isFile() ? '' : fail('file');
    case 'File':
      return st()?.isFile() ? '' : fail('file');
    case 'Socket':
      return st()?.isSocket() ? '' : fail('socket file');
    case 'CharDevice':
      return st()?.isCharacterDevice() ? '' : fail('character device');
    case 'BlockDevice':
      return st()?.isBlockDevice() ? '' : fail('block device');
    default:
      return `${type} is an invalid volume type`;
  }
}
