/**
 * Prometheus metrics (prom-client), one registry per process, served at GET /metrics.
 * Names are part of the public contract: aizalo_llm_requests_total{provider,outcome},
 * aizalo_messages_total{channel,direction}.
 */
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'aizalo_' });

export const messagesTotal = new Counter({
  name: 'aizalo_messages_total',
  help: 'Messages stored, by channel type and direction (inbound/outbound).',
  labelNames: ['channel', 'direction'] as const,
  registers: [registry],
});

export const llmRequestsTotal = new Counter({
  name: 'aizalo_llm_requests_total',
  help: 'LLM provider attempts by provider and outcome (ok, server, timeout, rate_limited, ...).',
  labelNames: ['provider', 'outcome'] as const,
  registers: [registry],
});

export const llmLatency = new Histogram({
  name: 'aizalo_llm_latency_seconds',
  help: 'LLM attempt latency in seconds, by provider and outcome.',
  labelNames: ['provider', 'outcome'] as const,
  buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 16, 30],
  registers: [registry],
});

export const jobsTotal = new Counter({
  name: 'aizalo_jobs_total',
  help: 'Queue jobs finished, by queue and outcome (completed, failed, retried).',
  labelNames: ['queue', 'outcome'] as const,
  registers: [registry],
});

export const outboundSendsTotal = new Counter({
  name: 'aizalo_outbound_sends_total',
  help: 'Outbound sends through a channel adapter, by provider and outcome.',
  labelNames: ['provider', 'outcome'] as const,
  registers: [registry],
});

export const queueDepth = new Gauge({
  name: 'aizalo_queue_depth',
  help: 'Jobs waiting or delayed, by queue (sampled on scrape).',
  labelNames: ['queue'] as const,
  registers: [registry],
});
