export interface Edge<T> {
  cursor: string;
  node: T;
}

export interface PageInfo {
  hasNextPage: boolean;
  hasPreviousPage: boolean;
  startCursor: string | null;
  endCursor: string | null;
}

/** A Relay-style page: the shape every listing of the service returns. */
export interface Connection<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
}

export function toConnection<T>(
  items: readonly T[],
  cursorOf: (item: T) => string,
  flags: { hasNextPage: boolean; hasPreviousPage: boolean },
): Connection<T> {
  const edges = items.map((node) => ({ cursor: cursorOf(node), node }));
  return {
    edges,
    pageInfo: {
      ...flags,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
