// ssh_config validators (readconf.c). `kw` is lower-case there: readconf lowercases the keyword
// before any message. Names not found here fall back to the sshd validators of the same name.

import { FINGERPRINT_HASH_NAMES, GSS_KEX_PREFIXES } from './keywords/algorithms';
import { type Validator, type ValueProblem, algoList, bad, cipherOk, kexOk, listUntilEmpty, macOk, missing, oneArg, rekeyLimit, timeArg } from './argChecks';
import { PortNames, a2port, cleanhost, hpdelim, parseTime, strtolPrefix, strtonum } from './misc';
import { ipqos, noneAloneList, parseIpqos } from './sshdValues';

const sshString = oneArg(() => 'Missing argument.');

/** misc.c valid_domain (CanonicalDomains). Returns OpenSSH's errstr or null. */
function invalidDomain(name: string): string | null {
  const n = name.toLowerCase();
  if (n === '') return 'empty domain name';
  if (!/^[a-z0-9]/i.test(n)) return `domain name "${n}" starts with invalid character`;
  let last = '';
  for (const ch of n) {
    if (last === '.' && ch === '.') return `domain name "${n}" contains consecutive separators`;
    if (ch !== '.' && ch !== '-' && ch !== '_' && !/[a-z0-9]/.test(ch)) return `domain name "${n}" contains invalid characters`;
    last = ch;
  }
  return null;
}

/** readconf.c parse_fwd_field + parse_forward: number of fields, or 0 when invalid. */
export function parseForwardSpec(spec: string, dynamic: boolean, remote: boolean, ports: PortNames = new PortNames()): number {
  if (spec.includes('$')) return 1; // ${VAR} expansion depends on the environment: do not judge
  let cp: string | null = spec.replace(/^\s+/, '');
  const fields: Array<{ arg: string; isPath: boolean }> = [];
  for (let i = 0; i < 4 && cp !== null; i++) {
    if (cp === '') { cp = null; break; }
    if (cp.startsWith('[')) {
      const close = cp.indexOf(']');
      if (close < 0) break;
      const after = cp[close + 1];
      if (after !== ':' && after !== undefined) break;
      const inner = cp.slice(1, close);
      fields.push({ arg: inner, isPath: inner.includes('/') });
      cp = cp.slice(close + (after === ':' ? 2 : 1));
      continue;
    }
    let arg = '';
    let isPath = false;
    let j = 0;
    let failed = false;
    let ended = false;
    while (j < cp.length) {
      const ch = cp[j]!;
      if (ch === '\\') {
        if (j + 1 >= cp.length) { failed = true; break; }
        const nx = cp[j + 1]!;
        // After the memmove the escaped char is re-examined by the switch on the next turn.
        if (nx === '/') isPath = true;
        if (nx === ':') { j += 2; arg += ''; cp = cp.slice(j); ended = true; break; }
        arg += nx === '\\' ? '' : nx;
        j += 2;
        continue;
      }
      if (ch === '/') isPath = true;
      if (ch === ':') { cp = cp.slice(j + 1); ended = true; break; }
      arg += ch;
      j++;
    }
    if (failed) break;
    if (!ended) cp = '';
    fields.push({ arg, isPath });
  }
  let n = fields.length;
  if (cp !== null && cp !== '') n = 0;
  const port = (s: string) => a2port(s, ports);
  let listenPort = 0, connectPort = 0, listenPath = false, connectPath = false;
  const f = fields;
  switch (n) {
    case 1:
      if (f[0]!.isPath) listenPath = true; else listenPort = port(f[0]!.arg);
      break;
    case 2:
      if (f[0]!.isPath && f[1]!.isPath) { listenPath = true; connectPath = true; }
      else if (f[1]!.isPath) { listenPort = port(f[0]!.arg); connectPath = true; }
      else listenPort = port(f[1]!.arg);
      break;
    case 3:
      if (f[0]!.isPath) { listenPath = true; connectPort = port(f[2]!.arg); }
      else if (f[2]!.isPath) { listenPort = port(f[1]!.arg); connectPath = true; }
      else { listenPort = port(f[0]!.arg); connectPort = port(f[2]!.arg); }
      break;
    case 4:
      listenPort = port(f[1]!.arg);
      connectPort = port(f[3]!.arg);
      break;
    default:
      return 0;
  }
  if (dynamic) {
    if (!(n === 1 || n === 2)) return 0;
  } else {
    if (!(n === 3 || n === 4) && !connectPath && !listenPath) return 0;
    if (connectPort <= 0 && !connectPath) return 0;
  }
  if ((listenPort < 0 && !listenPath) || (!remote && listenPort === 0 && !listenPath)) return 0;
  return n;
}

