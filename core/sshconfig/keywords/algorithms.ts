// Algorithm names known to OpenSSH 9.2p1 on Debian 12 (`ssh -Q cipher|mac|kex|key-sig`).
// Snapshotted so the checks work where no ssh binary exists; test/unit checks them against `ssh -Q`.

export const CIPHER_NAMES: readonly string[] = [
  '3des-cbc', 'aes128-cbc', 'aes192-cbc', 'aes256-cbc', 'aes128-ctr', 'aes192-ctr', 'aes256-ctr',
  'aes128-gcm@openssh.com', 'aes256-gcm@openssh.com', 'chacha20-poly1305@openssh.com',
];
export const MAC_NAMES: readonly string[] = [
  'hmac-sha1', 'hmac-sha1-96', 'hmac-sha2-256', 'hmac-sha2-512', 'hmac-md5', 'hmac-md5-96',
  'umac-64@openssh.com', 'umac-128@openssh.com', 'hmac-sha1-etm@openssh.com',
  'hmac-sha1-96-etm@openssh.com', 'hmac-sha2-256-etm@openssh.com', 'hmac-sha2-512-etm@openssh.com',
  'hmac-md5-etm@openssh.com', 'hmac-md5-96-etm@openssh.com', 'umac-64-etm@openssh.com',
  'umac-128-etm@openssh.com',
];
export const KEX_NAMES: readonly string[] = [
  'diffie-hellman-group1-sha1', 'diffie-hellman-group14-sha1', 'diffie-hellman-group14-sha256',
  'diffie-hellman-group16-sha512', 'diffie-hellman-group18-sha512',
  'diffie-hellman-group-exchange-sha1', 'diffie-hellman-group-exchange-sha256',
  'ecdh-sha2-nistp256', 'ecdh-sha2-nistp384', 'ecdh-sha2-nistp521', 'curve25519-sha256',
  'curve25519-sha256@libssh.org', 'sntrup761x25519-sha512', 'sntrup761x25519-sha512@openssh.com',
];
/** Debian's GSSAPI key-exchange patch: these are prefixes (an OID hash follows on the wire). */
export const GSS_KEX_PREFIXES: readonly string[] = [
  'gss-group14-sha256-', 'gss-group16-sha512-', 'gss-nistp256-sha256-', 'gss-curve25519-sha256-',
  'gss-group14-sha1-', 'gss-gex-sha1-', 'gss-group1-sha1-',
];
/** Every key / signature algorithm name (`ssh -Q key-sig`). */
export const KEY_TYPE_NAMES: readonly string[] = [
  'ssh-ed25519', 'ssh-ed25519-cert-v01@openssh.com', 'sk-ssh-ed25519@openssh.com',
  'sk-ssh-ed25519-cert-v01@openssh.com', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp256-cert-v01@openssh.com',
  'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp384-cert-v01@openssh.com', 'ecdsa-sha2-nistp521',
  'ecdsa-sha2-nistp521-cert-v01@openssh.com', 'sk-ecdsa-sha2-nistp256@openssh.com',
  'sk-ecdsa-sha2-nistp256-cert-v01@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com',
  'ssh-dss', 'ssh-dss-cert-v01@openssh.com', 'ssh-rsa', 'ssh-rsa-cert-v01@openssh.com',
  'rsa-sha2-256', 'rsa-sha2-256-cert-v01@openssh.com', 'rsa-sha2-512', 'rsa-sha2-512-cert-v01@openssh.com',
];
/** Signature algorithms without certificates (`ssh -Q sig`): what CASignatureAlgorithms may name. */
export const SIG_NAMES: readonly string[] = [
  'ssh-ed25519', 'sk-ssh-ed25519@openssh.com', 'ecdsa-sha2-nistp256', 'ecdsa-sha2-nistp384', 'ecdsa-sha2-nistp521',
  'sk-ecdsa-sha2-nistp256@openssh.com', 'webauthn-sk-ecdsa-sha2-nistp256@openssh.com', 'ssh-dss', 'ssh-rsa',
  'rsa-sha2-256', 'rsa-sha2-512',
];
export const LOG_LEVEL_NAMES: readonly string[] = [
  'QUIET', 'FATAL', 'ERROR', 'INFO', 'VERBOSE', 'DEBUG', 'DEBUG1', 'DEBUG2', 'DEBUG3',
];
export const SYSLOG_FACILITY_NAMES: readonly string[] = [
  'DAEMON', 'USER', 'AUTH', 'AUTHPRIV', 'LOCAL0', 'LOCAL1', 'LOCAL2', 'LOCAL3', 'LOCAL4', 'LOCAL5',
  'LOCAL6', 'LOCAL7',
];
export const IPQOS_NAMES: readonly string[] = [
  'none', 'af11', 'af12', 'af13', 'af21', 'af22', 'af23', 'af31', 'af32', 'af33', 'af41', 'af42',
  'af43', 'cs0', 'cs1', 'cs2', 'cs3', 'cs4', 'cs5', 'cs6', 'cs7', 'ef', 'le', 'lowdelay',
  'throughput', 'reliability',
];
export const FINGERPRINT_HASH_NAMES: readonly string[] = ['MD5', 'SHA1', 'SHA256', 'SHA384', 'SHA512'];
/** sshd auth2.c authmethods[] (GSSAPI built in) plus Debian's gssapi-keyex. */
export const AUTH_METHOD_NAMES: readonly string[] = [
  'none', 'publickey', 'gssapi-with-mic', 'gssapi-keyex', 'password', 'keyboard-interactive', 'hostbased',
];
