declare const __HEALTHSOCK_VERSION__: string | undefined;

/** The package version, stamped in at build time; unbuilt sources report a dev version. */
export const VERSION = typeof __HEALTHSOCK_VERSION__ === 'string' ? __HEALTHSOCK_VERSION__ : '0.0.0-dev';

/**
 * What `--version` prints: the version and the Node that runs it, e.g. `0.1.0 (Node.js v24.21.0)`,
 * or `0.1.0 (embedded Node.js v24.21.0)` for the single executable, so that a user can answer a
 * security scanner that asks which runtime a binary carries.
 */
export async function versionText(): Promise<string> {
  return `${VERSION} (${(await isSingleExecutable()) ? 'embedded ' : ''}Node.js ${process.version})`;
}

async function isSingleExecutable(): Promise<boolean> {
  try {
    // node:sea exists from Node 20.12 on; before that nothing can be a single executable.
    const { isSea } = await import('node:sea');
    return isSea();
  } catch {
    return false;
  }
}
