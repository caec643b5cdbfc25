/**
 * SMS encoding and segment counts (3GPP TS 23.038 GSM 7-bit default alphabet and its extension
 * table; anything else makes the message UCS-2). A single SMS holds 160 GSM-7 septets or 70
 * UCS-2 code units; a concatenated one 153 / 67 per segment (the UDH takes the rest). Extension
 * characters (^{}\[~]|€ and form feed) take two septets.
 */

const BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const EXTENDED = '^{}\\[~]|€\f';
const BASIC_SET = new Set(BASIC);
const EXT_SET = new Set(EXTENDED);

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export function smsEncoding(text: string): SmsEncoding {
  for (const ch of text) if (!BASIC_SET.has(ch) && !EXT_SET.has(ch)) return 'UCS-2';
  return 'GSM-7';
}

/** Segments one SMS body takes on the network (1 for an empty body). */
export function smsSegments(text: string): { encoding: SmsEncoding; units: number; segments: number } {
  const encoding = smsEncoding(text);
  let units = 0;
  if (encoding === 'GSM-7') for (const ch of text) units += EXT_SET.has(ch) ? 2 : 1;
  else units = text.length; // UTF-16 code units: an emoji (surrogate pair) takes two
  const [single, multi] = encoding === 'GSM-7' ? [160, 153] : [70, 67];
  return { encoding, units, segments: units <= single ? 1 : Math.ceil(units / multi) };
}
