import { QueryClient } from "@tanstack/react-query";
import { render } from "@testing-library/react";
import { RouterProvider } from "react-router";
import { AppProviders } from "@/app/providers";
import { createTestRouter } from "@/app/router";
import { login } from "@/lib/auth/session";

/** The whole app at `path`, with its real router, providers and API client. */
export function renderApp(path: string) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false }, mutations: { retry: false } } });
  const router = createTestRouter(path);
  const utils = render(
    <AppProviders client={client}>
      <RouterProvider router={router} />
    </AppProviders>,
  );
  return { ...utils, router, client };
}

/** Signs in through the real login call (answered by the fake API). */
export async function signIn() {
  await login("rita.rep@example.com", "secret");
}
