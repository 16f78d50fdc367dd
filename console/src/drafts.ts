const drafts = new Map<string, string>();

/** Text to put in a session's composer when it opens next ("edit and retry" fills the copy's). */
export function setDraft(sessionId: string, text: string): void {
  drafts.set(sessionId, text);
}

/** The draft for this session, once: it is gone after it is taken. */
export function takeDraft(sessionId: string): string {
  const text = drafts.get(sessionId) ?? '';
  drafts.delete(sessionId);
  return text;
}
