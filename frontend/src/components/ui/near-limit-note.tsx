/** What the API's `near_limit` means, in a reviewer's words: the classifier found the message close
 * to the kind the shop does not handle, so it held the confidence lower on purpose. */
export const NEAR_LIMIT_NOTE = "Held back: close to out of scope";
const NEAR_LIMIT_HINT =
  "This message reads close to what the AI does not answer, so it had to clear a stricter bar and its confidence was kept lower: a person decides.";

/** Shown beside a confidence whose answer was near the out-of-scope limit; nothing otherwise
 * (false, or a classification made before this was recorded). */
export function NearLimitNote({ nearLimit }: { nearLimit: boolean | null | undefined }) {
  if (!nearLimit) return null;
  return <span className="badge" title={NEAR_LIMIT_HINT}>{NEAR_LIMIT_NOTE}</span>;
}
