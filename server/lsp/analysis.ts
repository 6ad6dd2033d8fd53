// The one place the language server meets the config analysis (core/sshconfig): everything the
// LSP features need from it, in the shape they need. Results are cached per document version.
import { fileURLToPath } from 'node:url';
import { closeSync, constants as fsConstants, fstatSync, openSync, readdirSync, readSync } from 'node:fs';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { analyze, type LineNode } from '../../core/sshconfig/index';
import type { ConfigDiagnostic, Dialect } from '../../core/sshconfig/types';

export interface IncludeTarget {
  line: number;
  /** Absolute paths the Include resolved to (globs expanded), possibly none. */
  files: string[];
}

export interface Keepalive {
  deadPeerSeconds: number | null;
  explanation: string;
  /** 0-based lines of the keepalive directives that decided the values. */
  lines: number[];
}

export interface DocAnalysis {
  version: number;
  diagnostics: ConfigDiagnostic[];
  keepalive: Keepalive;
  includes: IncludeTarget[];
  /** The path diagnostics of this document carry in `file`. */
  file: string;
  ms: number;
  /** Lines that open a Match/Host block, as the analysis saw them (a bad Match line opens none). */
  headers: number[];
}

export function dialectOf(languageId: string): Dialect | null {
  if (languageId === 'sshd_config') return 'sshd';
  if (languageId === 'ssh_config') return 'ssh';
  return null;
}

export function fileOf(uri: string): string {
  if (uri.startsWith('file:')) {
    try { return fileURLToPath(uri); } catch { /* fall through */ }
  }
  return uri;
}

// Include targets are read fresh on each analysis (an edited included file shows up on the next
// keystroke) but at most once per analysis: a file with many globbing Include lines would
// otherwise list the same directories thousands of times. Reads never block and are bounded:
// `Include /*/*` reaches /proc/kmsg, FIFOs and /dev/zero, and the server must keep answering.
const MAX_INCLUDE_BYTES = 4 * 1024 * 1024;
/** Per analysis: more targets than this are treated as unreadable. */
const MAX_INCLUDE_FILES = 512;

function readNonBlocking(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK | fsConstants.O_NOCTTY);
  } catch (e) {
    // A globbed directory reads as empty in OpenSSH.
    return (e as NodeJS.ErrnoException).code === 'EISDIR' ? '' : undefined;
  }
  try {
    const st = fstatSync(fd);
    if (st.isDirectory()) return '';
    if (!st.isFile() || st.size > MAX_INCLUDE_BYTES) return undefined;
    const chunks: Buffer[] = [];
    let total = 0;
    const buf = Buffer.allocUnsafe(64 * 1024);
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, null);
      if (n <= 0) break;
      total += n;
      if (total > MAX_INCLUDE_BYTES) return undefined;
      chunks.push(Buffer.from(buf.subarray(0, n)));
    }
    // Bytes as OpenSSH sees them (latin1 keeps every byte).
    return Buffer.concat(chunks).toString('latin1');
  } catch {
    return undefined; // EAGAIN from a file that would block, EIO…
  } finally {
    closeSync(fd);
  }
}

function includeReader(): (path: string) => string | undefined {
  let count = 0;
  return memo((path) => (++count > MAX_INCLUDE_FILES ? undefined : readNonBlocking(path)));
}

function listIncludeDir(dir: string): string[] | undefined {
  try { return readdirSync(dir); } catch { return undefined; }
}

function memo<T>(fn: (p: string) => T): (p: string) => T {
  const m = new Map<string, T>();
  return (p) => {
    if (m.has(p)) return m.get(p) as T;
    const v = fn(p);
    m.set(p, v);
    return v;
  };
}

/** The analysis's own nodes, one per '\n'-split line (core/sshconfig numbering), read-only. */
export type DocLines = ReadonlyArray<Readonly<LineNode>>;

export function analyzeDocument(doc: TextDocument, dialect: Dialect): DocAnalysis {
  return analyzeDocumentLines(doc, dialect).analysis;
}

/** The analysis and the lines it built, so the features read those instead of parsing again. */
export function analyzeDocumentLines(doc: TextDocument, dialect: Dialect): { analysis: DocAnalysis; lines: DocLines } {
  const file = fileOf(doc.uri);
  const t0 = performance.now();
  const r = analyze(doc.getText(), { dialect, file, readFile: includeReader(), listDir: memo(listIncludeDir) });
  const ms = performance.now() - t0;
  const analysis: DocAnalysis = {
    version: doc.version,
    diagnostics: r.diagnostics,
    keepalive: {
      deadPeerSeconds: r.keepalive.deadPeerSeconds,
      explanation: r.keepalive.explanation,
      lines: [r.keepalive.lines.interval, r.keepalive.lines.countMax, r.keepalive.lines.tcpKeepAlive]
        .filter((l): l is number => typeof l === 'number'),
    },
    includes: r.includes.map((inc) => ({ line: inc.line, files: inc.files })),
    file,
    ms,
    headers: r.blocks.filter((b) => b.kind !== 'global').map((b) => b.line),
  };
  return { analysis, lines: r.lines };
}
