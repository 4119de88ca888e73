import { QueryClientProvider, type QueryClient } from "@tanstack/react-query";
import { useEffect, useState, type ReactNode } from "react";
import { subscribe, getStatus } from "@/lib/auth/session";
import { createQueryClient } from "@/lib/query-client";

export function AppProviders({ children, client }: { children: ReactNode; client?: QueryClient }) {
  const [queryClient] = useState(() => client ?? createQueryClient());

  // Nothing from one person's session may show in the next one's.
  useEffect(
    () => subscribe(() => {
      if (getStatus() !== "signed-in") queryClient.clear();
    }),
    [queryClient],
  );

  return <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>;
}
