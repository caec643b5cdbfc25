/**
 * Router gauges on the process registry (served at GET /metrics with the counters in
 * core/metrics.ts): this process's last-seen breaker state per provider and its real-time share.
 */
import { Gauge } from 'prom-client';
import { registry } from '../../core/metrics.ts';

export const llmBreakerState = new Gauge({
  name: 'aizalo_llm_breaker_state',
  help: 'LLM circuit breaker state per provider as last seen by this process: 0 closed, 1 half-open, 2 open.',
  labelNames: ['provider'] as const,
  registers: [registry],
});

export const llmRealtimeShare = new Gauge({
  name: 'aizalo_llm_realtime_share',
  help: 'Share (0..1) of LLM turns routed real-time over the rolling window, in this process.',
  registers: [registry],
});
