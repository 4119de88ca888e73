import { useState } from "react";
import { ErrorMessage } from "@/components/ui/error-message";
import { useDeleteCompany } from "../api/delete-company";
import type { Company } from "../types";

/** Delete, after a confirmation that says what happens to its contacts and deals. */
export function CompanyDelete({ company, onDeleted }: { company: Company; onDeleted: () => void }) {
  const [asking, setAsking] = useState(false);
  const remove = useDeleteCompany(company);
  if (!asking) {
    return <button type="button" className="button button-ghost" onClick={() => setAsking(true)}>Delete company</button>;
  }
  return (
    <div className="card" role="group" aria-label="Delete company">
      <p>Delete {company.name}? Its contacts and deals stay; a manager can restore the company.</p>
      {remove.error && <ErrorMessage error={remove.error} />}
      <div className="button-row">
        <button type="button" className="button button-danger" disabled={remove.isPending}
          onClick={() => remove.mutate(undefined, { onSuccess: onDeleted })}>Delete {company.name}</button>
        <button type="button" className="button button-ghost" onClick={() => setAsking(false)}>Keep it</button>
      </div>
    </div>
  );
}
