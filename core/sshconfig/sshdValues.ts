// sshd_config validators (servconf.c process_server_config_line_depth), by validator name.

import { AUTH_METHOD_NAMES, FINGERPRINT_HASH_NAMES, GSS_KEX_PREFIXES, IPQOS_NAMES, LOG_LEVEL_NAMES, SYSLOG_FACILITY_NAMES } from './keywords/algorithms';
import { addrListInvalid } from './addrmatch';
import { type Ctx, type Validator, algoList, bad, cipherOk, kexOk, keyTypeOk, listUntilEmpty, macOk, missing, oneArg, rekeyLimit, timeArg, validRdomain } from './argChecks';
import { a2port, atoiErr, hpdelim, parseTime, strtolPrefix } from './misc';

export const sshdValidators = {
  port: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('missing port number.');
    if (a2port(t, c.ports) <= 0) return bad('Badly formatted port number.', 0);
    return 1;
  },
  filename: oneArg(() => 'missing file name.'),
  socket: oneArg(() => 'missing socket name.'),
  arg: oneArg((kw) => `${kw} missing argument.`),
  localuser: oneArg((kw) => `missing ${kw} argument.`),
  loglevel: (c) => {
    const t = c.args[0]!.text;
    if (!LOG_LEVEL_NAMES.some((n) => n.toLowerCase() === t.toLowerCase())) return bad(`unsupported log level '${t}'`, 0);
    return 1;
  },
  facility: (c) => {
    const t = c.args[0]!.text;
    if (!SYSLOG_FACILITY_NAMES.some((n) => n.toLowerCase() === t.toLowerCase())) return bad(`unsupported log facility '${t}'`, 0);
    return 1;
  },
  logverbose: noneAloneList((t) => t !== ''),
  keytypes: algoList(() => 'Missing argument.', (a) => `Bad key types '${a}'.`, keyTypeOk),
  ciphers: algoList((c) => `${c.kw} missing argument.`, (a) => `Bad SSH2 cipher spec '${a}'.`, cipherOk),
  macs: algoList((c) => `${c.kw} missing argument.`, (a) => `Bad SSH2 mac spec '${a}'.`, macOk),
  kex: algoList((c) => `${c.kw} missing argument.`, (a) => `Bad SSH2 KexAlgorithms '${a}'.`, kexOk),
  gsskex: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    if (!listUntilEmpty(t, (n) => GSS_KEX_PREFIXES.some((p) => n.startsWith(p)))) return bad(`Bad GSSAPI KexAlgorithms '${t}'.`, 0);
    return 1;
  },
  pubkeyauthoptions: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text.toLowerCase();
      if (t !== 'none' && t !== 'touch-required' && t !== 'verify-required') {
        return bad(`unsupported ${c.kw} option ${c.args[i]!.text}`, i);
      }
    }
    return c.args.length;
  },
  permituserenv: oneArg((kw) => `${kw} missing argument.`),
  // servconf.c prefixes its messages with the keyword as typed; readconf.c does not.
  rekeylimit: (c) => rekeyLimit(c, `${c.kw} missing argument.`, `Bad ${c.kw} number`, `${c.kw} too small`),
  listenaddress: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing('missing address');
    const colon = t.indexOf(':');
    if (!(t.indexOf('[') < 0 && colon >= 0 && t.indexOf(':', colon + 1) >= 0)) {
      const hp = hpdelim(t);
      if (hp === null) return bad('bad address:port usage', 0);
      if (hp.rest !== null && a2port(hp.rest, c.ports) <= 0) return bad('bad port number', 0);
    }
    if (c.args.length === 1) return 1;
    if (c.args[1]!.text !== 'rdomain' || c.args.length < 3) return bad('bad ListenAddress syntax', 1);
    if (!validRdomain(c.args[2]!.text)) return bad('bad routing domain', 2);
    return 3;
  },
  userpatterns: (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      const at = t.indexOf('@');
      if (t === '' || (at >= 0 && addrListInvalid(t.slice(at + 1)))) return bad(`invalid ${c.kw} pattern: "${t}"`, i);
    }
    return c.args.length;
  },
  grouppatterns: (c) => {
    const i = c.args.findIndex((a) => a.text === '');
    return i >= 0 ? bad(`empty ${c.kw} pattern`, i) : c.args.length;
  },
  subsystem: (c) => {
    if (c.args[0]!.text === '') return missing(`${c.kw} missing argument.`);
    if (c.args.length < 2 || c.args[1]!.text === '') return missing('Missing subsystem command.', c.args.length < 2 ? -1 : 1);
    return c.args.length;
  },
  maxstartups: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    const v = scanfInts(t, 3);
    const invalid = bad(`Invalid ${c.kw} spec.`, 0);
    let begin: number, rate: number, max: number;
    if (v.length === 3) {
      [begin, rate, max] = v as [number, number, number];
      if (begin > max || rate > 100 || rate < 1) return invalid;
    } else if (v.length !== 1) return invalid;
    else { begin = v[0]!; max = begin; }
    if (max <= 0 || begin <= 0) return invalid;
    return 1;
  },
  persourcenetblocksize: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    const v = scanfInts(t, 2);
    let n = v.length;
    if (n === 2 && (v[1]! < 0 || v[1]! > 128)) n = -1;
    if ((n === 2 || n === 1) && (v[0]! < 0 || v[0]! > 32)) n = -1;
    if (n !== 1 && n !== 2) return bad(`Invalid ${c.kw} spec.`, 0);
    return 1;
  },
  persourcemaxstartups: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    if (t === 'none') return 1;
    const r = atoiErr(t);
    if ('error' in r) return bad(`${c.kw} integer value ${r.error}.`, 0, r.error === 'invalid' ? 'bad-value' : 'out-of-range');
    return 1;
  },
  authkeysfile: (c) => {
    const i = c.args.findIndex((a) => a.text === '');
    return i >= 0 ? bad(`keyword ${c.kw} empty argument`, i, 'missing-value') : c.args.length;
  },
  acceptenv: (c) => {
    const i = c.args.findIndex((a) => a.text === '' || a.text.includes('='));
    return i >= 0 ? bad('Invalid environment name.', i) : c.args.length;
  },
  setenv: (c) => {
    const i = c.args.findIndex((a) => a.text === '' || !a.text.includes('='));
    return i >= 0 ? bad('Invalid environment.', i) : c.args.length;
  },
  permittunnel: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    if (!['yes', 'point-to-point', 'ethernet', 'no'].includes(t)) return bad(`bad ${c.kw} argument ${t}`, 0);
    return 1;
  },
  include: (c) => {
    const i = c.args.findIndex((a) => a.text === '');
    return i >= 0 ? bad(`keyword ${c.kw} empty argument`, i, 'missing-value') : c.args.length;
  },
  permitopen: permitOpenLike(false),
  permitlisten: permitOpenLike(true),
  restofline: (c) => c.args.length,
  versionaddendum: (c) => {
    const i = c.args.findIndex((a) => a.text.includes('\r'));
    return i >= 0 ? bad(`Invalid ${c.kw} argument`, i) : c.args.length;
  },
  abscommand: (c) => {
    const first = c.args[0]!;
    const isNone = c.args.length === 1 && !first.quoted && first.text.toLowerCase() === 'none';
    if (!isNone && (first.quoted || !first.text.startsWith('/'))) return bad(`${c.kw} must be an absolute path`, 0);
    return c.args.length;
  },
  ipqos: ipqos((c, a) => `Bad ${c.kw} value: ${a}`, (c) => `${c.kw} missing argument.`),
  authmethods: (c) => {
    let sawAny = false;
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      if (t === 'any') {
        if (i > 0) return bad(`"any" must appear alone in ${c.kw}`, i);
        sawAny = true;
      } else if (sawAny) return bad(`"any" must appear alone in ${c.kw}`, i);
      else if (!authMethodsValid(t)) return bad(`invalid ${c.kw} method list.`, i);
    }
    return c.args.length;
  },
  octalmask: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    const r = strtolPrefix(t, 8);
    if (r.used === 0 || r.value < 0 || r.value > 0o777) return bad(`Invalid ${c.kw}.`, 0);
    return 1;
  },
  fphash: (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(`${c.kw} missing argument.`);
    if (!FINGERPRINT_HASH_NAMES.some((n) => n.toLowerCase() === t.toLowerCase())) return bad(`Invalid ${c.kw} algorithm "${t}".`, 0);
    return 1;
  },
  rdomain: () => bad('setting RDomain not supported on this platform.', -1),
  channeltimeout: noneAloneList((t) => {
    const eq = t.indexOf('=');
    return eq > 0 && parseTime(t.slice(eq + 1)) !== null;
  }, (t) => `invalid channel timeout ${t}`, true),
  timeornone: (c) => (c.args[0]!.text.toLowerCase() === 'none' ? 1 : timeArg(c)),
} satisfies Record<string, Validator>;

