export { DriftMetrics } from './drift-metrics.service';
export { MetricsRegistry } from './metrics-registry';
