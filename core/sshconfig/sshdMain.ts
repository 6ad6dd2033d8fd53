// The checks sshd.c main() runs after the configuration was read (fatal, no line number in
// sshd's message; reported on the line that set the value). Called only for a file that parsed.
import type { AddDiagnostic, FirstValues } from './diag';

/** A command keyword and the User keyword sshd requires beside it. */
export const COMMAND_USER_PAIRS: ReadonlyArray<readonly [command: string, user: string]> = [
  ['authorizedkeyscommand', 'authorizedkeyscommanduser'], ['authorizedprincipalscommand', 'authorizedprincipalscommanduser'],
];

/** The methods AuthenticationMethods may name and the keyword (with its default) that enables each. */
const METHOD_SWITCHES: ReadonlyArray<readonly [method: string, keyword: string, byDefault: boolean]> = [
  ['publickey', 'pubkeyauthentication', true], ['gssapi-with-mic', 'gssapiauthentication', false],
  ['password', 'passwordauthentication', true], ['keyboard-interactive', 'kbdinteractiveauthentication', true],
  ['hostbased', 'hostbasedauthentication', false],
];

/** Every keyword these checks read (the language server's single-line path must not skip them). */
export const SSHD_MAIN_READS: readonly string[] = [
  ...COMMAND_USER_PAIRS.flat(), 'authenticationmethods', ...METHOD_SWITCHES.map((m) => m[1]),
];

export function sshdPostParse(first: FirstValues, add: AddDiagnostic): void {
  let refused = false;
  for (const [cmd, user] of COMMAND_USER_PAIRS) {
    const e = first.get(cmd);
    if (!e || first.has(user) || (e.value[0]?.text ?? '').toLowerCase() === 'none') continue;
    const name = cmd === 'authorizedkeyscommand' ? 'AuthorizedKeysCommand' : 'AuthorizedPrincipalsCommand';
    const end = e.value.length ? e.value[e.value.length - 1]!.end : 0;
    refused = true; // fatal(): sshd stops before the next check
    add(e.loc.file, e.loc.line, e.value[0]?.start ?? 0, end, 'error', 'missing-command-user',
      `${name} set without ${name}User: sshd refuses to start`);
  }
  if (!refused) authMethodsCheck(first, add);
}

/**
 * sshd.c: "AuthenticationMethods cannot be satisfied by enabled authentication methods" when
 * every list names a method that is switched off (auth2_methods_valid(list, 1)).
 */
function authMethodsCheck(first: FirstValues, add: AddDiagnostic): void {
  const e = first.get('authenticationmethods');
  if (!e || e.value.length === 0 || e.value[0]!.text === 'any') return;
  const on = (k: string, dflt: boolean): boolean => {
    const v = first.get(k)?.value[0]?.text.toLowerCase();
    return v === undefined ? dflt : v === 'yes';
  };
  const enabled: Record<string, boolean> = { none: true };
  for (const [method, keyword, dflt] of METHOD_SWITCHES) enabled[method] = on(keyword, dflt);
  const satisfiable = e.value.some((list) => list.text !== '' && list.text.split(',').every((m) => enabled[m.split(':')[0]!] === true));
  if (satisfiable) {
    // sshd still prints "Disabled method …" for the lists that can never succeed.
    for (const list of e.value) {
      const off = list.text.split(',').map((m) => m.split(':')[0]!).find((m) => enabled[m] === false);
      if (off !== undefined) {
        add(e.loc.file, e.loc.line, list.start, list.end, 'warning', 'auth-method-disabled',
          `Disabled method "${off}" in AuthenticationMethods list "${list.text}": this list can never succeed`);
      }
    }
    return;
  }
  const last = e.value[e.value.length - 1]!;
  add(e.loc.file, e.loc.line, e.value[0]!.start, last.end, 'error', 'auth-methods-disabled',
    'AuthenticationMethods cannot be satisfied by enabled authentication methods: every list needs a method that is switched off');
}

