import { useReadinessCheck, type Plugin } from 'graphql-yoga';

/**
 * yoga's readiness check, answering only at its exact path. yoga's own plugin tests every request
 * against a URLPattern (a polyfill on Node 20), some 3% of the CPU of a small request; comparing
 * the path first leaves the other requests alone.
 */
export function useReadinessEndpoint(options: Parameters<typeof useReadinessCheck>[0]): Plugin {
  const endpoint = options.endpoint ?? '/ready';
  const readiness = useReadinessCheck(options);
  return {
    ...readiness,
    onRequest: (payload) => (payload.url.pathname === endpoint ? readiness.onRequest?.(payload) : undefined),
  };
}
