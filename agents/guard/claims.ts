/**
 * Action-claim detectors: does a reply tell the customer that something was done — a booking
 * made, moved or cancelled, a payment received, a lead recorded, a person being connected — in
 * English, Swahili or Sheng? Pure functions over text; whether the claim is true is decided by
 * the turn record (agents/guard/turn-record.ts), not here.
 *
 * A sentence counts as a claim when one of its kind's patterns matches and the sentence is not a
 * question and (for the done-kinds) has no negation, condition or offer before the match
 * ("once it is confirmed", "would you like me to book", "haijathibitishwa"). "A person will call
 * you" is itself the claim for `person_connecting`, so future tense is not excluded there.
 */

export const CLAIM_KINDS = ['booking_made', 'booking_moved', 'booking_cancelled', 'payment_received', 'lead_recorded', 'person_connecting'] as const;
export type ClaimKind = (typeof CLAIM_KINDS)[number];

export interface Claim {
  kind: ClaimKind;
  /** The sentence the claim was found in (trimmed). */
  sentence: string;
}

const BOOK_NOUN = '(?:booking|reservation|appointment|table|room|slot|viewing|test[- ]drive|stay|session|spot|seat)';
const SW_BOOK_NOUN = '(?:booking|nafasi|chumba|meza|miadi|oda|order)';

