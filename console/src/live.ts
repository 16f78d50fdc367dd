import { useEffect, useRef } from 'preact/hooks';
import type { TypedDocumentNode } from '@urql/core';
import { client, refusal, refusedBecause } from './client.js';

/**
 * Follows a subscription for as long as the component lives. When the connection fails (the
 * network dropped, the server restarted), it subscribes again after a pause, with the variables
 * `variables()` gives then (the last seq or offset the view has), after calling onResume so that
 * the view can read again what events cannot replay (a list). A GraphQL error or a completed
 * subscription ends it, and so does a refused credential (see `refusal`): no attempt follows
 * until a key is entered. A new `key` starts it afresh; null: nothing to follow.
 */
export function useLive<R, V extends Record<string, unknown>>(
  document: TypedDocumentNode<R, V>,
  key: string | null,
  variables: () => V,
  onData: (data: R) => void,
  onResume?: () => void,
): void {
  const handlers = useRef({ variables, onData, onResume });
  handlers.current = { variables, onData, onResume };
  useEffect(() => {
    if (key === null) return;
    let stopped = false;
    let failures = 0;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let current: { unsubscribe(): void } | undefined;
    const open = () => {
      if (stopped || refusedBecause() !== null) return;
      if (failures > 0) handlers.current.onResume?.();
      current = client.subscription(document, handlers.current.variables()).subscribe((result) => {
        if (stopped) return;
        if (result.data) {
          failures = 0;
          handlers.current.onData(result.data);
        } else if (result.error?.networkError) {
          current?.unsubscribe();
          if (refusal(result.error.networkError) !== null) return;
          failures += 1;
          timer = setTimeout(open, Math.min(4000, 200 * 2 ** Math.min(failures, 5)));
        }
      });
    };
    open();
    return () => {
      stopped = true;
      clearTimeout(timer);
      current?.unsubscribe();
    };
  }, [key]);
}
