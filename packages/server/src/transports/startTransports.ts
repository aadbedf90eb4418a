import type { Transport } from './Transport.js';

/**
 * Starts the transports in order. If one fails, those already started are stopped again
 * before the failure is passed on, so that nothing is left half-started.
 */
export async function startTransports(transports: readonly Transport[]): Promise<Transport[]> {
  const running: Transport[] = [];
  try {
    for (const transport of transports) {
      await transport.start();
      running.push(transport);
    }
  } catch (error) {
    await stopTransports(running);
    throw error;
  }
  return running;
}

/** Stops every transport at once; each removes what its start created. */
export async function stopTransports(transports: readonly Transport[]): Promise<void> {
  await Promise.all(transports.map((transport) => transport.stop()));
}
