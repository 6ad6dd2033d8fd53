// The ONE ssh_config keyword table (OpenSSH 9.2p1, Debian 12). Work in progress: filled next.

import type { KeywordSpec, MatchCriterionSpec } from '../types';

export const SSH_KEYWORDS: readonly KeywordSpec[] = [];

export const SSH_MATCH_CRITERIA: readonly MatchCriterionSpec[] = [];
