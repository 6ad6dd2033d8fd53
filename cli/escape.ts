// Terminal-safe printing of strings the user does not control (job names, ids, paths, commands,
// session names): a newline would forge a row of `ls`, an escape sequence would reach the
// terminal. As coreutils `ls` does, such a string is shown in $'...' form with C escapes; any
// other string is printed as is. Only the human output uses this, never --json.

// C0 controls, DEL, C1 controls (U+0080-U+009F: 8-bit CSI and friends), line/paragraph
// separators, and bidi overrides that can make text read backwards.
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;
const UNSAFE_ALL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

const NAMED: Record<string, string> = {
  '\x07': '\\a', '\b': '\\b', '\t': '\\t', '\n': '\\n', '\v': '\\v', '\f': '\\f', '\r': '\\r', '\x1b': '\\e',
};

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const n = c.codePointAt(0) ?? 0;
  return n < 0x100 ? `\\x${n.toString(16).padStart(2, '0')}` : `\\u${n.toString(16).padStart(4, '0')}`;
}

export function hasUnsafe(s: string): boolean { return UNSAFE.test(s); }

/** s unchanged when it is safe to show, else $'...' with every unsafe character escaped. */
export function termSafe(s: string): string {
  if (!UNSAFE.test(s)) return s;
  return `$'${s.replace(/[\\']/g, (c) => `\\${c}`).replace(UNSAFE_ALL, escapeChar)}'`;
}

/** For free text that embeds untrusted parts (error messages): unsafe characters escaped in place. */
export function termSafeText(s: string): string {
  return s.replace(UNSAFE_ALL, escapeChar);
}
