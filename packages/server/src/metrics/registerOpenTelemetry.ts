import { metrics, type BatchObservableCallback, type Observable } from '@opentelemetry/api';
import type { HealthServer } from '../HealthServer.js';
import { METRIC_FAMILIES } from './metricFamilies.js';
import { recorderOf } from './recorderOf.js';

/**
 * Creates healthsock's series as observable gauges and an observable counter on the meter of
 * `@opentelemetry/api`'s global meter provider, so call it after the SDK is set up; without an
 * SDK, the API's no-op meter makes it cost nothing. Values are read from the latest results at
 * each collection: a collection never runs a check. Returns a function that stops observing.
 */
export function registerOpenTelemetry(health: HealthServer): () => void {
  const recorder = recorderOf(health, 'registerOpenTelemetry');
  const meter = metrics.getMeter('@healthsock/server');
  const instruments: Observable[] = METRIC_FAMILIES.map((family) => {
    const options = { description: family.help, ...(family.unit ? { unit: family.unit } : {}) };
    return family.type === 'counter'
      ? meter.createObservableCounter(family.name, options)
      : meter.createObservableGauge(family.name, options);
  });
  const observe: BatchObservableCallback = (result) => {
    recorder.read().forEach((samples, index) => {
      const instrument = instruments[index];
      if (!instrument) return;
      for (const sample of samples) result.observe(instrument, sample.value, sample.labels);
    });
  };
  meter.addBatchObservableCallback(observe, instruments);
  return () => meter.removeBatchObservableCallback(observe, instruments);
}
