// The refusals ssh.c main() makes after the configuration was read, before `ssh -G` prints it.
// Called only for a file that parsed.
import type { AddDiagnostic, FirstValues } from './diag';

/** Every keyword these checks read (the language server's single-line path must not skip them). */
export const SSH_MAIN_READS: readonly string[] = [
  'proxycommand', 'proxyusefdpass', 'connectionattempts', 'forkafterauthentication', 'remotecommand', 'sessiontype',
  'globalknownhostsfile', 'userknownhostsfile',
];

export function sshPostParse(first: FirstValues, add: AddDiagnostic): void {
  const val = (k: string): string | undefined => first.get(k)?.value[0]?.text;
  const at = (k: string, message: string): void => {
    const e = first.get(k)!;
    const last = e.value[e.value.length - 1];
    add(e.loc.file, e.loc.line, e.value[0]?.start ?? 0, last?.end ?? 0, 'error', 'inconsistent-options', message);
  };
  const set = (k: string): boolean => { const v = val(k); return v !== undefined && v.toLowerCase() !== 'none'; };
  const yes = (k: string): boolean => (val(k) ?? '').toLowerCase() === 'yes';
  // (ProxyCommand vs ProxyJump: readconf.c keeps whichever comes first, so they never clash here.)
  if (val('proxycommand') === '-' && yes('proxyusefdpass')) at('proxycommand', 'ProxyCommand=- and ProxyUseFDPass are incompatible');
  const attempts = val('connectionattempts');
  if (attempts !== undefined && Number(attempts) <= 0) at('connectionattempts', 'Invalid number of ConnectionAttempts');
  if (yes('forkafterauthentication') && !set('remotecommand') && (val('sessiontype') ?? '').toLowerCase() !== 'none') {
    at('forkafterauthentication', 'Cannot fork into background without a command to execute.');
  }
  for (const k of ['globalknownhostsfile', 'userknownhostsfile']) {
    const e = first.get(k);
    if (e && e.value.length > 1 && e.value[0]!.text.toLowerCase() === 'none') {
      at(k, `Invalid ${k === 'globalknownhostsfile' ? 'GlobalKnownHostsFiles' : 'UserKnownHostsFiles'}: "none" appears with other entries`);
    }
  }
}

