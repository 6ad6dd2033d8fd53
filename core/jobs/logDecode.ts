// The log holds what the job's terminal emitted. The wrapper sets the terminal's output
// processing to exactly opost+onlcr (wrapper.sh _lg_ttymodes): every "\n" the program writes
// becomes "\r\n", nothing else changes. So every "\r\n" in the log decodes to "\n" and every other
// byte is the program's own: its "\r\n" was "\r\r\n", a lone "\r" stays. Only a "\r" at the very
// end of what has been read so far is undecided (the "\n" may follow): streams hold it back.
const CR = 0x0d;
const LF = 0x0a;

/** Decodes a whole buffer. final=false: a trailing "\r" is held back (used = length - 1). */
export function decodeTerminal(buf: Buffer, final: boolean): { data: Buffer; used: number } {
  const held = !final && buf.length > 0 && buf[buf.length - 1] === CR;
  const end = held ? buf.length - 1 : buf.length;
  let i = buf.indexOf(CR);
  if (i < 0 || i >= end) return { data: buf.subarray(0, end), used: end };
  const out = Buffer.allocUnsafe(end);
  let n = 0;
  let from = 0;
  while (i >= 0 && i < end) {
    if (i + 1 < buf.length && buf[i + 1] === LF) {
      n += buf.copy(out, n, from, i);
      from = i + 1;
    }
    i = buf.indexOf(CR, i + 1);
  }
  n += buf.copy(out, n, from, end);
  return { data: out.subarray(0, n), used: end };
}

/** Streaming form: chunks may split a "\r\n" anywhere. */
export class TerminalDecoder {
  private pendingCr = false;

  push(chunk: Buffer): Buffer {
    if (!chunk.length) return chunk;
    const buf = this.pendingCr ? Buffer.concat([Buffer.from([CR]), chunk]) : chunk;
    const { data, used } = decodeTerminal(buf, false);
    this.pendingCr = used < buf.length;
    return data;
  }

  /** At the end of the stream a held "\r" was the program's own. */
  end(): Buffer {
    const b = this.pendingCr ? Buffer.from([CR]) : Buffer.alloc(0);
    this.pendingCr = false;
    return b;
  }
}
