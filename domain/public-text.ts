// Summaries and current details are what managers read in the Temporal UI, which has no key to our
// payload codec. Text built only from numbers, ids, states and amounts carries this mark, and the codec
// leaves it readable; everything else (names, contacts, free text) is encrypted. The mark is an
// invisible separator, so the UI shows the text as written.
export const PUBLIC_MARK = '\u2063';

export function publicText(text: string): string {
  return PUBLIC_MARK + text;
}