const PATTERNS: Record<ClaimKind, RegExp[]> = {
  booking_made: [
    new RegExp(`\\b${BOOK_NOUN}s?\\b[^.!?\\n]{0,60}?\\b(?:is|are|has been|have been|was|were)\\s+(?:now\\s+|all\\s+|successfully\\s+)?(?:confirmed|booked|reserved|made|secured|locked in|done|set)\\b`),
    /\b(?:i|we)(?:'ve| have)?\s+(?:just\s+|now\s+|successfully\s+)?(?:booked|reserved|secured|confirmed|locked in)\s+(?:you|your|it|the|a|that|this|room|table)\b/,
    /\byou(?:'re| are)\s+(?:all\s+)?(?:booked|confirmed|reserved)\b/,
    new RegExp(`\\b${BOOK_NOUN}\\s+(?:is\\s+)?confirmed\\b`),
    /\b(?:booked|reserved)\s+(?:for\s+you|successfully)\b/,
    // Swahili
    /\b(?:nimekuwekea|tumekuwekea|nimekuhifadhia|tumekuhifadhia|nimekubukia|tumekubukia|nimekuandikia)\b/,
    new RegExp(`\\b(?:nimehifadhi|tumehifadhi|nimeweka|tumeweka|nimethibitisha|tumethibitisha)\\s+${SW_BOOK_NOUN}\\b`),
    new RegExp(`\\b${SW_BOOK_NOUN}\\b[^.!?\\n]{0,50}?\\b(?:imethibitishwa|imehifadhiwa|imewekwa|imekamilika|imebukiwa|imefanyika|imekubaliwa|yamethibitishwa)\\b`),
    /\bumethibitishiwa\b|\bumehifadhiwa\s+nafasi\b/,
    // Sheng
    /\b(?:nimekubook|tumekubook|nimeku-book|nimekusecure|tumekusecure|nimekuset|nimeshakubook|nimebook|tumebook)\b/,
    new RegExp(`\\b${SW_BOOK_NOUN}\\b[^.!?\\n]{0,40}?\\b(?:iko|ni)\\s+(?:confirmed|sorted|fiti|booked|set)\\b`),
    new RegExp(`\\b${SW_BOOK_NOUN}\\b[^.!?\\n]{0,20}?\\b(?:imeiva|imeconfirm\\w*|imebook\\w*|imesetiwa)\\b`),
    /\bumebookiwa\b|\buko\s+booked\b/,
  ],
  booking_moved: [
    new RegExp(`\\b(?:moved|rescheduled|changed|shifted)\\s+(?:your|the)\\s+${BOOK_NOUN}`),
    new RegExp(`\\b${BOOK_NOUN}\\b[^.!?\\n]{0,40}?\\b(?:has been|is|was|have been)\\s+(?:now\\s+)?(?:moved|rescheduled|changed|shifted)\\b`),
    /\b(?:nimehamisha|tumehamisha|imehamishwa|imesogezwa|nimesogeza|tumesogeza)\b/,
    new RegExp(`\\b(?:nimebadilisha|tumebadilisha)\\s+(?:tarehe|saa|muda|${SW_BOOK_NOUN})`),
    /\b(?:nimeshift|tumeshift|nimemove|tumemove|imeshiftiwa|imemoviwa|nimeireschedule)\b/,
  ],
  booking_cancelled: [
    new RegExp(`\\b(?:${BOOK_NOUN}|order|deposit)s?\\b[^.!?\\n]{0,40}?\\b(?:has been|is|was|have been|are)\\s+(?:now\\s+|successfully\\s+)?cancel+ed\\b`),
    /\b(?:i|we)(?:'ve| have)?\s+(?:just\s+|now\s+|successfully\s+)?cancel+ed\b/,
    /\bcancel+ation\s+(?:is\s+|has been\s+)?(?:confirmed|done|complete|successful)\b/,
    /\b(?:successfully\s+cancel+ed|cancel+ed\s+successfully)\b/,
    /\b(?:nimeghairi|tumeghairi|imeghairiwa|imefutwa|nimesitisha|tumesitisha|imesitishwa|zimefutwa)\b/,
    new RegExp(`\\b(?:nimefuta|tumefuta)\\s+${SW_BOOK_NOUN}`),
    /\b(?:nimecancel|tumecancel|imecancelliwa|imecanceliwa|imecancel|nimeicancel|nimeikata)\b/,
  ],
  payment_received: [
    /\b(?:payment|deposit|money|amount|m-?pesa|transfer|funds)\b[^.!?\n]{0,40}?\b(?:has been|is|was|have been)\s+(?:now\s+|successfully\s+)?(?:received|confirmed|processed|credited|cleared)\b/,
    /\b(?:we|i)(?:'ve| have)?\s+(?:just\s+|now\s+)?(?:received|got)\s+(?:your|the)\s+(?:payment|deposit|money|m-?pesa|transfer|funds)\b/,
    /\bthanks?(?: you)? for (?:your|the) (?:payment|deposit)\b/,
    /\b(?:paid in full|fully paid|payment received|payment confirmed)\b/,
    /\byou(?:'ve| have)\s+(?:already\s+)?paid\b/,
    /\b(?:tumepokea|nimepokea)\s+(?:malipo|pesa|fedha|amana|hela)\b/,
    /\bmalipo\s+(?:yako\s+|yenu\s+)?(?:yamepokelewa|yamethibitishwa|yamekamilika|yameingia|yamefika)\b/,
    /\b(?:umeshalipa|umelipa|mmelipa)\b/,
    /\b(?:tumereceive|nimereceive|tumepata|nimepata|nimeona|tumeona)\s+(?:payment|doo|pesa|m-?pesa|cash|chapaa|mullah|malipo)\b/,
    /\b(?:payment|doo|pesa|m-?pesa|chapaa|cash)\s+(?:yako\s+|yenu\s+)?(?:imeingia|imefika|imereach|imeland|imepokelewa|imeconfirm)\b/,
  ],
  lead_recorded: [
    /\b(?:i|we)(?:'ve| have)\s+(?:now\s+)?(?:noted|recorded|saved|logged|registered|captured|taken down)\s+(?:down\s+)?(?:your|the)\s+(?:interest|details|request|enquiry|inquiry|information|info|number|contact)/,
    /\byour\s+(?:interest|details|request|enquiry|inquiry|information|info)\s+(?:has|have)\s+been\s+(?:noted|recorded|saved|logged|registered|captured|passed on)\b/,
    /\b(?:added|put)\s+you\s+(?:to|on)\s+(?:our|the)\s+(?:list|records|system|waitlist|waiting list|database)\b/,
    /\b(?:nimerekodi|nimeandika|nimehifadhi|tumeandika|tumerekodi|tumehifadhi|nimechukua|tumechukua)\s+(?:maelezo|taarifa|ombi|nia|mahitaji|hitaji|namba)\b/,
    /\b(?:maelezo|taarifa|ombi|mahitaji)\s+(?:yako|lako|yenu)\s+(?:yamehifadhiwa|yameandikwa|limerekodiwa|limepokelewa|yamerekodiwa|limeandikwa|yamepokelewa)\b/,
    /\b(?:nimenote|nimesave|nimerecord|tumenote|tumesave|tumerecord)\s+(?:details|info|request|interest|number|namba|maelezo)\b/,
    /\b(?:details|info|request)\s+(?:zako|yako)\s+(?:zimesaviwa|imesaviwa|zimenotiwa|imerekodiwa|ziko\s+saved)\b/,
  ],
  person_connecting: [
    /\b(?:i(?:'m| am)|we(?:'re| are))\s+(?:now\s+)?(?:connecting|transferring|passing|handing|forwarding|escalating)\s+(?:you|this|your)\b/,
    /\b(?:i(?:'ve| have)|we(?:'ve| have))\s+(?:now\s+|just\s+)?(?:connected|transferred|passed|handed|forwarded|escalated)\s+(?:you|this|your)\b/,
    /\b(?:i'll|i will|we'll|we will|let me)\s+(?:now\s+)?(?:connect|transfer|put)\s+you\b/,
    /\b(?:a member of (?:our|the) team|one of our (?:team|staff|agents|colleagues)|our (?:team|staff|manager|agent)|a (?:colleague|manager|staff member|team member|human|person|real person))\b[^.!?\n]{0,40}?\b(?:will|is going to|shall|is about to)\s+(?:call|contact|reach|get back|follow up|be in touch|reply|join|text|message)/,
    /\bsomeone (?:from|on|in) (?:our|the) team (?:will|is going to)\b/,
    /\b(?:nakuunganisha|nimekuunganisha|nitakuunganisha|tunakuunganisha|tumekuunganisha)\b/,
    /\b(?:mmoja wa (?:timu|wafanyakazi|wahudumu)|mfanyakazi wetu|mhudumu wetu|timu yetu|meneja wetu)\b[^.!?\n]{0,40}?\b(?:atakupigia|atawasiliana|atakujibu|atakutafuta|watawasiliana|watakupigia|atakurudia)\b/,
    /\b(?:nakuconnect|nimekuconnect|nitakuconnect|tunakuconnect)\b/,
    /\b(?:mse|msee|mtu|mbogi) wa (?:team|ofisi|kazi)\b[^.!?\n]{0,40}?\b(?:atakucheki|atakupigia|atakujibu|atakushow|watakucheki|atakuchekiza)\b/,
  ],
};

// Cheap pre-filter per kind: a sentence without one of these stems cannot match the kind's
// patterns, so the (backtracking) patterns only run on candidate sentences.
const STEMS: Record<ClaimKind, RegExp> = {
  booking_made: /confirm|book|reserv|secur|locked|wekea|hifadh|thibitish|bukia|andikia|imeiva|imeset|umeweka|imeweka|imefanyika|imekamilika|imekubaliwa/,
  booking_moved: /mov|resched|chang|shift|hamish|sogez|badilish/,
  booking_cancelled: /cancel|ghairi|futw|futa|sitish|ikata/,
  payment_received: /paid|pay|receiv|deposit|pokea|malipo|lipa|doo|imeingia|imefika|imereach|imeland|credit|clear|process/,
  lead_recorded: /noted|record|saved|logged|regist|captur|taken down|added|put you|rekodi|andik|hifadh|chukua|note|save/,
  person_connecting: /connect|transfer|pass|hand|forward|escalat|team|staff|manager|colleague|person|human|someone|unganish|timu|mfanyakazi|mhudumu|meneja|mse|msee|mtu|mbogi/,
};

/** Markers that turn a done-claim into an offer, condition, question or denial (en, sw, sheng). */
const HEDGES = new RegExp(
  [
    "\\b(?:not|never|yet|can(?:not)?|could|would|will|shall|should|may|might|if|once|when|after|before|until|unless|want|like|wish|need|needs|able|unable|whether|to be|cannot|can't|won't|isn't|hasn't|haven't|wasn't|aren't|don't|didn't)\\b",
    "n't\\b",
    '\\b(?:je|ukitaka|ungependa|ningependa|naweza|tunaweza|nikiweza|ikiwa|kama|baada|kabla|bado|hadi|mpaka|tafadhali|nikuwekee|nikubukie|nikuhifadhie|nitaku\\w*|tutaku\\w*|haija\\w*|hatuja\\w*|sija\\w*|hajaw\\w*|hakuna|hapana|si\\b|sio\\b|siyo\\b)',
    '\\b(?:unataka|ukiwa|ukishalipa|ukilipa|nikubook|nikuwekee|tukubook|sijai\\w*|bado)\\b',
  ].join('|'),
);

/** Split text into sentences (keeps the terminator, so questions are recognisable). */
export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * All action claims in `text`, at most one per kind per sentence.
 * @param text the reply as the model wrote it (any case; markdown tolerated).
 */
export function detectClaims(text: string): Claim[] {
  const out: Claim[] = [];
  const lower = text.toLowerCase();
  const kinds = CLAIM_KINDS.filter((k) => STEMS[k].test(lower));
  if (!kinds.length) return out;
  for (const raw of sentences(text)) {
    if (/\?\s*["')\]]*$/.test(raw)) continue;
    const s = raw.toLowerCase().replace(/[*_~`]/g, '').replace(/[’‘]/g, "'");
    for (const kind of kinds) {
      if (!STEMS[kind].test(s)) continue;
      for (const re of PATTERNS[kind]) {
        const m = re.exec(s);
        if (!m) continue;
        if (kind !== 'person_connecting' && HEDGES.test(s.slice(0, m.index + m[0].length))) continue;
        out.push({ kind, sentence: raw });
        break;
      }
    }
  }
  return out;
}
