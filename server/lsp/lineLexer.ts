// Splits one config line the way OpenSSH does, for cursor-position questions (what is under the
// cursor, what comes next). It never throws and is linear in the line length; validation is the
// analysis engine's job, not this file's.

export interface Span { text: string; start: number; end: number }

export interface LexedLine {
  /** First non-blank column. */
  indent: number;
  keyword: Span | null;
  /** The `=` between keyword and value, when written. */
  equals: Span | null;
  args: Span[];
  /** Column where a comment starts (a word beginning with #), or null. */
  commentAt: number | null;
}

const isSpace = (c: string): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\f' || c === '\v';

export function lexLine(line: string): LexedLine {
  const n = line.length;
  let i = 0;
  while (i < n && isSpace(line[i])) i++;
  const out: LexedLine = { indent: i, keyword: null, equals: null, args: [], commentAt: null };
  if (i >= n) return out;
  if (line[i] === '#') { out.commentAt = i; return out; }
  // Keyword: up to blank or '=' (OpenSSH allows `Keyword=value` and `Keyword = value`).
  const ks = i;
  while (i < n && !isSpace(line[i]) && line[i] !== '=') i++;
  out.keyword = { text: line.slice(ks, i), start: ks, end: i };
  while (i < n && isSpace(line[i])) i++;
  if (i < n && line[i] === '=') {
    out.equals = { text: '=', start: i, end: i + 1 };
    i++;
  }
  while (i < n) {
    while (i < n && isSpace(line[i])) i++;
    if (i >= n) break;
    if (line[i] === '#') { out.commentAt = i; break; }
    const s = i;
    if (line[i] === '"') {
      i++;
      while (i < n && line[i] !== '"') i++;
      const closed = i < n;
      out.args.push({ text: line.slice(s + 1, i), start: s, end: closed ? i + 1 : i });
      if (closed) i++;
    } else {
      while (i < n && !isSpace(line[i])) i++;
      out.args.push({ text: line.slice(s, i), start: s, end: i });
    }
  }
  return out;
}

/** True when the line opens a block: `Match …` (both dialects) or `Host …` (ssh_config). */
export function isBlockHeader(lex: LexedLine, dialect: 'sshd' | 'ssh'): boolean {
  const k = lex.keyword?.text.toLowerCase();
  return k === 'match' || (dialect === 'ssh' && k === 'host');
}