/** "none" must be alone (LogVerbose, ChannelTimeout …); each other element checked by `ok`.
 *  `onlyBefore`: servconf's ChannelTimeout loop never advances its counter, so 9.2p1 only
 *  refuses a "none" that has arguments after it ("session=5 none" passes). */
export function noneAloneList(ok: (t: string) => boolean, badMsg?: (t: string) => string, onlyBefore = false): Validator {
  return (c) => {
    for (let i = 0; i < c.args.length; i++) {
      const t = c.args[i]!.text;
      if (t === '' && !badMsg) return bad(`keyword ${c.kw} empty argument`, i, 'missing-value');
      if (t.toLowerCase() === 'none') {
        const later = i < c.args.length - 1;
        if ((!onlyBefore && i > 0) || later) return bad(`keyword ${c.kw} "none" argument must appear alone.`, i);
        continue;
      }
      if (!ok(t)) return bad(badMsg ? badMsg(t) : `keyword ${c.kw} empty argument`, i);
    }
    return c.args.length;
  };
}

/** sscanf("%d:%d:%d") semantics: number of conversions; trailing junk is ignored. */
function scanfInts(s: string, max: number): number[] {
  const out: number[] = [];
  let rest = s;
  for (let k = 0; k < max; k++) {
    const r = strtolPrefix(rest, 10);
    if (r.used === 0) break;
    out.push(r.value);
    rest = rest.slice(r.used);
    if (k < max - 1) {
      if (!rest.startsWith(':')) break;
      rest = rest.slice(1);
    }
  }
  return out;
}

