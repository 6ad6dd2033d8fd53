// The refusal table: every path by which OpenSSH 9.2p1 (Debian 12) refuses a configuration while
// loading it — servconf.c, readconf.c and the checks after parsing in sshd.c / ssh.c main() — with
// the Linger module that ports it and a small config that takes that path. Rows that cannot apply
// to a file on its own carry the reason instead of a config. oracle-refusals.test.ts runs every
// config through the real `sshd -t` / `ssh -G` and through analyze(); core/sshconfig/README.md
// prints this table (scripts/refusal-table.ts).

import type { Dialect } from '../../core/sshconfig/index';

export interface RefusalRow {
  /** Test case id (stable: the README cites it). */
  id: string;
  dialect: Dialect;
  /** OpenSSH function (and opcode case) holding the refusal. */
  fn: string;
  /** OpenSSH's message, as printed. */
  message: string;
  /** The Linger module that ports it (and the diagnostic code). */
  module?: string;
  /** A config body that takes this path (after the fixed sshd header). */
  body?: string;
  /** Variants OpenSSH accepts (Linger must not refuse them either). */
  accepted?: string[];
  /** Why no file on its own can show this path. */
  reason?: string;
}

const rep = (n: number, f: (i: number) => string): string => Array.from({ length: n }, (_, i) => f(i)).join('\n');

