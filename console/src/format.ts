/** "14:05" today, "3 Mar 14:05" otherwise, in the reader's locale. */
export function shortTime(iso: string): string {
  const date = new Date(iso);
  const today = new Date().toDateString() === date.toDateString();
  const time = date.toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return today ? time : `${date.toLocaleDateString(undefined, { day: 'numeric', month: 'short' })} ${time}`;
}

/** A key for a message sent from this tab, so that a retried send stores it once. */
export function newClientId(): string {
  return `console-${crypto.randomUUID()}`;
}
