/**
 * Domain errors that carry an HTTP status and a stable machine code. Services throw them; the
 * gateway's one error handler answers `{ error: { code, message, requestId } }` with them, and
 * the CLI prints the message. Subclass per meaning so callers can still use `instanceof`.
 */
export class AppError extends Error {
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}
