/** Query parameters whose values are credentials (Redis takes `?password=`, MongoDB AWS tokens in `authMechanismProperties`). */
const CREDENTIAL_PARAMETER = /pass|secret|token|key|credential|authMechanismProperties/i;

/**
 * A connection string (or what was meant as one) fit for a log line: the password, and the value
 * of any query parameter that holds a credential, become `***`; a user name stays. The user info
 * ends at the last `@`, so a password with an unescaped `@`, `/` or `?` is hidden whole too.
 */
export function redactUrl(value: string): string {
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
  let rest = value.slice(scheme.length);
  const at = rest.lastIndexOf('@');
  if (at !== -1) {
    const user = rest.slice(0, at).split(':')[0];
    rest = `${user ? `${user}:***` : '***'}@${rest.slice(at + 1)}`;
  }
  rest = rest.replace(/([?&;])([^=&;#]*)=([^&;#]*)/g, (all, separator: string, name: string) => (CREDENTIAL_PARAMETER.test(name) ? `${separator}${name}=***` : all));
  return scheme + rest;
}
