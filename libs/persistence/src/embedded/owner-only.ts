import { chmodSync, lstatSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Makes `dir` (created when missing) and everything below it owner-only: 0700 directories, files without group or
 * other bits. Used by the embedded start, whose database files hold pupil data; it also repairs files an older
 * version left readable by everyone. Symbolic links are left alone.
 */
export function makeOwnerOnly(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (process.platform === 'win32') return;
  const visit = (path: string): void => {
    const stat = lstatSync(path);
    if (stat.isSymbolicLink()) return;
    if (stat.isDirectory()) {
      if ((stat.mode & 0o077) !== 0) chmodSync(path, stat.mode & 0o700);
      for (const name of readdirSync(path)) visit(join(path, name));
    } else if ((stat.mode & 0o077) !== 0) {
      chmodSync(path, stat.mode & 0o700);
    }
  };
  visit(dir);
}

/**
 * From here on this process creates files owner-only (umask 077): PGlite writes its files through Node's fs with
 * mode 0666. Worker threads cannot change the umask; there the directory's 0700 still keeps others out.
 */
export function ownerOnlyUmask(): void {
  try {
    process.umask(0o077);
  } catch {
    // ERR_WORKER_UNSUPPORTED_OPERATION
  }
}
