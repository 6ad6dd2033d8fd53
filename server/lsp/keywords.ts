// The keyword tables as the LSP features use them (core/sshconfig/keywords is the source).
import {
  keywordsFor, lookupKeyword, suggestKeyword, SSH_MATCH_CRITERIA, SSHD_MATCH_CRITERIA,
} from '../../core/sshconfig/keywords/index';
import type { Dialect, KeywordSpec, MatchCriterionSpec } from '../../core/sshconfig/types';

export function lookup(dialect: Dialect, name: string): KeywordSpec | undefined {
  return lookupKeyword(dialect, name) ?? undefined;
}

export function all(dialect: Dialect): readonly KeywordSpec[] {
  return keywordsFor(dialect);
}

export function suggest(dialect: Dialect, name: string): string | null {
  return suggestKeyword(dialect, name) ?? null;
}

export function matchCriteria(dialect: Dialect): readonly MatchCriterionSpec[] {
  return dialect === 'sshd' ? SSHD_MATCH_CRITERIA : SSH_MATCH_CRITERIA;
}

const KEEPALIVE: Record<Dialect, readonly string[]> = {
  sshd: ['clientaliveinterval', 'clientalivecountmax', 'tcpkeepalive'],
  ssh: ['serveraliveinterval', 'serveralivecountmax', 'tcpkeepalive'],
};

export function isKeepaliveKeyword(dialect: Dialect, name: string): boolean {
  return KEEPALIVE[dialect].includes(name.toLowerCase());
}
