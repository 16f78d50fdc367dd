import { useModal } from './modal.js';

interface Props {
  title: string;
  children: preact.ComponentChildren;
  confirm: string;
  onConfirm: () => void;
  onCancel: () => void;
}

/** A modal question (the browser's <dialog>: focus stays inside, Escape cancels); Cancel has the focus first. */
export function ConfirmDialog({ title, children, confirm, onConfirm, onCancel }: Props) {
  const dialog = useModal();
  return (
    <dialog
      ref={dialog}
      class="confirm"
      role="alertdialog"
      aria-labelledby="confirm-title"
      aria-describedby="confirm-body"
      onCancel={(e) => {
        e.preventDefault();
        onCancel();
      }}
    >
      <h2 id="confirm-title">{title}</h2>
      <div id="confirm-body">{children}</div>
      <div class="dialog-actions">
        <button type="button" class="secondary" autoFocus onClick={onCancel}>
          Cancel
        </button>
        <button type="button" class="danger" onClick={onConfirm}>
          {confirm}
        </button>
      </div>
    </dialog>
  );
}
