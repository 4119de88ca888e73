import { describeError } from "@/lib/problem";

interface Props {
  error: unknown;
  onRetry?: () => void;
}

/** A failed load or action, in words; with a retry button when trying again can help. */
export function ErrorMessage({ error, onRetry }: Props) {
  return (
    <div className="error-message" role="alert">
      <p>{describeError(error)}</p>
      {onRetry && (
        <button type="button" className="button button-secondary" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
