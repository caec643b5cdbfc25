/**
 * The tenant's channels and WhatsApp linking (tenant API):
 *  GET  /api/tenant/channels → {channels: [{id, type, provider, address, status, createdAt, link?}]}  (read)
 *       `link` (WhatsApp only) = {status, reason?, updatedAt} — see channel-link-state.ts.
 *  GET  /api/tenant/channels/:id/link → {status, reason?, qr?, pairingCode?, updatedAt}  (settings)
 *  POST /api/tenant/channels/:id/link → same; (re)starts linking, e.g. after a logout  (settings)
 *  POST /api/tenant/channels/:id/pairing-code {phone: E.164} → 200 {…link, pairingCode} once
 *       WhatsApp gave one (Baileys `requestPairingCode`), else 202 {…link} (the code follows as the
 *       SSE event `whatsapp.pairing_code` and in GET …/link)  (settings)
 * Linking needs `settings` (admin/owner): whoever scans the QR or types the code becomes the
 * business's WhatsApp number. Another tenant's channel → 404; a non-WhatsApp channel → 409;
 * already connected → 409; no WhatsApp manager in this process → 503. Link requests are audited
 * (channel.link).
 */
import { Type, type FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest, preValidationAsyncHookHandler } from 'fastify';
import { audit } from '../../../core/services/tenancy/audit.ts';
import { getTenantChannel, listTenantChannels, type TenantChannel } from '../../../core/services/tenancy/tenant-channels.ts';
import { AppError } from '../../../core/errors.ts';
import { isUuid } from '../../../core/uuid.ts';
import { DateTime, IdParams, notFound, Nullable, withErrors } from '../../schemas/common.ts';
import { linkView } from './channel-link-state.ts';

const PairingBody = Type.Object(
  { phone: Type.String({ pattern: '^\\+?[1-9][0-9]{6,14}$', description: 'E.164, e.g. +254712345678' }) },
  { additionalProperties: false },
);
/** channel-link-state.ts LinkView. */
const LinkView = Type.Object({
  status: Type.String({ description: 'idle | standby | linking | connecting | connected | reconnecting | logged_out | stopped' }),
  reason: Type.Optional(Nullable(Type.String())),
  qr: Type.Optional(Type.String({ description: 'data:image/svg+xml;base64,… while linking' })),
  pairingCode: Type.Optional(Type.String({ description: '8 characters, after a pairing-code request' })),
  updatedAt: DateTime,
});
/** core/services/tenancy/tenant-channels.ts TenantChannel (credentials are never part of it). */
const Channel = Type.Object({
  id: Type.String(),
  type: Type.Union([Type.Literal('sms'), Type.Literal('whatsapp'), Type.Literal('webchat')]),
  provider: Type.String(),
  address: Type.String(),
  status: Type.String(),
  createdAt: DateTime,
  link: Type.Optional(Type.Object({ status: Type.String(), reason: Type.Optional(Nullable(Type.String())), updatedAt: DateTime })),
});
/** How long POST …/pairing-code waits for WhatsApp's code before answering 202 (ms). */
const PAIRING_WAIT_MS = 5_000;

export const tenantChannelRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const { db, bus } = app.deps;
  const manager = () => app.deps.whatsapp;

  // Ownership is checked in preValidation, before the body is, so another tenant's id answers
  // 404 whatever the body (the cross-tenant sweep relies on that); a malformed id is left to the
  // params schema (400).
  const resolved = new WeakMap<FastifyRequest, TenantChannel>();
  const resolveChannel: preValidationAsyncHookHandler = async (req) => {
    const id = (req.params as { id?: string }).id ?? '';
    if (!isUuid(id)) return;
    const ch = await db.withTenant(req.auth!.tenant!.id, (tx) => getTenantChannel(tx, id));
    if (!ch) throw notFound('channel');
    if (!ch.link) throw new AppError('not_whatsapp', 'Only WhatsApp channels are linked here');
    resolved.set(req, ch);
  };
  const whatsappChannel = (req: FastifyRequest) => resolved.get(req)!;
  function linkingManager(ch: TenantChannel) {
    const m = manager();
    if (!m) throw new AppError('whatsapp_unavailable', 'WhatsApp is not running in this server process');
    if (m.linkState(ch.id)?.status === 'connected') throw new AppError('already_linked', 'This WhatsApp number is already linked');
    return m;
  }
  const auditLink = (req: FastifyRequest, ch: TenantChannel, method: 'qr' | 'pairing_code') =>
    audit(db, { tenantId: req.auth!.tenant!.id, actorType: 'tenant_user', actorId: req.auth!.sub, action: 'channel.link', target: ch.id, data: { method }, ip: req.ip });

  app.get('/api/tenant/channels', { schema: { response: withErrors({ 200: Type.Object({ channels: Type.Array(Channel) }) }) }, preHandler: app.requireTenantRole('read') }, async (req) => {
    const rows = await db.withTenant(req.auth!.tenant!.id, (tx) => listTenantChannels(tx));
    const channels = await Promise.all(
      rows.map(async (ch) => {
        const { link, ...rest } = ch;
        if (!link) return rest;
        const { status, reason, updatedAt } = await linkView(manager(), { ...ch, link });
        return { ...rest, link: { status, reason, updatedAt } };
      }),
    );
    return { channels };
  });

  app.get(
    '/api/tenant/channels/:id/link',
    { schema: { params: IdParams, response: withErrors({ 200: LinkView }) }, preValidation: resolveChannel, preHandler: app.requireTenantRole('settings') },
    async (req) => linkView(manager(), whatsappChannel(req)),
  );

  app.post(
    '/api/tenant/channels/:id/link',
    { schema: { params: IdParams, response: withErrors({ 200: LinkView }) }, preValidation: resolveChannel, preHandler: app.requireTenantRole('settings') },
    async (req) => {
      const ch = whatsappChannel(req);
      await linkingManager(ch).ensureChannel(ch.id);
      await auditLink(req, ch, 'qr');
      return linkView(manager(), ch);
    },
  );

  app.post(
    '/api/tenant/channels/:id/pairing-code',
    { schema: { params: IdParams, body: PairingBody, response: withErrors({ 200: LinkView, 202: LinkView }) }, preValidation: resolveChannel, preHandler: app.requireTenantRole('settings') },
    async (req, reply) => {
      const ch = whatsappChannel(req);
      const m = linkingManager(ch);
      // Listen before asking: the code may arrive while requestPairingCode is still running.
      let got!: () => void;
      const arrived = new Promise<void>((r) => (got = r));
      const unsubscribe = await bus.subscribe(`whatsapp:${ch.id}`, (e) => void (e.type === 'whatsapp.pairing_code' && got()));
      const timer = setTimeout(got, PAIRING_WAIT_MS);
      try {
        await m.requestPairingCode(ch.id, req.body.phone);
        await auditLink(req, ch, 'pairing_code');
        if (!m.linkState(ch.id)?.pairingCode) await arrived;
      } finally {
        clearTimeout(timer);
        await unsubscribe();
      }
      const view = await linkView(m, ch);
      return reply.status(view.pairingCode ? 200 : 202).send(view);
    },
  );
};
