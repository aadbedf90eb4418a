// A root directory without Node, to prove that the native binary needs nothing: it holds the
// binary, the shared libraries that ldd lists for it (none: it is static), and an empty /run for
// sockets, and nothing else.
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Absolute paths of the shared libraries and the dynamic loader that `ldd` lists for `binary`;
 * none for a static executable.
 */
export function sharedLibraries(binary: string): string[] {
  const ldd = spawnSync('ldd', [binary], { encoding: 'utf8', env: { ...process.env, LC_ALL: 'C' } });
  if (ldd.status !== 0 && /not a dynamic executable/.test(ldd.stdout + ldd.stderr)) return [];
  if (ldd.status !== 0) {
    throw new Error(`ldd ${binary} exited with ${ldd.status ?? ldd.signal}: ${ldd.stderr.trim()}`);
  }
  return ldd.stdout.split('\n').flatMap((line) => {
    if (line.includes('not found')) throw new Error(`ldd ${binary}: a library is missing: ${line.trim()}`);
    // "libc.so.6 => /lib/x86_64-linux-gnu/libc.so.6 (0x…)" or "/lib64/ld-linux-x86-64.so.2 (0x…)".
    // linux-vdso.so.1 has no path: the kernel maps it into every process.
    const path = /(\/\S+) \(0x[0-9a-f]+\)$/.exec(line.trim())?.[1];
    return path ? [path] : [];
  });
}

/**
 * The program headers of an ELF file that ask for run-time linking: INTERP (a dynamic loader) and
 * DYNAMIC. A static executable has neither.
 */
export function dynamicHeaders(binary: string): string[] {
  const readelf = spawnSync('readelf', ['--program-headers', '--wide', binary], { encoding: 'utf8' });
  if (readelf.status !== 0)
    throw new Error(`readelf ${binary} exited with ${readelf.status ?? readelf.signal}: ${readelf.stderr}`);
  return readelf.stdout.split('\n').flatMap((line) => /^\s*(INTERP|DYNAMIC)\s/.exec(line)?.[1] ?? []);
}

/**
 * Fills `root` with `binary` (as /healthsock), the libraries it links and an empty /run.
 * Returns the files it holds, relative to `root`.
 */
export function populateNodelessRoot(root: string, binary: string): string[] {
  copyFileSync(binary, join(root, 'healthsock'));
  for (const library of sharedLibraries(binary)) {
    mkdirSync(join(root, dirname(library)), { recursive: true });
    // copyFileSync follows symbolic links, so the root gets the library itself, not a dangling link.
    copyFileSync(library, join(root, library));
  }
  mkdirSync(join(root, 'run'));
  return filesIn(root);
}

/** Every entry under `dir` that is not a directory, relative to `dir`. */
export function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => !entry.isDirectory())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

/**
 * How this machine can run a command inside another root: `chroot` as root, or `unshare`
 * mapping the user to root in a new user namespace where the kernel allows that. Returns the
 * command prefix, or the reason there is none.
 */
export function chrootPrefix(): { prefix: string[] } | { impossible: string } {
  if (process.platform !== 'linux') return { impossible: `chroot needs Linux, this is ${process.platform}` };
  const has = (command: string) => spawnSync('sh', ['-c', `command -v ${command}`]).status === 0;
  if (!has('chroot')) return { impossible: 'the chroot command is not installed' };
  if (process.getuid?.() === 0) return { prefix: ['chroot'] };
  if (has('unshare') && spawnSync('unshare', ['--map-root-user', 'true']).status === 0) {
    return { prefix: ['unshare', '--map-root-user', 'chroot'] };
  }
  return {
    impossible: `chroot needs root (uid is ${process.getuid?.()}) and unprivileged user namespaces are not available`,
  };
}
