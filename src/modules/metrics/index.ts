export { DriftMetrics } from './drift-metrics.service';
