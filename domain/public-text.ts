// A workflow's static summary and details are what managers scan in the Temporal UI's lists, which
// cannot use our payload codec without single sign-on. Text built only from numbers, ids, states and
// amounts carries this mark, and the codec leaves it readable; everything else (names, contacts, free
// text, and the current details, which travel inside an encrypted query answer) is encrypted. The mark
// is an invisible separator, so the UI shows the text as written; the codec removes it on decoding.
export const PUBLIC_MARK = '\u2063';

export function publicText(text: string): string {
  return PUBLIC_MARK + text;
}
