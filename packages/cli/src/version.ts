declare const __HEALTHSOCK_VERSION__: string | undefined;

/** The package version, stamped in at build time; unbuilt sources report a dev version. */
export const VERSION = typeof __HEALTHSOCK_VERSION__ === 'string' ? __HEALTHSOCK_VERSION__ : '0.0.0-dev';

/**
 * What `--version` prints: the version and the Node that runs it, e.g. `0.1.0 (Node.js v24.21.0)`.
 * The native build prints its own line, which names no Node (packages/cli/native).
 */
export async function versionText(): Promise<string> {
  return `${VERSION} (Node.js ${process.version})`;
}
