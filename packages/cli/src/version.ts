declare const __HEALTHSOCK_VERSION__: string | undefined;

/** The package version, stamped in at build time; unbuilt sources report a dev version. */
export const VERSION = typeof __HEALTHSOCK_VERSION__ === 'string' ? __HEALTHSOCK_VERSION__ : '0.0.0-dev';
