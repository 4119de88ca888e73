import { ErrorMessage } from "@/components/ui/error-message";
import { ApiError } from "@/lib/problem";

// The server's own words help here: the window closed, the channel cannot send (409), the template did not fit
// (422), Meta refused the template list (502). Other failures read as everywhere else.
const SAID_BY_THE_SERVER = new Set([409, 422, 502]);

/** Why a reply did not go out. */
export function SendProblem({ error }: { error: unknown }) {
  if (!error) return null;
  if (error instanceof ApiError && SAID_BY_THE_SERVER.has(error.status) && error.problem.detail) {
    return (
      <div className="error-message" role="alert">
        <p><strong>{error.problem.title ?? "This reply cannot be sent"}.</strong> {error.problem.detail}</p>
      </div>
    );
  }
  return <ErrorMessage error={error} />;
}
