import { useState } from 'preact/hooks';
import { credential, setCredential } from './credential.js';

/** Where a caller enters the API key or JWT that AUTH_MODE=apikey or jwt asks for. */
export function SignIn() {
  const [open, setOpen] = useState(false);
  const [value, setValue] = useState('');
  const signedIn = credential() !== null;
  if (signedIn) {
    return (
      <button type="button" class="link-button" onClick={() => setCredential(null)}>
        Forget key
      </button>
    );
  }
  if (!open) {
    return (
      <button type="button" class="link-button" aria-expanded="false" onClick={() => setOpen(true)}>
        Enter key
      </button>
    );
  }
  return (
    <form
      class="sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        if (value.trim()) setCredential(value.trim());
      }}
    >
      <label>
        <span>API key or token</span>
        <input type="password" autoComplete="off" value={value} onInput={(e) => setValue(e.currentTarget.value)} ref={(el) => el?.focus()} />
      </label>
      <button type="submit">Use it</button>
    </form>
  );
}
