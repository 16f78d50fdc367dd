import type { ComponentChildren } from 'preact';
import { useModal } from './modal.js';

interface Props {
  /** Names the heading (`<id>-heading`), which labels the dialog. */
  id: string;
  class: string;
  title: ComponentChildren;
  /** The submit button's text, and its text (disabled) while the form is being sent. */
  submit: string;
  sending: string | null;
  onSubmit: () => void;
  onClose: () => void;
  children: ComponentChildren;
}

/** A modal form (see useModal): its heading, its fields, then Cancel and the submit button; Escape cancels. */
export function FormDialog({ id, class: className, title, submit, sending, onSubmit, onClose, children }: Props) {
  const dialog = useModal();
  return (
    <dialog
      ref={dialog}
      class={className}
      aria-labelledby={`${id}-heading`}
      onCancel={(e) => {
        e.preventDefault();
        onClose();
      }}
    >
      <form
        onSubmit={(e) => {
          e.preventDefault();
          onSubmit();
        }}
      >
        <h2 id={`${id}-heading`}>{title}</h2>
        {children}
        <div class="dialog-actions">
          <button type="button" class="secondary" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" disabled={sending !== null}>
            {sending ?? submit}
          </button>
        </div>
      </form>
    </dialog>
  );
}
