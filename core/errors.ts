/**
 * The one error model. `ERROR_CODES` is the catalogue of every machine code an error may carry
 * (code → HTTP status + one-line meaning); `AppError` is the one error class, built from a code of
 * the catalogue, so a status can never disagree with its code. Services and routes throw it; the
 * gateway's error handler (gateway/errors.ts) answers `{ error: { code, message, requestId } }`
 * and the CLI prints the message. The README's "Error codes" table and the OpenAPI error schema
 * (`code` as an enum) are generated from / checked against this object.
 * Subclass per meaning (`class InviteError extends AppError`) where callers use `instanceof`.
 */
export const ERROR_CODES = {
  // 400: the request is malformed or breaks an input rule; nothing was written.
  bad_request: { status: 400, meaning: 'The request is malformed (body, query or parameters fail the route schema)' },
  invalid_id: { status: 400, meaning: 'An id is not a UUID' },
  weak_password: { status: 400, meaning: 'The new password does not meet the password rules' },
  invalid_tenant: { status: 400, meaning: 'Tenant fields are invalid (slug, industry, plan)' },
  invalid_payment: { status: 400, meaning: 'Payment fields are invalid (amount, period, tenant)' },
  invalid_sales_input: { status: 400, meaning: 'Sales team input is invalid (rates, stage, rep)' },
  invalid_invite: { status: 400, meaning: 'The invite token is unknown, used or expired' },
  invalid_booking: { status: 400, meaning: 'Booking or resource fields are invalid (times, hours, capacity)' },
  invalid_price_rule: { status: 400, meaning: 'A price rule is inconsistent (e.g. floor above list price)' },
  invalid_document: { status: 400, meaning: 'A knowledge document is invalid (empty, too large, bad FAQ format)' },
  invalid_assignee: { status: 400, meaning: 'The user cannot own conversations (unknown, or a viewer)' },
  invalid_message: { status: 400, meaning: 'A staff reply is empty or too long' },
  invalid_text: { status: 400, meaning: 'A campaign text is empty or too long' },
  unsupported_channel: { status: 400, meaning: 'The channel type cannot be used for this (e.g. campaigns over web chat)' },
  channel_inactive: { status: 400, meaning: 'The channel is not active' },
  content_not_approved: { status: 400, meaning: 'The content item must be approved first' },
  invalid_characters: { status: 400, meaning: 'Text input holds NUL, a lone surrogate or a noncharacter' },
  // 401: who is asking is unknown.
  unauthorized: { status: 401, meaning: 'Not signed in, or the session expired or was revoked' },
  invalid_credentials: { status: 401, meaning: 'Wrong email, password or business' },
  // 403: known caller, not allowed.
  forbidden: { status: 403, meaning: "The caller's role does not allow this" },
  tenant_suspended: { status: 403, meaning: 'The business account is suspended' },
  view_as_expired: { status: 403, meaning: 'The time-boxed view-as-tenant session has ended' },
  wrong_password: { status: 403, meaning: 'The current password is wrong' },
  bad_signature: { status: 403, meaning: 'A webhook signature does not match (or the destination is unknown)' },
  bad_token: { status: 403, meaning: 'A webhook URL token is missing or wrong' },
  cross_site: { status: 403, meaning: 'A state-changing API request came from another origin (Origin / Sec-Fetch-Site)' },
  // 404: nothing there for this caller (another tenant's rows read as not found).
  not_found: { status: 404, meaning: "No such resource, route, or it belongs to another tenant" },
  unknown_destination: { status: 404, meaning: 'No channel receives messages at this address' },
  unknown_tenant: { status: 404, meaning: 'No tenant with this slug or id' },
  channel_not_found: { status: 404, meaning: 'No such channel in this business' },
  content_not_found: { status: 404, meaning: 'No such content item in this business' },
  // 409: the request is valid but the current state forbids it.
  conflict: { status: 409, meaning: 'The change conflicts with existing data (e.g. a duplicate name)' },
  channel_exists: { status: 409, meaning: 'A channel with this address exists' },
  tenant_exists: { status: 409, meaning: 'A tenant with this slug exists' },
  payment_reference_conflict: { status: 409, meaning: 'The payment reference was used with different details' },
  invalid_transition: { status: 409, meaning: 'The item is not in a state that allows this step' },
  not_whatsapp: { status: 409, meaning: 'Only WhatsApp channels can be linked' },
  already_linked: { status: 409, meaning: 'This WhatsApp number is already linked' },
  already_canceled: { status: 409, meaning: 'The subscription is already canceled' },
  // Transport limits.
  payload_too_large: { status: 413, meaning: 'The body is larger than the route accepts' },
  unsupported_media_type: { status: 415, meaning: 'The content type is not accepted (state-changing /api routes take JSON)' },
  rate_limited: { status: 429, meaning: 'Too many requests; see Retry-After' },
  // 5xx: details are logged, never returned.
  internal_error: { status: 500, meaning: 'Something failed on our side; the request id is in the logs' },
  whatsapp_unavailable: { status: 503, meaning: 'WhatsApp is not running in this server process' },
} as const satisfies Record<string, { status: number; meaning: string }>;

/** Every machine code an error may carry. */
export type ErrorCode = keyof typeof ERROR_CODES;
/** The codes as a list (the OpenAPI enum, the README table). */
export const ERROR_CODE_LIST = Object.keys(ERROR_CODES) as ErrorCode[];

export const isErrorCode = (code: unknown): code is ErrorCode => typeof code === 'string' && Object.hasOwn(ERROR_CODES, code);

/** The generic code for a status when an error (Fastify's, a plugin's) has no code of ours. */
export function codeForStatus(status: number): ErrorCode {
  const generic: Record<number, ErrorCode> = {
    400: 'bad_request',
    401: 'unauthorized',
    403: 'forbidden',
    404: 'not_found',
    409: 'conflict',
    413: 'payload_too_large',
    415: 'unsupported_media_type',
    429: 'rate_limited',
  };
  return generic[status] ?? (status >= 500 ? 'internal_error' : 'bad_request');
}

/**
 * The one application error: a catalogue code (its HTTP status comes from `ERROR_CODES`) and a
 * message safe to show the caller (for 5xx the handler hides it anyway).
 */
export class AppError extends Error {
  readonly statusCode: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.statusCode = ERROR_CODES[code].status;
    this.name = new.target.name;
  }
}

/** `404 not_found` with "No such <what>" — the one not-found helper for routes and services. */
export const notFound = (what: string): AppError => new AppError('not_found', `No such ${what}`);
