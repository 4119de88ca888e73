import { Link } from "react-router";
import { formatDate, fullName } from "@/lib/format";
import type { Contact } from "../types";

interface Props {
  contact: Contact;
  /** The API lists the older contact first; names alone often cannot tell two duplicates apart. */
  age: "older" | "newer";
  /** The email or phone the two contacts share, marked where it appears. */
  shared: string;
  ownerName?: string;
  companyName?: string;
}

/** One side of a possible duplicate: enough to decide which record to keep. */
export function DuplicateContactSummary({ contact, age, shared, ownerName, companyName }: Props) {
  const values = (list: string[]) =>
    list.length ? list.map((v) => <span key={v}>{v === shared ? <mark>{v}</mark> : v}</span>) : "—";
  return (
    <div className="duplicate-contact">
      <h3><Link to={`/contacts/${contact.id}`}>{fullName(contact)}</Link></h3>
      <p className="muted">{age === "older" ? "Older record" : "Newer record"}</p>
      <dl className="details">
        <dt>Email</dt><dd>{values(contact.emails)}</dd>
        <dt>Phone</dt><dd>{values(contact.phones)}</dd>
        <dt>Company</dt>
        <dd>{contact.company_id ? <Link to={`/companies/${contact.company_id}`}>{companyName ?? "Open company"}</Link> : "—"}</dd>
        <dt>Owner</dt><dd>{contact.owner_id ? (ownerName ?? "—") : "Unassigned"}</dd>
        <dt>Created</dt><dd>{formatDate(contact.created_at)}</dd>
      </dl>
    </div>
  );
}
