// Go to definition on an Include line: the files it resolved to (globs expanded by the analysis).
import { pathToFileURL } from 'node:url';
import type { Location, Position } from 'vscode-languageserver/node';
import type { DocAnalysis } from './analysis';

export function definition(a: DocAnalysis, pos: Position): Location[] | null {
  const inc = a.includes.find((i) => i.line === pos.line);
  if (!inc || inc.files.length === 0) return null;
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  return inc.files.map((f) => ({ uri: pathToFileURL(f).toString(), range: zero }));
}
