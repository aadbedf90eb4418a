import type { HealthCheck } from '../registry/types.js';
import { checkResourceOf, type CheckResource } from './checkResource.js';

/**
 * The resources that a server's built-in checks hold: each starts when its check is added and
 * stops on the server's `close()`, and all start again on a later `listen()`.
 */
export class CheckResources {
  readonly #resources = new Set<CheckResource>();
  #running = true;

  add(check: HealthCheck): void {
    const resource = checkResourceOf(check);
    if (!resource || this.#resources.has(resource)) return;
    this.#resources.add(resource);
    if (this.#running) resource.start();
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    for (const resource of this.#resources) resource.start();
  }

  stop(): void {
    if (!this.#running) return;
    this.#running = false;
    for (const resource of this.#resources) resource.stop();
  }
}
