/** Types for qrcode-terminal 0.12 (ships none; CommonJS): renders a string as a QR code with block characters. */
declare module 'qrcode-terminal' {
  const qrcode: { generate(input: string, opts: { small?: boolean }, cb: (qr: string) => void): void };
  export default qrcode;
}