export function forward(kind: 'local' | 'remote' | 'dynamic'): Validator {
  return (c) => {
    const a = c.args[0]!.text;
    if (a === '') return missing('Missing argument.');
    let dynamic = kind === 'dynamic';
    let spec = a;
    let used = 1;
    if (!dynamic) {
      const b = c.args[1]?.text;
      if (b === undefined || b === '') {
        if (kind === 'remote') dynamic = true;
        else return missing('Missing target argument.', -1);
      } else {
        spec = `${a}:${b}`;
        used = 2;
      }
    }
    if (parseForwardSpec(spec, dynamic, kind === 'remote', c.ports) === 0) return bad('Bad forwarding specification.', 0);
    return used;
  };
}

function agentPath(t: string): ValueProblem | null {
  if (t.startsWith('$') && t[1] !== '{' && !/^[A-Za-z0-9_]+$/.test(t.slice(1))) return bad(`Invalid environment name ${t}.`, 0);
  return null;
}

/** misc.c parse_user_host_port: [user@]host[:port]. */
function userHostPortOk(p: string, ports: PortNames): boolean {
  let rest = p;
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    if (at === 0) return false;
    rest = rest.slice(at + 1);
  }
  const hp = hpdelim(rest);
  if (hp === null || hp.host === '' || rest.startsWith('[]')) return false;
  return hp.rest === null || hp.rest === '' || a2port(hp.rest, ports) > 0;
}

/** misc.c parse_ssh_uri: ssh://[user[;params]@]host[:port][/]; 1 = not an ssh URI. */
function sshUri(p: string, ports: PortNames): 0 | 1 | -1 {
  if (!p.startsWith('ssh://')) return 1;
  let rest = p.slice(6);
  const urlOk = (t: string) => !/%(?![0-9a-fA-F]{2})/.test(t);
  const at = rest.indexOf('@');
  if (at >= 0) {
    const user = rest.slice(0, at).split(';')[0]!;
    if (user === '' || !urlOk(user)) return -1;
    rest = rest.slice(at + 1);
  }
  // hpdelim2: host ends at ':' or '/'.
  let i: number;
  if (rest.startsWith('[')) {
    const j = rest.indexOf(']');
    if (j < 0) return -1;
    i = j + 1;
  } else {
    const m = rest.search(/[:/]/);
    i = m < 0 ? rest.length : m;
  }
  const delim = rest[i];
  if (delim !== undefined && delim !== ':' && delim !== '/') return -1;
  const host = cleanhost(rest.slice(0, i));
  if (host === '' || invalidDomain(host) !== null) return -1;
  let tail = delim === undefined ? '' : rest.slice(i + 1);
  if (tail !== '' && delim === ':') {
    const slash = tail.indexOf('/');
    const port = slash < 0 ? tail : tail.slice(0, slash);
    if (a2port(port, ports) <= 0) return -1;
    tail = slash < 0 ? '' : tail.slice(slash + 1);
  }
  // A path (anything after the host/port) is not allowed in a ProxyJump URI.
  if (tail !== '') return -1;
  return 0;
}

/** readconf.c parse_jump on the raw value (comma-separated hops, or "none"). */
export function proxyJumpValid(raw: string, ports: PortNames = new PortNames()): boolean {
  if (raw.toLowerCase() === 'none') return true;
  return raw.split(',').every((hop) => {
    const r = sshUri(hop, ports);
    return r === 0 || (r === 1 && userHostPortOk(hop, ports));
  });
}

