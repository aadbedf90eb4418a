import { METRIC_FAMILIES } from './metricFamilies.js';
import type { MetricSample } from './MetricsRecorder.js';

/** The content type of the Prometheus text exposition format that {@link formatPrometheusText} writes. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Writes the samples of every family (as `MetricsRecorder.read()` gives them) in the text format 0.0.4. */
export function formatPrometheusText(samples: readonly (readonly MetricSample[])[]): string {
  let text = '';
  METRIC_FAMILIES.forEach((family, index) => {
    text += `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of samples[index] ?? [])
      text += `${family.name}{${labelText(sample.labels)}} ${String(sample.value)}\n`;
  });
  return text;
}

/** The recorder keeps one labels object per series, so each is written once, not at every scrape. */
const written = new WeakMap<object, string>();

function labelText(labels: Readonly<Record<string, string>>): string {
  let text = written.get(labels);
  if (text === undefined) {
    text = Object.entries(labels)
      .map(([name, value]) => `${name}="${escapeLabelValue(value)}"`)
      .join(',');
    written.set(labels, text);
  }
  return text;
}

/** A check's name may hold any character but a line break (which the registry refuses). */
function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;
}
