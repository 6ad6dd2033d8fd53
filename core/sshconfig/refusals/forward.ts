// readconf.c Local/Remote/DynamicForward refusals the argument validator does not see: ${}
// syntax (dollar_expand), and the two
// words are joined into `char fwdarg[256]` (snprintf/strlcpy cut them at 255 bytes before
// parse_forward() reads them), and parse_forward() refuses a Unix-socket path of
// PATH_MAX_SUN (sizeof sun_path, 108 on Linux) bytes or more.

import { parseForwardSpec } from '../values';
import { expandProblem } from './expand';

const FWDARG_MAX = 255;
const PATH_MAX_SUN = 108;

/** Why ssh refuses a forwarding line its validator accepted, or null. */
export function forwardProblem(kind: 'localforward' | 'remoteforward' | 'dynamicforward', args: readonly string[]): string | null {
  const remote = kind === 'remoteforward';
  const dynamic = kind === 'dynamicforward' || (remote && (args[1] === undefined || args[1] === ''));
  const whole = dynamic ? args[0]! : `${args[0]}:${args[1]}`;
  // parse_forward() runs dollar_expand() first: an unclosed or empty ${} fails whatever the environment.
  const dollar = whole.includes('${') ? expandProblem(whole, null, true) : null;
  if (dollar !== null) return `Bad forwarding specification (${dollar}).`;
  // values.ts leaves any '$' to the environment, but only ${…} is expanded: a bare '$' is an
  // ordinary character to parse_fwd_field() (as '_' is), so judge the spec with it replaced.
  if (!whole.includes('${') && whole.includes('$') && parseForwardSpec(whole.replace(/\$/g, '_'), dynamic, remote) === 0) {
    return 'Bad forwarding specification.';
  }
  // At most 3 UTF-8 bytes per UTF-16 unit: shorter specs reach neither limit.
  if (whole.length * 3 < PATH_MAX_SUN) return null;
  const spec = Buffer.from(whole).subarray(0, FWDARG_MAX).toString('latin1');
  if (spec.length < Buffer.byteLength(whole) && parseForwardSpec(spec, dynamic, remote) === 0) {
    return `Bad forwarding specification (cut at ${FWDARG_MAX} bytes by readconf.c).`;
  }
  for (const f of fields(spec)) {
    if (f.includes('/') && Buffer.byteLength(f) >= PATH_MAX_SUN) return `Bad forwarding specification (socket path of ${PATH_MAX_SUN} bytes or more).`;
  }
  return null;
}

/** The ':'-separated fields as parse_fwd_field() cuts them ([…] kept whole, "\:" escaped). */
function fields(spec: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (let i = 0; i < spec.length; i++) {
    const ch = spec[i]!;
    if (ch === '[' && cur === '') {
      const close = spec.indexOf(']', i);
      if (close < 0) { cur = spec.slice(i); break; }
      cur = spec.slice(i + 1, close);
      i = close;
    } else if (ch === '\\' && i + 1 < spec.length) {
      cur += spec[++i];
    } else if (ch === ':') {
      out.push(cur);
      cur = '';
    } else {
      cur += ch;
    }
  }
  out.push(cur);
  return out;
}
