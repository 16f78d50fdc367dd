const KEY = 'parley-credential';

/** The API key or JWT entered in this tab (kept in its session storage only), or null. */
export function credential(): string | null {
  return sessionStorage.getItem(KEY);
}

/** Keeps the credential (null forgets it) and reloads, so that every request and socket uses it. */
export function setCredential(value: string | null): void {
  if (value) sessionStorage.setItem(KEY, value);
  else sessionStorage.removeItem(KEY);
  location.reload();
}

/** The headers (HTTP) or connection parameters (graphql-ws) that carry it. */
export function authHeaders(): Record<string, string> {
  const value = credential();
  return value ? { Authorization: `Bearer ${value}` } : {};
}
