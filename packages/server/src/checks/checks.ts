// The built-in checks, exported from the package as the `checks` namespace.
export { eventLoopDelay } from './eventLoopDelay.js';
export { heap } from './heap.js';
export { http } from './http.js';
export { inflight } from './inflight.js';
export { lanes } from './lanes.js';
export { progress } from './progress.js';
export { tcp } from './tcp.js';