function authMethodsValid(list: string): boolean {
  if (list === '') return false;
  return list.split(',').every((m) => AUTH_METHOD_NAMES.includes(m.split(':')[0]!));
}

export function parseIpqos(t: string): boolean {
  if (IPQOS_NAMES.some((n) => n === t.toLowerCase())) return true;
  const r = strtolPrefix(t, 0);
  return t !== '' && r.used === t.length && r.value >= 0 && r.value <= 255;
}

export function ipqos(badMsg: (c: Ctx, arg: string) => string, missingMsg: (c: Ctx) => string): Validator {
  return (c) => {
    const t = c.args[0]!.text;
    if (t === '') return missing(missingMsg(c));
    if (!parseIpqos(t)) return bad(badMsg(c, t), 0);
    if (c.args.length < 2) return 1;
    if (!parseIpqos(c.args[1]!.text)) return bad(badMsg(c, c.args[1]!.text), 1);
    return 2;
  };
}

function permitOpenLike(listen: boolean): Validator {
  return (c) => {
    const first = c.args[0]!.text;
    if (first === '') return missing(`${c.kw} missing argument.`);
    if (first === 'any' || first === 'none') return 1;
    let i = 0;
    for (; i < c.args.length && c.args[i]!.text !== ''; i++) {
      const t = c.args[i]!.text;
      let port: string | null;
      if (listen && !t.includes(':')) port = t;
      else {
        const hp = hpdelim(t);
        if (hp === null) return bad(`${c.kw} missing host`, i);
        port = hp.rest;
      }
      if (port === null || (port !== '*' && a2port(port, c.ports) <= 0)) return bad(`${c.kw} bad port number`, i);
    }
    return i;
  };
}
