// The criteria a Match line may name (and, for ssh, Host matching), per dialect.

import type { MatchCriterionSpec } from '../types';

/** Criteria of an sshd `Match` line (servconf.c match_cfg_line). Errors, in OpenSSH's words:
 *  `Missing Match criteria for X`, `Unsupported Match attribute X`,
 *  `'all' cannot be combined with other Match attributes`, then "Bad Match condition". */
export const SSHD_MATCH_CRITERIA: readonly MatchCriterionSpec[] = [
  { name: 'All', arg: 'none', alone: true, doc: 'Matches every connection; must be the only criterion on the line.' },
  { name: 'User', arg: 'required', doc: 'Comma-separated user name patterns (wildcards and ! negation allowed).' },
  { name: 'Group', arg: 'required', doc: 'Comma-separated group name patterns; matches when the user is a member of one of the groups.' },
  { name: 'Host', arg: 'required', doc: 'Comma-separated host name patterns, matched against the client host name (needs UseDNS for a reverse lookup).' },
  { name: 'LocalAddress', arg: 'required', doc: 'Comma-separated address patterns or CIDR address/masklen, matched against the local address the connection arrived on.' },
  { name: 'LocalPort', arg: 'required', doc: 'A single local port number (or service name) the connection arrived on.' },
  { name: 'RDomain', arg: 'required', doc: 'Routing domain (VRF) patterns the connection was received on.' },
  { name: 'Address', arg: 'required', doc: 'Comma-separated client address patterns or CIDR address/masklen (e.g. 192.0.2.0/24, !10.0.0.0/8).' },
];

/** Criteria of an ssh `Match` line (readconf.c match_cfg_line). Any criterion may be negated
 *  with `!`. Errors, in OpenSSH's words: `Missing Match criteria for X`,
 *  `Unsupported Match attribute X`, `'all' cannot be combined with other Match attributes`,
 *  then "Bad Match condition". */
export const SSH_MATCH_CRITERIA: readonly MatchCriterionSpec[] = [
  { name: 'all', arg: 'none', alone: true, doc: 'Always matches. Must appear alone; 9.2p1 also tolerates it after exactly one other criterion (e.g. Match canonical all), and nothing may follow it.' },
  { name: 'canonical', arg: 'none', doc: 'Matches only when the configuration is re-parsed after hostname canonicalization (CanonicalizeHostname).' },
  { name: 'final', arg: 'none', doc: 'Requests a final re-parse of the configuration (after canonicalization, if enabled) and matches only during it.' },
  { name: 'exec', arg: 'required', doc: 'Runs the command with the user\'s shell; matches when it exits with status 0. %-tokens are expanded. The command runs even during ssh -G.' },
  { name: 'host', arg: 'required', doc: 'Host name patterns, matched against the target host name after any Hostname substitution or canonicalization.' },
  { name: 'originalhost', arg: 'required', doc: 'Host name patterns, matched against the host name as given on the command line.' },
  { name: 'user', arg: 'required', doc: 'User name patterns, matched against the target (remote) user name.' },
  { name: 'localuser', arg: 'required', doc: 'User name patterns, matched against the local user running ssh.' },
];