// values.ts validateArgs dispatches to servconf.c's / readconf.c's validators (shared ones: argChecks.ts).
const VD = 'sshdValues.ts (bad-value)';
const VDM = 'sshdValues.ts (missing-value)';
const VC = 'sshValues.ts (bad-value)';
const VCM = 'sshValues.ts (missing-value)';
const TOK = 'tokenize.ts/parse.ts';
const S: Omit<RefusalRow, 'dialect'>[] = [
  // ---- servconf.c: process_server_config_line_depth, line level
  { id: 'd-bad-option', fn: 'parse_token', message: 'Bad configuration option: %s', module: 'diagWalk.ts (unknown-keyword)', body: 'FooBar yes' },
  { id: 'd-no-argument', fn: 'process_server_config_line_depth', message: 'no argument after keyword "%s"', module: `${TOK} (missing-value)`, body: 'PermitRootLogin', accepted: ['PermitRootLogin no'] },
  { id: 'd-invalid-quotes', fn: 'process_server_config_line_depth (argv_split)', message: 'invalid quotes', module: `${TOK} (invalid-quotes)`, body: 'Banner "/etc/issue' },
  { id: 'd-not-in-match', fn: 'process_server_config_line_depth', message: "Directive '%s' is not allowed within a Match block", module: 'diagWalk.ts (not-in-match)', body: 'Match User x\nPort 2222' },
  { id: 'd-extra-args', fn: 'process_server_config_line_depth', message: 'keyword %s extra arguments at end of line', module: 'values.ts (extra-args)', body: 'MaxAuthTries 3 4' },
  { id: 'd-missing-handler', fn: 'process_server_config_line_depth', message: 'Missing handler for opcode %s (%d)', reason: 'unreachable: every keyword of the table has a handler in the 9.2p1 binary' },
  // Port
  { id: 'd-port-too-many', fn: 'sPort (MAX_PORTS 256)', message: 'too many ports.', module: 'refusals/sshd.ts (too-many)', body: rep(257, (i) => `Port ${2000 + i}`), accepted: [rep(256, (i) => `Port ${2000 + i}`)] },
  { id: 'd-port-missing', fn: 'sPort', message: 'missing port number.', module: VDM, body: 'Port ""' },
  { id: 'd-port-bad', fn: 'sPort', message: 'Badly formatted port number.', module: VD, body: 'Port 70000' },
  // parse_time
  { id: 'd-time-missing', fn: 'parse_time', message: 'missing time value.', module: VDM, body: 'LoginGraceTime ""' },
  { id: 'd-time-invalid', fn: 'parse_time', message: 'invalid time value.', module: VD, body: 'LoginGraceTime 1x' },
  // ListenAddress
  { id: 'd-listen-missing', fn: 'sListenAddress', message: 'missing address', module: VDM, body: 'ListenAddress ""' },
  { id: 'd-listen-usage', fn: 'sListenAddress (hpdelim)', message: 'bad address:port usage', module: VD, body: 'ListenAddress [::1' },
  { id: 'd-listen-port', fn: 'sListenAddress', message: 'bad port number', module: VD, body: 'ListenAddress 127.0.0.1:0' },
  { id: 'd-listen-syntax', fn: 'sListenAddress', message: 'bad ListenAddress syntax', module: VD, body: 'ListenAddress 127.0.0.1 foo' },
  { id: 'd-listen-rdomain', fn: 'sListenAddress (valid_rdomain)', message: 'bad routing domain', reason: 'Linux: sys_valid_rdomain() asks the kernel whether a VRF device of that name exists (network state, not the file)' },
  { id: 'd-listen-family', fn: 'fill_default_server_options → add_one_listen_addr (getaddrinfo)', message: 'bad addr or host: %s (%s)', module: 'refusals/sshd.ts (bad-value)', body: 'AddressFamily inet6\nListenAddress 127.0.0.2', accepted: ['AddressFamily inet\nListenAddress 127.0.0.2'] },
  { id: 'd-listen-dns', fn: 'add_one_listen_addr (getaddrinfo)', message: 'bad addr or host: %s (%s)', reason: 'a host name is resolved through DNS / nsswitch at load time: the answer is the network\'s, not the file\'s (numeric addresses are ported: d-listen-family)' },
  { id: 'd-listen-too-many', fn: 'add_one_listen_addr', message: 'too many listen addresses', reason: 'needs INT_MAX routing domains' },
  // multistate
  { id: 'd-multistate-missing', fn: 'parse_multistate', message: 'missing argument.', module: VDM, body: 'AddressFamily ""' },
  { id: 'd-multistate-bad', fn: 'parse_multistate', message: 'unsupported option "%s".', module: VD, body: 'PermitRootLogin maybe' },
  // file names
  { id: 'd-hostkey-missing', fn: 'sHostKeyFile', message: 'missing file name.', module: VDM, body: 'HostKey ""' },
  { id: 'd-hostkeyagent-missing', fn: 'sHostKeyAgent', message: 'missing socket name.', module: VDM, body: 'HostKeyAgent ""' },
  { id: 'd-hostcert-missing', fn: 'sHostCertificate', message: 'missing file name.', module: VDM, body: 'HostCertificate ""' },
  { id: 'd-filename-missing', fn: 'parse_filename', message: 'missing file name.', module: VDM, body: 'Banner ""' },
  // algorithms
  { id: 'd-keytypes-missing', fn: 'parse_pubkey_algos', message: 'Missing argument.', module: VDM, body: 'PubkeyAcceptedAlgorithms ""' },
  { id: 'd-keytypes-bad', fn: 'parse_pubkey_algos', message: "Bad key types '%s'.", module: VD, body: 'HostKeyAlgorithms ssh-foo' },
  { id: 'd-ciphers-missing', fn: 'sCiphers', message: '%s missing argument.', module: VDM, body: 'Ciphers ""' },
  { id: 'd-ciphers-bad', fn: 'sCiphers', message: "Bad SSH2 cipher spec '%s'.", module: VD, body: 'Ciphers aes1-ctr' },
  { id: 'd-macs-missing', fn: 'sMacs', message: '%s missing argument.', module: VDM, body: 'MACs ""' },
  { id: 'd-macs-bad', fn: 'sMacs', message: "Bad SSH2 mac spec '%s'.", module: VD, body: 'MACs hmac-foo' },
  { id: 'd-kex-missing', fn: 'sKexAlgorithms', message: '%s missing argument.', module: VDM, body: 'KexAlgorithms ""' },
  { id: 'd-kex-bad', fn: 'sKexAlgorithms', message: "Bad SSH2 KexAlgorithms '%s'.", module: VD, body: 'KexAlgorithms foo' },
  { id: 'd-gsskex-bad', fn: 'sGssKexAlgorithms (Debian patch)', message: "Bad GSSAPI KexAlgorithms '%s'.", module: VD, body: 'GSSAPIKexAlgorithms foo' },
  { id: 'd-assemble', fn: 'assemble_algorithms (kex_assemble_names)', message: '%s (fatal_fr)', module: 'assemble.ts assembleChecks (bad-value)', body: 'CASignatureAlgorithms ssh-ed25519-cert-v01@openssh.com', accepted: ['Ciphers -aes128-ctr,aes192-ctr,aes256-ctr,aes128-gcm@openssh.com,aes256-gcm@openssh.com,chacha20-poly1305@openssh.com'] },
  // PubkeyAuthOptions
  { id: 'd-pubkeyauthoptions', fn: 'sPubkeyAuthOptions', message: 'unsupported %s option %s', module: VD, body: 'PubkeyAuthOptions foo' },
  // ints
  { id: 'd-int-bad', fn: 'parse_int (atoi_err)', message: '%s integer value %s.', module: VD, body: 'MaxAuthTries x' },
  { id: 'd-int-missing', fn: 'parse_int (atoi_err)', message: '%s integer value missing.', module: VD, body: 'MaxSessions # none' },
  { id: 'd-permituserenv-missing', fn: 'sPermitUserEnvironment', message: '%s missing argument.', module: VDM, body: 'PermitUserEnvironment ""' },
  // RekeyLimit
  { id: 'd-rekey-missing', fn: 'sRekeyLimit', message: '%s missing argument.', module: VDM, body: 'RekeyLimit ""' },
  { id: 'd-rekey-bad', fn: 'sRekeyLimit (scan_scaled)', message: "Bad %s number '%s': %s", module: VD, body: 'RekeyLimit 1Q' },
  { id: 'd-rekey-small', fn: 'sRekeyLimit', message: '%s too small', module: VD, body: 'RekeyLimit 10' },
  { id: 'd-rekey-interval', fn: 'sRekeyLimit → parse_time', message: 'invalid time value.', module: VD, body: 'RekeyLimit 1G 1x', accepted: ['RekeyLimit 1G none'] },
  // logging
  { id: 'd-facility', fn: 'sLogFacility', message: "unsupported log facility '%s'", module: VD, body: 'SyslogFacility LOCAL9' },
  { id: 'd-loglevel', fn: 'sLogLevel', message: "unsupported log level '%s'", module: VD, body: 'LogLevel LOUD' },
  { id: 'd-logverbose-empty', fn: 'sLogVerbose', message: 'keyword %s empty argument', module: VD, body: 'LogVerbose ""' },
  { id: 'd-logverbose-none', fn: 'sLogVerbose', message: 'keyword %s "none" argument must appear alone.', module: VD, body: 'LogVerbose none kex.c:*', accepted: ['LogVerbose none'] },
  // users / groups
  { id: 'd-allowusers-empty', fn: 'parse_allowdenyusers', message: 'invalid %s pattern: "%s"', module: VD, body: 'AllowUsers ""' },
  { id: 'd-allowusers-cidr', fn: 'parse_allowdenyusers (match_user)', message: 'invalid %s pattern: "%s"', module: VD, body: 'DenyUsers root@10.0.0.0/99' },
  { id: 'd-allowgroups-empty', fn: 'parse_allowdenygroups', message: 'empty %s pattern', module: VD, body: 'AllowGroups ""' },
  // Subsystem
  { id: 'd-subsystem-too-many', fn: 'sSubsystem (MAX_SUBSYSTEMS 256)', message: 'too many subsystems defined.', module: 'refusals/sshd.ts (too-many)', body: rep(257, (i) => `Subsystem s${i} /bin/true`), accepted: [rep(256, (i) => `Subsystem s${i} /bin/true`)] },
  { id: 'd-subsystem-missing', fn: 'sSubsystem', message: '%s missing argument.', module: VDM, body: 'Subsystem ""' },
  { id: 'd-subsystem-dup', fn: 'sSubsystem', message: "Subsystem '%s' already defined.", module: 'refusals/sshd.ts (duplicate-name)', body: 'Subsystem sftp /usr/lib/openssh/sftp-server\nSubsystem sftp internal-sftp', accepted: ['Subsystem sftp /usr/lib/openssh/sftp-server\nSubsystem SFTP internal-sftp'] },
  { id: 'd-subsystem-command', fn: 'sSubsystem', message: 'Missing subsystem command.', module: VD, body: 'Subsystem sftp' },
  // MaxStartups & co
  { id: 'd-maxstartups', fn: 'sMaxStartups', message: 'Invalid %s spec.', module: VD, body: 'MaxStartups 10:30' },
  { id: 'd-maxstartups-missing', fn: 'sMaxStartups', message: '%s missing argument.', module: VDM, body: 'MaxStartups ""' },
  { id: 'd-netblock', fn: 'sPerSourceNetBlockSize', message: 'Invalid %s spec.', module: VD, body: 'PerSourceNetBlockSize 33' },
  { id: 'd-netblock-missing', fn: 'sPerSourceNetBlockSize', message: '%s missing argument.', module: VDM, body: 'PerSourceNetBlockSize ""' },
  { id: 'd-persource', fn: 'sPerSourceMaxStartups', message: '%s integer value %s.', module: VD, body: 'PerSourceMaxStartups x' },
  { id: 'd-persource-missing', fn: 'sPerSourceMaxStartups', message: '%s missing argument.', module: VDM, body: 'PerSourceMaxStartups ""' },
  // files
  { id: 'd-authkeysfile-empty', fn: 'sAuthorizedKeysFile', message: 'keyword %s empty argument', module: VD, body: 'AuthorizedKeysFile .ssh/a ""' },
  { id: 'd-principalsfile-missing', fn: 'sAuthorizedPrincipalsFile', message: '%s missing argument.', module: VDM, body: 'AuthorizedPrincipalsFile ""' },
  // environment
  { id: 'd-acceptenv', fn: 'sAcceptEnv', message: 'Invalid environment name.', module: VD, body: 'AcceptEnv LANG A=B' },
  { id: 'd-setenv', fn: 'sSetEnv', message: 'Invalid environment.', module: VD, body: 'SetEnv A' },
  { id: 'd-tunnel-missing', fn: 'sPermitTunnel', message: '%s missing argument.', module: VDM, body: 'PermitTunnel ""' },
  { id: 'd-tunnel-bad', fn: 'sPermitTunnel', message: 'bad %s argument %s', module: VD, body: 'PermitTunnel YES' },
  // Include
  { id: 'd-include-empty', fn: 'sInclude', message: 'keyword %s empty argument', module: 'diagWalk.ts include (bad-value)', body: 'Include ""' },
  { id: 'd-include-none', fn: 'sInclude', message: '%s missing filename argument', module: 'refusals/index.ts include (missing-value)', body: 'Include # nothing' },
  { id: 'd-include-depth', fn: 'parse_server_config_depth', message: 'Too many recursive configuration includes', module: 'diagWalk.ts (include-depth)', reason: 'shown with real files by oracle-generated (Includes) and test/unit; a single file cannot include itself 16 deep without a path of its own' },
  { id: 'd-include-glob', fn: 'sInclude (glob)', message: 'include "%s" glob failed', reason: 'glob(3) fails only on GLOB_NOSPACE/GLOB_ABORTED (memory, unreadable directories): file-system state' },
  { id: 'd-include-cmdline', fn: 'sInclude / sMatch', message: 'Include/Match directive not supported as a command-line option', reason: 'only for `sshd -o`, not a file' },
  // Match
  { id: 'd-match-bad', fn: 'sMatch → match_cfg_line', message: 'Bad Match condition', module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match Bogus x' },
  { id: 'd-match-all', fn: 'match_cfg_line', message: "'all' cannot be combined with other Match attributes", module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match all User x' },
  { id: 'd-match-criteria', fn: 'match_cfg_line', message: 'Missing Match criteria for %s', module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match User' },
  { id: 'd-match-none', fn: 'match_cfg_line', message: 'One or more attributes required for Match', module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match # c' },
  { id: 'd-match-address', fn: 'match_cfg_line', message: "Invalid Match address argument '%s' at line %d", module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match Address 10.0.0.0/99' },
  { id: 'd-match-laddress', fn: 'match_cfg_line', message: "Invalid Match localaddress argument '%s' at line %d", module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match LocalAddress 10.0.0.0/99' },
  { id: 'd-match-lport', fn: 'match_cfg_line', message: "Invalid LocalPort '%s' on Match line", module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match LocalPort x' },
  { id: 'd-match-group', fn: 'match_cfg_line_group', message: "Can't match group at line %d because user %.100s does not exist", reason: 'only with -C (a connection): whether the user exists is /etc/passwd\'s answer; never a refusal' },
  { id: 'd-match-missing-fatal', fn: 'match_test_missing_fatal', message: "'Match %s' in configuration but '%s' not in connection test specification.", reason: 'a property of the -C argument, not of the file' },
  { id: 'd-match-rdomain', fn: 'match_cfg_line', message: 'Unsupported Match attribute %s', module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match Foo bar' },
  // PermitOpen / PermitListen
  { id: 'd-permitopen-missing', fn: 'sPermitOpen', message: '%s missing argument.', module: VDM, body: 'PermitOpen ""' },
  { id: 'd-permitopen-host', fn: 'sPermitOpen (hpdelim)', message: '%s missing host', module: VD, body: 'PermitOpen [::1' },
  { id: 'd-permitopen-port', fn: 'sPermitOpen (permitopen_port)', message: '%s bad port number', module: VD, body: 'PermitOpen host:x' },
  { id: 'd-permitlisten-port', fn: 'sPermitListen', message: '%s bad port number', module: VD, body: 'PermitListen 0' },
  { id: 'd-permitopen-any', fn: 'sPermitOpen ("any"/"none" stand alone)', message: 'keyword %s extra arguments at end of line', module: 'values.ts (extra-args)', body: 'PermitOpen any host:22', accepted: ['PermitOpen host:22 any:*'] },
  // raw rest of the line
  { id: 'd-forcecommand-missing', fn: 'sForceCommand', message: '%s missing argument.', reason: 'unreachable: the line-level "no argument after keyword" check runs first' },
  { id: 'd-versionaddendum-missing', fn: 'sVersionAddendum', message: '%s missing argument.', reason: 'unreachable: the line-level "no argument after keyword" check runs first' },
  { id: 'd-versionaddendum-cr', fn: 'sVersionAddendum (raw rest of line)', message: 'Invalid %s argument', module: VD, body: 'VersionAddendum a\rb', accepted: ['VersionAddendum a "b c"'] },
  { id: 'd-akc-absolute', fn: 'parse_command (raw rest of line)', message: '%s must be an absolute path', module: VD, body: 'AuthorizedKeysCommand bin/true\nAuthorizedKeysCommandUser nobody' },
  { id: 'd-akc-quoted', fn: 'parse_command (raw rest of line: quotes kept)', message: '%s must be an absolute path', module: VD, body: 'AuthorizedKeysCommand "/bin/true"\nAuthorizedKeysCommandUser nobody', accepted: ['AuthorizedKeysCommand /bin/true "x y"\nAuthorizedKeysCommandUser nobody'] },
  { id: 'd-akc-none-extra', fn: 'parse_command (raw rest of line)', message: '%s must be an absolute path', module: VD, body: 'AuthorizedPrincipalsCommand none x\nAuthorizedPrincipalsCommandUser nobody', accepted: ['AuthorizedPrincipalsCommand NONE'] },
  { id: 'd-akc-none-comment', fn: 'parse_command (raw rest of line: the comment is part of it)', message: '%s must be an absolute path', module: 'refusals/sshd.ts (bad-value)', body: 'AuthorizedPrincipalsCommand= none  # note', accepted: ['AuthorizedKeysCommand /bin/true # note\nAuthorizedKeysCommandUser nobody'] },
  { id: 'd-akcuser-missing', fn: 'parse_localuser', message: 'missing %s argument.', module: VDM, body: 'AuthorizedKeysCommandUser ""' },
  { id: 'd-chroot-missing', fn: 'sChrootDirectory', message: '%s missing argument.', module: VDM, body: 'ChrootDirectory ""' },
  { id: 'd-skprovider-missing', fn: 'sSecurityKeyProvider', message: '%s missing argument.', module: VDM, body: 'SecurityKeyProvider ""' },
  // IPQoS
  { id: 'd-ipqos-missing', fn: 'sIPQoS', message: '%s missing argument.', module: VDM, body: 'IPQoS ""' },
  { id: 'd-ipqos-bad', fn: 'sIPQoS', message: 'Bad %s value: %s', module: VD, body: 'IPQoS af21 foo' },
  // AuthenticationMethods
  { id: 'd-authmethods-any-line', fn: 'sAuthenticationMethods', message: '"any" must appear alone in %s', module: VD, body: 'AuthenticationMethods any publickey' },
  { id: 'd-authmethods-any-dup', fn: 'sAuthenticationMethods (num_auth_methods > 0: even on a duplicate line)', message: '"any" must appear alone in %s', module: 'refusals/sshd.ts (bad-value)', body: 'AuthenticationMethods publickey\nAuthenticationMethods any', accepted: ['AuthenticationMethods any\nAuthenticationMethods publickey', 'Match User nobody\nAuthenticationMethods publickey\nMatch all\nAuthenticationMethods any'] },
  { id: 'd-authmethods-any-any', fn: 'sAuthenticationMethods (an earlier "any" counts as a method)', message: '"any" must appear alone in %s', module: 'refusals/sshd.ts (bad-value)', body: 'AuthenticationMethods any\nAuthenticationMethods any' },
  { id: 'd-authmethods-invalid', fn: 'sAuthenticationMethods (auth2_methods_valid)', message: 'invalid %s method list.', module: VD, body: 'AuthenticationMethods publickey,foo' },
  { id: 'd-authmethods-none', fn: 'sAuthenticationMethods', message: 'no %s specified', module: VD, body: 'AuthenticationMethods # c' },
  // misc
  { id: 'd-bindmask-missing', fn: 'sStreamLocalBindMask', message: '%s missing argument.', module: VDM, body: 'StreamLocalBindMask ""' },
  { id: 'd-bindmask-bad', fn: 'sStreamLocalBindMask', message: 'Invalid %s.', module: VD, body: 'StreamLocalBindMask x', accepted: ['StreamLocalBindMask 0999'] },
  { id: 'd-fphash-missing', fn: 'sFingerprintHash', message: '%s missing argument.', module: VDM, body: 'FingerprintHash ""' },
  { id: 'd-fphash-bad', fn: 'sFingerprintHash', message: 'Invalid %s algorithm "%s".', module: VD, body: 'FingerprintHash sha3' },
  { id: 'd-rdomain-missing', fn: 'sRDomain', message: '%s missing argument.', module: VDM, body: 'RDomain ""' },
  { id: 'd-rdomain-bad', fn: 'sRDomain (valid_rdomain)', message: 'invalid routing domain', reason: 'Linux: sys_valid_rdomain() asks the kernel for a VRF device of that name (network state)' },
  { id: 'd-rdomain-platform', fn: 'sRDomain', message: 'setting RDomain not supported on this platform.', reason: 'not compiled in on Linux (HAVE_SYS_SET_PROCESS_RDOMAIN)' },
  { id: 'd-channeltimeout-none', fn: 'sChannelTimeout', message: 'keyword %s "none" argument must appear alone.', module: VD, body: 'ChannelTimeout none session=1m', accepted: ['ChannelTimeout none', 'ChannelTimeout session=1m none'] },
  { id: 'd-channeltimeout-bad', fn: 'sChannelTimeout (parse_timeout)', message: 'invalid channel timeout %s', module: VD, body: 'ChannelTimeout session' },
  { id: 'd-unusedtimeout', fn: 'sUnusedConnectionTimeout → parse_time', message: 'invalid time value.', module: VD, body: 'UnusedConnectionTimeout x', accepted: ['UnusedConnectionTimeout none'] },
  { id: 'd-too-many-entries', fn: 'opt_array_append2', message: 'Too many %s entries', reason: 'needs INT_MAX entries (gigabytes of config)' },
  { id: 'd-authmethods-any-conn', fn: 'sAuthenticationMethods in the -C re-parse (parse_server_match_config)', message: '"any" must appear alone in %s', reason: 'sshd -t accepts: two Match blocks that both apply to one connection (a list, then "any") fail only that connection (sshd -T -C, the session child); not a load refusal' },
  { id: 'd-deprecated', fn: 'sDeprecated / sUnsupported / sIgnore', message: '%s line %d: Deprecated/Unsupported option %s', module: 'diagWalk.ts (deprecated, unsupported: warnings)', reason: 'logged, the line succeeds: never a refusal' },
  // loading
  { id: 'd-load', fn: 'load_server_config', message: '%s: %s (fopen/perror)', reason: 'the linter is handed the text; an unreadable file never reaches it (Includes: include-unreadable)' },
  { id: 'd-terminating', fn: 'parse_server_config_depth', message: '%s: terminating, %d bad configuration options', module: 'diagWalk.ts (every error counts)', reason: 'summary of the error() rows above, no refusal of its own' },
  // sshd.c main()
  { id: 'd-akc-user', fn: 'sshd.c main()', message: 'AuthorizedKeysCommand set without AuthorizedKeysCommandUser', module: 'sshdMain.ts sshdPostParse (missing-command-user)', body: 'AuthorizedKeysCommand /bin/true' },
  { id: 'd-apc-user', fn: 'sshd.c main()', message: 'AuthorizedPrincipalsCommand set without AuthorizedPrincipalsCommandUser', module: 'sshdMain.ts sshdPostParse (missing-command-user)', body: 'AuthorizedPrincipalsCommand /bin/true', accepted: ['AuthorizedPrincipalsCommand none'] },
  { id: 'd-authmethods-disabled', fn: 'sshd.c main() (auth2_methods_valid(list, 1))', message: 'AuthenticationMethods cannot be satisfied by enabled authentication methods', module: 'sshdMain.ts authMethodsCheck (auth-methods-disabled)', body: 'AuthenticationMethods hostbased' },
  { id: 'd-privsep-user', fn: 'sshd.c main()', message: 'Privilege separation user %s does not exist', reason: '/etc/passwd, not the file' },
  { id: 'd-hostkeys', fn: 'sshd.c main()', message: 'sshd: no hostkeys available -- exiting.', reason: 'host keys on disk (their presence, permissions and RequiredRSASize against their length)' },
  { id: 'd-privsep-dir', fn: 'sshd.c main()', message: 'Missing privilege separation directory: %s', reason: 'file-system state' },
  { id: 'd-cmdline-C', fn: 'sshd.c main()', message: 'Config test connection parameter (-C) provided without test mode', reason: 'command line' },
];

const C: Omit<RefusalRow, 'dialect'>[] = [
  // ---- readconf.c: process_config_line_depth
  { id: 'c-bad-option', fn: 'parse_token', message: 'Bad configuration option: %s', module: 'diagWalk.ts (unknown-keyword)', body: 'FooBar yes' },
  { id: 'c-no-argument', fn: 'process_config_line_depth', message: 'no argument after keyword "%s"', module: `${TOK} (missing-value)`, body: 'User' },
  { id: 'c-invalid-quotes', fn: 'process_config_line_depth (argv_split)', message: 'invalid quotes', module: `${TOK} (invalid-quotes)`, body: 'User "bob' },
  { id: 'c-extra-args', fn: 'process_config_line_depth', message: 'keyword %s extra arguments at end of line', module: 'values.ts (extra-args)', body: 'Port 22 23' },
  { id: 'c-unimplemented', fn: 'process_config_line_depth', message: 'Unimplemented opcode %d', reason: 'unreachable: every keyword has a case in the 9.2p1 binary' },
  { id: 'c-unsupported', fn: 'oUnsupported', message: 'Unsupported option "%s"', module: 'diagWalk.ts (unsupported, warning)', reason: 'error() but the line still succeeds (ret 0): a warning, never a refusal' },
  { id: 'c-time-missing', fn: 'parse_time', message: 'missing time value.', module: VCM, body: 'ConnectTimeout ""' },
  { id: 'c-time-invalid', fn: 'parse_time', message: 'invalid time value.', module: VC, body: 'ConnectTimeout 1x' },
  { id: 'c-multistate-missing', fn: 'parse_multistate_value', message: 'missing argument.', module: VCM, body: 'Compression ""' },
  { id: 'c-multistate-bad', fn: 'parse_multistate', message: 'unsupported option "%s".', module: VC, body: 'Compression maybe' },
  { id: 'c-rekey-missing', fn: 'oRekeyLimit', message: 'Missing argument.', module: VCM, body: 'RekeyLimit ""' },
  { id: 'c-rekey-bad', fn: 'oRekeyLimit', message: "Bad number '%s': %s", module: VC, body: 'RekeyLimit 1Q' },
  { id: 'c-rekey-small', fn: 'oRekeyLimit', message: 'RekeyLimit too small', module: VC, body: 'RekeyLimit 10' },
  { id: 'c-identity-missing', fn: 'oIdentityFile', message: 'Missing argument.', module: VCM, body: 'IdentityFile ""' },
  { id: 'c-identity-too-many', fn: 'oIdentityFile (SSH_MAX_IDENTITY_FILES 100)', message: 'Too many identity files specified (max %d).', module: 'refusals/ssh.ts (too-many)', body: rep(101, (i) => `IdentityFile ~/.ssh/id_${i}`), accepted: [rep(100, (i) => `IdentityFile ~/.ssh/id_${i}`), `${rep(100, (i) => `IdentityFile ~/.ssh/id_${i}`)}\nHost other\nIdentityFile ~/.ssh/late`, rep(101, () => 'IdentityFile ~/.ssh/same')] },
  { id: 'c-identity-final', fn: 'oIdentityFile (the Match final pass reads the file again and counts on)', message: 'Too many identity files specified (max %d).', module: 'refusals/ssh.ts (too-many)', body: `${rep(100, (i) => `IdentityFile ~/.ssh/id_${i}`)}\nMatch final`, accepted: [`${rep(99, (i) => `IdentityFile ~/.ssh/id_${i}`)}\nMatch final`] },
  { id: 'c-cert-missing', fn: 'oCertificateFile', message: 'Missing argument.', module: VCM, body: 'CertificateFile ""' },
  { id: 'c-cert-too-many', fn: 'oCertificateFile (SSH_MAX_CERTIFICATE_FILES 100)', message: 'Too many certificate files specified (max %d).', module: 'refusals/ssh.ts (too-many)', body: rep(101, (i) => `CertificateFile ~/.ssh/c_${i}`), accepted: [rep(100, (i) => `CertificateFile ~/.ssh/c_${i}`)] },
  { id: 'c-string-missing', fn: 'parse_string', message: 'Missing argument.', module: VCM, body: 'User ""' },
  { id: 'c-hostfiles-empty', fn: 'parse_char_array', message: 'keyword %s empty argument', module: VC, body: 'UserKnownHostsFile a ""' },
  { id: 'c-hostfiles-none', fn: 'parse_char_array', message: 'keyword %s "none" argument must appear alone.', module: VC, body: 'GlobalKnownHostsFile a none' },
  { id: 'c-hostfiles-too-many', fn: 'parse_char_array (SSH_MAX_HOSTS_FILES 32)', message: 'too many %s entries.', module: 'refusals/ssh.ts (too-many)', body: `UserKnownHostsFile ${rep(33, (i) => `k${i}`).replace(/\n/g, ' ')}`, accepted: [`UserKnownHostsFile ${rep(32, (i) => `k${i}`).replace(/\n/g, ' ')}\nUserKnownHostsFile ${rep(33, (i) => `k${i}`).replace(/\n/g, ' ')}`] },
  { id: 'c-command-missing', fn: 'parse_command', message: 'Missing argument.', reason: 'unreachable: str is never NULL after the line-level check' },
  { id: 'c-proxyjump-missing', fn: 'oProxyJump', message: 'Missing argument.', reason: 'unreachable: str is never NULL after the line-level check' },
  { id: 'c-proxyjump-bad', fn: 'oProxyJump (parse_jump)', message: 'Invalid ProxyJump "%s"', module: VC, body: 'ProxyJump a@' },
  { id: 'c-proxyjump-raw', fn: 'oProxyJump (parse_jump on the raw rest of the line, cut at the first #)', message: 'Invalid ProxyJump "%s"', module: VC, body: 'ProxyJump a, b', accepted: ['ProxyJump "host"', 'ProxyJump host # c', 'ProxyJump host#x:y', 'ProxyJump a#,,b', 'ProxyJump a b', 'ProxyJump none x', 'ProxyJump a,b # x', "ProxyJump 'a'"] },
  { id: 'c-proxyjump-quoted', fn: 'oProxyJump (parse_jump on the raw rest of the line: quotes kept)', message: 'Invalid ProxyJump "%s"', module: VC, body: 'ProxyJump "a:b"', accepted: ['ProxyJump ""', 'ProxyJump "a"'] },
  { id: 'c-forward-bare-dollar', fn: 'parse_forward (a bare $ is no expansion)', message: 'Bad forwarding specification.', module: 'refusals/forward.ts (bad-value)', body: 'DynamicForward $X', accepted: ['LocalForward 8080 $host:80'] },
  { id: 'c-proxyjump-port', fn: 'oProxyJump (parse_user_host_port)', message: 'Invalid ProxyJump "%s"', module: VC, body: 'ProxyJump a:b' },
  { id: 'c-port-missing', fn: 'oPort', message: 'Missing argument.', module: VCM, body: 'Port ""' },
  { id: 'c-port-bad', fn: 'oPort', message: "Bad port '%s'.", module: VC, body: 'Port 0' },
  { id: 'c-int-bad', fn: 'parse_int', message: 'integer value %s.', module: VC, body: 'ConnectionAttempts x' },
  { id: 'c-ciphers-bad', fn: 'oCiphers', message: "Bad SSH2 cipher spec '%s'.", module: VC, body: 'Ciphers foo' },
  { id: 'c-ciphers-missing', fn: 'oCiphers', message: 'Missing argument.', module: VCM, body: 'Ciphers ""' },
  { id: 'c-macs-bad', fn: 'oMacs', message: "Bad SSH2 MAC spec '%s'.", module: VC, body: 'MACs foo' },
  { id: 'c-kex-bad', fn: 'oKexAlgorithms', message: "Bad SSH2 KexAlgorithms '%s'.", module: VC, body: 'KexAlgorithms foo' },
  { id: 'c-gsskex-bad', fn: 'oGssKexAlgorithms (Debian patch)', message: "Bad GSSAPI KexAlgorithms '%s'.", module: VC, body: 'GSSAPIKexAlgorithms foo' },
  { id: 'c-keytypes-bad', fn: 'parse_pubkey_algos', message: "Bad key types '%s'.", module: VC, body: 'HostKeyAlgorithms foo' },
  { id: 'c-keytypes-missing', fn: 'parse_pubkey_algos', message: 'Missing argument.', module: VCM, body: 'HostKeyAlgorithms ""' },
  { id: 'c-loglevel', fn: 'oLogLevel', message: "unsupported log level '%s'", module: VC, body: 'LogLevel LOUD' },
  { id: 'c-facility', fn: 'oLogFacility', message: "unsupported log facility '%s'", module: VC, body: 'SyslogFacility FOO' },
  { id: 'c-logverbose-empty', fn: 'oLogVerbose', message: 'keyword %s empty argument', module: VC, body: 'LogVerbose ""' },
  { id: 'c-logverbose-none', fn: 'oLogVerbose', message: 'keyword %s "none" argument must appear alone.', module: VC, body: 'LogVerbose a none' },
  { id: 'c-forward-missing', fn: 'oLocalForward', message: 'Missing argument.', module: VCM, body: 'LocalForward ""' },
  { id: 'c-forward-target', fn: 'oLocalForward', message: 'Missing target argument.', module: VC, body: 'LocalForward 8080' },
  { id: 'c-forward-bad', fn: 'oLocalForward (parse_forward)', message: 'Bad forwarding specification.', module: VC, body: 'LocalForward x y' },
  { id: 'c-forward-pathlen', fn: 'parse_forward (PATH_MAX_SUN)', message: 'Bad forwarding specification.', module: 'refusals/forward.ts (bad-value)', body: `LocalForward /tmp/${'s'.repeat(110)} /tmp/b.sock`, accepted: [`LocalForward /tmp/${'s'.repeat(80)} /tmp/b.sock`] },
  { id: 'c-forward-cut', fn: 'oLocalForward (snprintf into fwdarg[256])', message: 'Bad forwarding specification.', module: 'refusals/forward.ts (bad-value)', body: `LocalForward 8080 ${'h'.repeat(300)}:80`, accepted: [`LocalForward 8080 ${'h'.repeat(200)}:80`] },
  { id: 'c-forward-hostlen', fn: 'parse_forward (NI_MAXHOST)', message: 'Bad forwarding specification.', reason: 'unreachable from a file: the specification is cut at 255 bytes first (c-forward-cut)' },
  { id: 'c-identity-canon', fn: 'oIdentityFile (CanonicalizeHostname re-reads the file and counts on)', message: 'Too many identity files specified (max %d).', module: 'refusals/ssh.ts (too-many); evalWalk.ts reads again for CanonicalizeHostname', body: `CanonicalizeHostname yes\n${rep(100, (i) => `IdentityFile ~/.ssh/id_${i}`)}`, accepted: [`CanonicalizeHostname yes\n${rep(99, (i) => `IdentityFile ~/.ssh/id_${i}`)}`] },
  { id: 'c-permitremoteopen-alone', fn: 'oPermitRemoteOpen', message: 'keyword %s "%s" argument must appear alone.', module: VC, body: 'PermitRemoteOpen host:22 any' },
  { id: 'c-permitremoteopen-host', fn: 'oPermitRemoteOpen (hpdelim)', message: 'missing host in %s', module: VC, body: 'PermitRemoteOpen [::1' },
  { id: 'c-permitremoteopen-port', fn: 'oPermitRemoteOpen', message: 'bad port number in %s', module: VC, body: 'PermitRemoteOpen host:x' },
  { id: 'c-permitremoteopen-none', fn: 'oPermitRemoteOpen', message: 'missing %s specification', module: VC, body: 'PermitRemoteOpen # c' },
  { id: 'c-host-empty', fn: 'oHost', message: 'keyword %s empty argument', module: 'diagWalk.ts host (bad-value)', body: 'Host a ""' },
  { id: 'c-host-cmdline', fn: 'oHost / oMatch / oInclude', message: 'Host/Match/Include directive not supported as a command-line option', reason: 'only for `ssh -o`, not a file' },
  { id: 'c-match-bad', fn: 'oMatch → match_cfg_line', message: 'Bad Match condition', module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match bogus x' },
  { id: 'c-match-all', fn: 'match_cfg_line', message: "'%s' cannot be combined with other Match attributes", module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match all host x' },
  { id: 'c-match-criteria', fn: 'match_cfg_line', message: 'Missing Match criteria for %s', module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match host' },
  { id: 'c-match-none', fn: 'match_cfg_line', message: 'One or more attributes required for Match', module: 'matchCheck.ts validateMatch (bad-match)', body: 'Match # c' },
  { id: 'c-match-exec', fn: 'match_cfg_line (exec)', message: "match exec '%.100s' error", reason: 'runs a command: its exit is the system\'s, not the file\'s (Match exec is never run by Linger)' },
  { id: 'c-escape-missing', fn: 'oEscapeChar', message: 'Missing argument.', module: VCM, body: 'EscapeChar ""' },
  { id: 'c-escape-bad', fn: 'oEscapeChar', message: 'Bad escape character.', module: VC, body: 'EscapeChar ab' },
  { id: 'c-sendenv', fn: 'oSendEnv', message: 'Invalid environment name.', module: VC, body: 'SendEnv A=B' },
  { id: 'c-setenv', fn: 'oSetEnv', message: 'Invalid SetEnv.', module: VC, body: 'SetEnv A' },
  { id: 'c-controlpersist-missing', fn: 'oControlPersist', message: 'Missing ControlPersist argument.', module: VCM, body: 'ControlPersist ""' },
  { id: 'c-controlpersist-bad', fn: 'oControlPersist', message: 'Bad ControlPersist argument.', module: VC, body: 'ControlPersist x' },
  { id: 'c-tun-missing', fn: 'oTunnelDevice', message: 'Missing argument.', module: VCM, body: 'TunnelDevice ""' },
  { id: 'c-tun-bad', fn: 'oTunnelDevice (a2tun)', message: 'Bad tun device.', module: VC, body: 'TunnelDevice x' },
  { id: 'c-include-empty', fn: 'oInclude', message: 'keyword %s empty argument', module: 'diagWalk.ts include (bad-value)', body: 'Include ""' },
  { id: 'c-include-none', fn: 'oInclude', message: '(no file named: accepted)', reason: 'not a refusal: ssh accepts an Include naming nothing (probe below)', accepted: ['Include # nothing'] },
  { id: 'c-include-tilde', fn: 'oInclude', message: 'bad include path %s.', module: 'diagWalk.ts include (bad-value)', reason: 'only in the system file /etc/ssh/ssh_config (`~` there); covered by test/unit for that path' },
  { id: 'c-include-glob', fn: 'oInclude (glob)', message: 'glob failed for %s.', reason: 'glob(3) errors are file-system state' },
  { id: 'c-include-open', fn: 'oInclude → read_config_file_depth', message: "Can't open user config file %.100s: %.100s", module: 'diagWalk.ts (include-unreadable)', reason: 'a matched file that cannot be opened: file-system state' },
  { id: 'c-include-depth', fn: 'read_config_file_depth', message: 'Too many recursive configuration includes', module: 'diagWalk.ts (include-depth)', reason: 'needs files of its own (shown by test/unit and the generated Includes)' },
  { id: 'c-include-perms', fn: 'read_config_file_depth', message: 'Bad owner or permissions on %s', module: 'includeFiles.ts badPerms (include-permissions)', reason: 'owner and mode of the file on disk (checked by analyzeFile / test/unit)' },
  { id: 'c-ipqos-bad', fn: 'oIPQoS', message: 'Bad IPQoS value: %s', module: VC, body: 'IPQoS foo' },
  { id: 'c-canondomains-empty', fn: 'oCanonicalDomains', message: 'keyword %s empty argument', module: VC, body: 'CanonicalDomains a.com ""' },
  { id: 'c-canondomains-none', fn: 'oCanonicalDomains', message: 'keyword %s "none" argument must appear alone.', module: VC, body: 'CanonicalDomains a.com none' },
  { id: 'c-canondomains-invalid', fn: 'oCanonicalDomains (valid_domain)', message: '%s (valid_domain)', module: VC, body: 'CanonicalDomains -a.com', accepted: ['CanonicalDomains a_b'] },
  { id: 'c-canondomains-too-many', fn: 'oCanonicalDomains (MAX_CANON_DOMAINS 32)', message: 'too many hostname suffixes.', module: 'refusals/ssh.ts (too-many)', body: `CanonicalDomains ${rep(33, (i) => `d${i}.com`).replace(/\n/g, ' ')}`, accepted: [`CanonicalDomains ${rep(32, (i) => `d${i}.com`).replace(/\n/g, ' ')}`] },
  { id: 'c-cnames-none', fn: 'oCanonicalizePermittedCNAMEs', message: 'keyword %s "none" argument must appear alone.', module: VC, body: 'CanonicalizePermittedCNAMEs *:* none' },
  { id: 'c-cnames-invalid', fn: 'oCanonicalizePermittedCNAMEs', message: 'Invalid permitted CNAME "%s"', module: VC, body: 'CanonicalizePermittedCNAMEs foo' },
  { id: 'c-cnames-too-many', fn: 'oCanonicalizePermittedCNAMEs (MAX_CANON_DOMAINS 32)', message: 'too many permitted CNAMEs.', module: 'refusals/ssh.ts (too-many)', body: `CanonicalizePermittedCNAMEs ${rep(33, (i) => `a${i}:b`).replace(/\n/g, ' ')}`, accepted: [`Host other\nCanonicalizePermittedCNAMEs ${rep(33, (i) => `a${i}:b`).replace(/\n/g, ' ')}`] },
  { id: 'c-bindmask-missing', fn: 'oStreamLocalBindMask', message: 'Missing StreamLocalBindMask argument.', module: VCM, body: 'StreamLocalBindMask ""' },
  { id: 'c-bindmask-bad', fn: 'oStreamLocalBindMask', message: 'Bad mask.', module: VC, body: 'StreamLocalBindMask x', accepted: ['StreamLocalBindMask 0999'] },
  { id: 'c-fphash-missing', fn: 'oFingerprintHash', message: 'Missing argument.', module: VCM, body: 'FingerprintHash ""' },
  { id: 'c-fphash-bad', fn: 'oFingerprintHash', message: 'Invalid hash algorithm "%s".', module: VC, body: 'FingerprintHash sha3' },
  { id: 'c-addkeys-time', fn: 'oAddKeysToAgent', message: 'invalid time value.', module: VC, body: 'AddKeysToAgent confirm 1x' },
  { id: 'c-addkeys-bad', fn: 'oAddKeysToAgent', message: 'unsupported option', module: VC, body: 'AddKeysToAgent maybe' },
  { id: 'c-addkeys-extra', fn: 'oAddKeysToAgent', message: 'unsupported option', module: VC, body: 'AddKeysToAgent yes 5m' },
  { id: 'c-agent-missing', fn: 'oIdentityAgent', message: 'Missing argument.', module: VCM, body: 'IdentityAgent ""' },
  { id: 'c-agent-expand', fn: 'oIdentityAgent (dollar_expand)', message: 'Invalid environment expansion %s.', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'IdentityAgent ${FOO', accepted: ['Host other\nIdentityAgent /tmp/%x', 'Host other\nForwardAgent /tmp/%x'] },
  { id: 'c-agent-unset', fn: 'ssh.c main() (vdollar_percent_expand)', message: 'env var ${%s} has no value', reason: 'the value of an environment variable of the ssh process, not the file' },
  { id: 'c-agent-env', fn: 'oIdentityAgent', message: 'Invalid environment name %s.', module: VC, body: 'IdentityAgent $A-B', accepted: ['IdentityAgent $1X'] },
  { id: 'c-too-many-entries', fn: 'opt_array_append2', message: 'Too many %s entries', reason: 'needs INT_MAX entries' },
  { id: 'c-terminating', fn: 'read_config_file_depth', message: '%s: terminating, %d bad configuration options', module: 'diagWalk.ts (every error counts)', reason: 'summary of the error() rows above' },
  // ---- ssh.c main()
  { id: 'c-jumphost-loop', fn: 'ssh.c main()', message: 'jumphost loop via %s', module: 'refusals/ssh.ts (inconsistent-options)', body: 'ProxyJump example.com#x', accepted: ['ProxyJump example.com:2222', 'ProxyJump other@example.com', 'ProxyJump other,example.org', 'HostName other\nProxyJump example.com'] },
  { id: 'c-proxy-both', fn: 'ssh.c main()', message: 'inconsistent options: ProxyCommand+ProxyJump', reason: 'unreachable from a file: readconf.c keeps whichever of the two comes first' },
  { id: 'c-fdpass', fn: 'ssh.c main()', message: 'ProxyCommand=- and ProxyUseFDPass are incompatible', module: 'sshMain.ts sshPostParse (inconsistent-options)', body: 'ProxyCommand -\nProxyUseFdpass yes' },
  { id: 'c-attempts', fn: 'ssh.c main()', message: 'Invalid number of ConnectionAttempts', module: 'sshMain.ts sshPostParse (inconsistent-options)', body: 'ConnectionAttempts 0' },
  { id: 'c-fork', fn: 'ssh.c main()', message: 'Cannot fork into background without a command to execute.', module: 'sshMain.ts sshPostParse (inconsistent-options)', body: 'ForkAfterAuthentication yes', accepted: ['ForkAfterAuthentication yes\nSessionType none'] },
  { id: 'c-hostfiles-none-main', fn: 'ssh.c main()', message: 'Invalid GlobalKnownHostsFiles: "none" appears with other entries', module: 'sshMain.ts sshPostParse (inconsistent-options)', reason: 'unreachable from a file: parse_char_array keeps only the first line\'s list and refuses "none" with others on it' },
  { id: 'c-fill-defaults', fn: 'fill_default_options (kex_assemble_names)', message: '%s (error_fr)', module: 'assemble.ts assembleChecks (bad-value)', body: 'HostKeyAlgorithms !ssh-rsa' },
  { id: 'c-agent-sock', fn: 'ssh.c main() (ForwardAgent path + ExitOnForwardFailure)', message: 'Cannot forward agent socket path "%s": %s', reason: 'stat() of the socket path: file-system state' },
  { id: 'c-expand-hostname', fn: 'ssh.c main() / match_cfg_line: percent_expand(HostName, "h")', message: 'percent_expand: failed (unknown key %%%c)', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'HostName h%x', accepted: ['HostName %h.lan', 'HostName a%%b'] },
  { id: 'c-expand-remotecommand', fn: 'ssh.c main(): default_client_percent_expand(RemoteCommand)', message: 'percent_expand: failed (unknown key %%%c)', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'RemoteCommand echo %x', accepted: ['RemoteCommand echo %h %% %C %L %i %k %l %n %p %d %r %u'] },
  { id: 'c-expand-remotecommand-comment', fn: 'parse_command keeps the raw rest of the line, comment included; ssh.c main() expands it', message: 'percent_expand: failed (unknown key %%%c)', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'RemoteCommand echo hi # 100%x', accepted: ['RemoteCommand echo hi # 100%%', 'Host other\nRemoteCommand echo # %x'] },
  { id: 'c-expand-controlpath', fn: 'ssh.c main(): default_client_percent_dollar_expand(ControlPath)', message: 'unknown key %%%c / invalid environment variable expansion', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'ControlPath /tmp/%T', accepted: ['ControlPath /tmp/%C', 'ControlPath none'] },
  { id: 'c-expand-trailing', fn: 'vdollar_percent_expand', message: 'invalid format', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'ControlPath /tmp/a%' },
  { id: 'c-expand-env-syntax', fn: 'vdollar_percent_expand', message: "environment variable '%s' missing closing '}'", module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'ControlPath /tmp/${HOME' },
  { id: 'c-expand-env-empty', fn: 'vdollar_percent_expand', message: 'zero-length environment variable', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'ControlPath /tmp/${}x' },
  { id: 'c-expand-identityagent', fn: 'ssh.c main(): default_client_percent_dollar_expand(IdentityAgent)', message: 'unknown key %%%c', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'IdentityAgent /tmp/%x' },
  { id: 'c-expand-forwardagent', fn: 'ssh.c main(): default_client_percent_dollar_expand(ForwardAgent path)', message: 'unknown key %%%c', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'ForwardAgent /tmp/%x', accepted: ['ForwardAgent yes'] },
  { id: 'c-expand-knownhosts', fn: 'ssh.c main(): default_client_percent_dollar_expand(UserKnownHostsFile)', message: 'unknown key %%%c', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'UserKnownHostsFile ~/.ssh/a ~/.ssh/%x', accepted: ['GlobalKnownHostsFile /etc/%x'] },
  { id: 'c-expand-localforward', fn: 'ssh.c main(): default_client_percent_expand(LocalForward paths)', message: 'unknown key %%%c', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'LocalForward /tmp/%x.sock /tmp/b.sock', accepted: ['LocalForward 8080 localhost:80'] },
  { id: 'c-expand-dynamicforward', fn: 'ssh.c main(): default_client_percent_expand(DynamicForward socket path)', message: 'unknown key %%%c', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'DynamicForward /tmp/%x', accepted: ['DynamicForward /tmp/%h.sock'] },
  { id: 'c-forward-dollar', fn: 'parse_forward (dollar_expand)', message: 'Bad forwarding specification.', module: 'refusals/forward.ts (bad-value)', body: 'Host other\nRemoteForward ${X' },
  { id: 'c-expand-remoteforward', fn: 'ssh.c main(): default_client_percent_expand(RemoteForward paths)', message: 'unknown key %%%c', module: 'refusals/ssh.ts + expand.ts (bad-value)', body: 'RemoteForward /tmp/a.sock /tmp/%x.sock' },
  { id: 'c-deprecated', fn: 'oDeprecated / oIgnoredUnknownOption', message: 'Deprecated option "%s" / Ignored unknown option "%s"', module: 'diagWalk.ts (deprecated, ignored-unknown)', reason: 'logged, the line succeeds: never a refusal' },
  { id: 'c-canonicalize-dns', fn: 'ssh.c main() (resolve_canonicalize / resolve_host for CanonicalizePermittedCNAMEs)', message: 'Could not resolve hostname %s: %s', reason: 'a DNS answer, not the file (CanonicalizeHostname always, or permitted CNAMEs with a direct connection, make ssh -G resolve the host)' },
  { id: 'c-userconfig', fn: 'ssh.c main() (-F)', message: "Can't open user config file %.100s: %.100s", reason: 'command line / file-system state' },
  { id: 'c-y-E', fn: 'ssh.c main()', message: "Can't specify both -y and -E", reason: 'command line' },
];

export const REFUSAL_ROWS: readonly RefusalRow[] = [
  ...S.map((r) => ({ ...r, dialect: 'sshd' as const })),
  ...C.map((r) => ({ ...r, dialect: 'ssh' as const })),
];

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/** The table as core/sshconfig/README.md prints it (between its refusal-table markers). */
export function refusalTableMarkdown(): string {
  const applies = REFUSAL_ROWS.filter((r) => r.body !== undefined).length;
  const out = [
    `${REFUSAL_ROWS.length} rows: ${applies} with a config that oracle-refusals.test.ts runs through \`sshd -t\` / \`ssh -G\` and analyze() (and that the`,
    'generated differential mixes into its files); the others say why they have none (unreachable from a file, not a refusal,',
    'or decided by something other than the file: host keys, users, DNS, the environment, the command line).',
    '',
    '| id | OpenSSH function | message | Linger | test / why not |',
    '|---|---|---|---|---|',
  ];
  for (const r of REFUSAL_ROWS) {
    const status = r.body !== undefined ? `\`${r.id}\`${r.accepted?.length ? ` (+${r.accepted.length} accepted)` : ''}` : cell(r.reason ?? '');
    out.push(`| ${r.id} | ${r.dialect === 'sshd' ? 'servconf.c/sshd.c' : 'readconf.c/ssh.c'}: ${cell(r.fn)} | ${cell(r.message)} | ${cell(r.module ?? '—')} | ${status} |`);
  }
  return out.join('\n');
}