export const sshValidators = {
  string: sshString,
  command: (c) => c.args.length,
  proxyjump: (c) => {
    // Measured on this build: only the first whitespace-separated word is judged ("a b:c"
    // passes, "b:c a" fails), and the message quotes the raw rest of the line.
    const raw = c.args.map((a) => (a.quoted ? `"${a.text}"` : a.text)).join(' ');
    // parse_jump() cuts its copy of the line at the first '#', even inside a word.
    // parse_jump() reads the raw line: a quoted word keeps its quotes ('""' is a host name there).
    const first = c.args[0]!.quoted ? `"${c.args[0]!.text}"` : c.args[0]!.text;
    return proxyJumpValid(first.split('#')[0]!, c.ports) ? c.args.length : bad(`Invalid ProxyJump "${raw}"`, 0);
  },
  port: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    if (a2port(t, c.ports) <= 0) return bad(`Bad port '${t}'.`, 0);
    return 1;
  },
  ciphers: algoList(() => 'Missing argument.', (a) => `Bad SSH2 cipher spec '${a}'.`, cipherOk),
  macs: algoList(() => 'Missing argument.', (a) => `Bad SSH2 MAC spec '${a}'.`, macOk),
  kex: algoList(() => 'Missing argument.', (a) => `Bad SSH2 KexAlgorithms '${a}'.`, kexOk),
  gsskex: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    if (!listUntilEmpty(t, (n) => GSS_KEX_PREFIXES.some((p) => n.startsWith(p)))) return bad(`Bad GSSAPI KexAlgorithms '${t}'.`, 0);
    return 1;
  },
  localforward: forward('local'),
  remoteforward: forward('remote'),
  dynamicforward: forward('dynamic'),
  permitremoteopen: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      const lc = t.toLowerCase();
      if (lc === 'none' || lc === 'any') {
        if (i > 0 || c.args.length > 1) return bad(`keyword ${c.kw} "${t}" argument must appear alone.`, i);
        continue;
      }
      const hp = hpdelim(t);
      if (hp === null) return bad('missing host in permitremoteopen', i);
      if (hp.rest === null || (hp.rest !== '*' && a2port(hp.rest, c.ports) <= 0)) return bad('bad port number in permitremoteopen', i);
    }
    return c.args.length;
  },
  escapechar: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    if (t === 'none' || [...t].length === 1 && Buffer.byteLength(t) === 1) return 1;
    const code = t.charCodeAt(1);
    if (t.length === 2 && t[0] === '^' && code >= 64 && code < 128) return 1;
    return bad('Bad escape character.', 0);
  },
  sendenv: (c) => {
    const i = c.args.findIndex((a) => a.text === '' || a.text.includes('='));
    return i >= 0 ? bad('Invalid environment name.', i) : c.args.length;
  },
  setenv: (c) => {
    const i = c.args.findIndex((a) => !a.text.includes('='));
    return i >= 0 ? bad('Invalid SetEnv.', i) : c.args.length;
  },
  controlpersist: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing ControlPersist argument.');
    if (['no', 'false', 'yes', 'true'].includes(t) || parseTime(t) !== null) return 1;
    return bad('Bad ControlPersist argument.', 0);
  },
  tunneldevice: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    const one = (s: string) => s.toLowerCase() === 'any' || 'value' in strtonum(s, 0, 0x7fffffff - 2);
    const colon = t.indexOf(':');
    const ok = colon < 0 ? one(t) : one(t.slice(colon + 1)) && one(t.slice(0, colon));
    return ok ? 1 : bad('Bad tun device.', 0);
  },
  ipqos: (c) => {
    const t = c.args[0]!.text;
    if (!parseIpqos(t)) return bad(`Bad IPQoS value: ${t}`, 0);
    if (c.args.length < 2) return 1;
    if (!parseIpqos(c.args[1]!.text)) return bad(`Bad IPQoS value: ${c.args[1]!.text}`, 1);
    return 2;
  },
  canonicaldomains: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      if (t === '') return bad(`keyword ${c.kw} empty argument`, i, 'missing-value');
      if (t.toLowerCase() === 'none' && (i > 0 || c.args.length > 1)) return bad(`keyword ${c.kw} "none" argument must appear alone.`, i);
      const e = invalidDomain(t);
      if (e) return bad(e, i);
    }
    return c.args.length;
  },
  permittedcnames: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      if (t.toLowerCase() === 'none') {
        if (i > 0 || c.args.length > 1) return bad(`keyword ${c.kw} "none" argument must appear alone.`, i);
        continue;
      }
      if (t === '*') continue;
      const colon = t.indexOf(':');
      if (colon < 0 || colon === t.length - 1) return bad(`Invalid permitted CNAME "${t.toLowerCase()}"`, i);
    }
    return c.args.length;
  },
  octalmask: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing StreamLocalBindMask argument.');
    const r = strtolPrefix(t, 8);
    if (r.used === 0 || r.value < 0 || r.value > 0o777) return bad('Bad mask.', 0);
    return 1;
  },
  fphash: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    if (!FINGERPRINT_HASH_NAMES.some((n) => n.toLowerCase() === t.toLowerCase())) return bad(`Invalid hash algorithm "${t}".`, 0);
    return 1;
  },
  rekeylimit: (c) => rekeyLimit(c, 'Missing argument.', 'Bad number', 'RekeyLimit too small'),
  addkeystoagent: (c) => {
    const a = c.args[0]!.text;
    const b = c.args[1]?.text;
    if (a === '') return missing('missing argument.');
    const states = ['true', 'false', 'yes', 'no', 'ask', 'confirm'];
    const v = states.indexOf(a.toLowerCase());
    if (v === 5 && b !== undefined) {
      if (parseTime(b) === null) return bad('invalid time value.', 1);
    } else if (v < 0 && b === undefined) {
      if (parseTime(a) === null) return bad('unsupported option', 0);
    } else if (v < 0 || b !== undefined) {
      return bad('unsupported option', v < 0 ? 0 : 1);
    }
    return b === undefined ? 1 : 2;
  },
  identityagent: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('Missing argument.');
    return agentPath(t) ?? 1;
  },
  forwardagent: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('missing argument.');
    if (['true', 'false', 'yes', 'no'].includes(t.toLowerCase())) return 1;
    return agentPath(t) ?? 1;
  },
  chararray: noneAloneList(() => true),
  host: (c) => {
    const i = c.args.findIndex((a) => a.text === '');
    return i >= 0 ? bad(`keyword ${c.kw} empty argument`, i, 'missing-value') : c.args.length;
  },
  time: (c) => (c.args[0]!.text === 'none' ? 1 : timeArg(c)),
} satisfies Record<string, Validator>;
