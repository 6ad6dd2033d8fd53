// Public entry of the config analysis: `analyze()` plus its types. The language server,
// `linger lint` and `linger doctor` import from here only.

export type { Analysis, AnalyzeOptions, Block, IncludeRef, KeepaliveReport, LineKind, LineNode, MatchContext } from './api';
export type { ConfigDiagnostic, Dialect, KeywordSpec, Severity, TextEditSpec, Token } from './types';
export { analyze, analyzeFile } from './analyze';
export { deadPeerSeconds, explainKeepalive, type KeepaliveValues } from './keepalive';
export { argvSplit, splitLine, strdelim, tokenizeLine, type LineTokens } from './tokenize';
export { parseLines } from './parse';
