import { useMe } from "@/features/auth/api/get-me";
import { AiReview } from "@/features/replies/components/ai-review";

/** AI review: what the reply step decided and sent, for managers and admins to judge (findings M15). */
export function AiReviewRoute() {
  const me = useMe();
  const staff = me.data?.role === "manager" || me.data?.role === "admin";
  return (
    <div className="page">
      <header className="page-header">
        <div>
          <h1>AI review</h1>
          <p className="muted">What the AI decided, newest first. Mark automatic replies right or wrong: Settings › AI counts them.</p>
        </div>
      </header>
      {me.data && !staff ? <p>Managers and admins review the AI's replies here.</p> : me.data ? <AiReview /> : null}
    </div>
  );
}
