import { ErrorMessage } from "@/components/ui/error-message";
import { useRestoreCompany } from "../api/delete-company";
import type { Company } from "../types";

interface Props {
  company: { id: string; name: string };
  /** Managers and admins may restore; others are told who can. */
  canRestore: boolean;
  onRestored: (company: Company) => void;
}

/** After a delete: what went, and the way back. */
export function DeletedCompanyNotice({ company, canRestore, onRestored }: Props) {
  const restore = useRestoreCompany();
  return (
    <div className="notice merge-notice" role="status">
      <p>
        Deleted {company.name}.{" "}
        {canRestore ? (
          <button type="button" className="button button-secondary button-small" disabled={restore.isPending}
            onClick={() => restore.mutate(company.id, { onSuccess: onRestored })}>Restore</button>
        ) : "A manager can restore it."}
      </p>
      {restore.error && <ErrorMessage error={restore.error} />}
    </div>
  );
}
