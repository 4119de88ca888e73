import type { ReactNode } from "react";
import { ErrorMessage } from "./error-message";
import { Spinner } from "./spinner";

interface Props<T> {
  query: { data: T | undefined; error: unknown; isPending: boolean; refetch: () => unknown };
  loadingLabel?: string;
  children: (data: T) => ReactNode;
}

/** Loading, error and loaded: the three states every screen has, handled the same way. */
export function QueryState<T>({ query, loadingLabel, children }: Props<T>) {
  if (query.isPending) return <Spinner label={loadingLabel} />;
  if (query.error || query.data === undefined) return <ErrorMessage error={query.error} onRetry={() => query.refetch()} />;
  return <>{children(query.data)}</>;
}
