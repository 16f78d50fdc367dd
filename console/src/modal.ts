import { useEffect, useRef } from 'preact/hooks';

/**
 * A <dialog> shown modal for as long as the component lives (focus stays inside, Escape cancels).
 * When it goes, the focus goes back to what had it before (the button that opened it), unless
 * that is gone or the focus has moved on meanwhile.
 */
export function useModal() {
  const dialog = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    const shown = dialog.current;
    shown?.showModal();
    return () => {
      const inside = !document.activeElement || document.activeElement === document.body || !!shown?.contains(document.activeElement);
      shown?.close();
      if (inside && opener?.isConnected) opener.focus();
    };
  }, []);
  return dialog;
}
