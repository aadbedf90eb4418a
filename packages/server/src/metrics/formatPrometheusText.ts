import { METRIC_FAMILIES } from './metricFamilies.js';
import type { MetricSample } from './MetricsRecorder.js';

/** The content type of the Prometheus text exposition format that {@link formatPrometheusText} writes. */
export const PROMETHEUS_CONTENT_TYPE = 'text/plain; version=0.0.4; charset=utf-8';

/** Writes the samples of every family (as `MetricsRecorder.read()` gives them) in the text format 0.0.4. */
export function formatPrometheusText(samples: readonly (readonly MetricSample[])[]): string {
  let text = '';
  METRIC_FAMILIES.forEach((family, index) => {
    text += `# HELP ${family.name} ${family.help}\n# TYPE ${family.name} ${family.type}\n`;
    for (const sample of samples[index] ?? []) {
      let labels = '';
      for (const name in sample.labels) {
        labels += `${labels === '' ? '' : ','}${name}="${escapeLabelValue(sample.labels[name] ?? '')}"`;
      }
      text += `${family.name}{${labels}} ${String(sample.value)}\n`;
    }
  });
  return text;
}

/** A check's name may hold any character but a line break (which the registry refuses). */
function escapeLabelValue(value: string): string {
  return /[\\"\n]/.test(value) ? value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n') : value;
}
