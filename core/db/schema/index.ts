/** All Drizzle tables; each area of the product adds its own file and re-exports it here. */
export * from './core.ts';
export * from './agents.ts';
export * from './billing.ts';
export * from './handoff.ts';
export * from './whatsapp.ts';
export * from './campaigns.ts';
export * from './guard.ts';
export * from './sessions.ts';
