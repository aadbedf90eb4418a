import { Counter, Gauge, register, type Registry } from 'prom-client';
import type { HealthServer } from '../HealthServer.js';
import { invalidOption } from '../options/validators.js';
import { METRIC_FAMILIES } from './metricFamilies.js';
import { recorderOf } from './recorderOf.js';

/**
 * Adds healthsock's series to an application's prom-client registry (its default registry unless
 * one is given), beside its own metrics. They are read from the latest results at each collection:
 * a scrape never runs a check. Returns a function that removes them again.
 */
export function registerPrometheus(health: HealthServer, registry: Registry = register): () => void {
  const recorder = recorderOf(health, 'registerPrometheus');
  if (typeof registry?.getSingleMetric !== 'function' || typeof registry.registerMetric !== 'function') {
    throw invalidOption(
      `registerPrometheus needs a prom-client Registry, got ${registry === null ? 'null' : typeof registry}`,
    );
  }
  // Checked before any is added, so that a second registration adds nothing rather than half.
  const taken = METRIC_FAMILIES.find((family) => registry.getSingleMetric(family.name) !== undefined);
  if (taken) {
    throw invalidOption(
      `registerPrometheus: the registry already has a metric named ${taken.name}; register healthsock once per registry`,
    );
  }
  METRIC_FAMILIES.forEach((family, index) => {
    const config = { name: family.name, help: family.help, labelNames: family.labelNames, registers: [registry] };
    if (family.type === 'counter') {
      new Counter({
        ...config,
        collect() {
          this.reset();
          for (const sample of recorder.read()[index] ?? []) this.inc(sample.labels, sample.value);
        },
      });
    } else {
      new Gauge({
        ...config,
        collect() {
          this.reset();
          for (const sample of recorder.read()[index] ?? []) this.set(sample.labels, sample.value);
        },
      });
    }
  });
  return () => {
    for (const family of METRIC_FAMILIES) registry.removeSingleMetric(family.name);
  };
}
