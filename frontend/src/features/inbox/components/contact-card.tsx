import type { ReactNode } from "react";
import { Link } from "react-router";
import { formatPhone } from "@/lib/format";
import { counterpartAddress, counterpartName } from "../inbox-logic";
import type { Conversation } from "../types";
import { ContactRecommendations } from "./contact-recommendations";
import { LeadScoreSummary } from "./lead-score-summary";

interface Props {
  conversation: Conversation;
  ownerName?: string;
  /** The contact's deals, drawn by the page (another feature owns deals). */
  deals?: ReactNode;
}

/** Who is writing: the matched contact with its owner and deals, or the bare address. */
export function ContactCard({ conversation, ownerName, deals }: Props) {
  const contact = conversation.contact;
  return (
    <section className="card contact-card" aria-labelledby="conversation-contact">
      <header className="card-header">
        <h2 id="conversation-contact">{counterpartName(conversation)}</h2>
      </header>
      {contact ? (
        <>
          <dl className="details">
            {contact.emails.length > 0 && (
              <>
                <dt>Email</dt>
                <dd>{contact.emails.map((e) => <span key={e}>{e}</span>)}</dd>
              </>
            )}
            {(contact.phones ?? []).length > 0 && (
              <>
                <dt>Phone</dt>
                <dd>{(contact.phones ?? []).map((p) => <span key={p}>{formatPhone(p)}</span>)}</dd>
              </>
            )}
            {contact.emails.length === 0 && !(contact.phones ?? []).length && (
              <>
                <dt>Reach at</dt>
                <dd>{counterpartAddress(conversation) || "No email or phone on record"}</dd>
              </>
            )}
            <dt>Owner</dt>
            <dd>{contact.owner_id ? ownerName ?? "Someone else" : "Unassigned"}</dd>
          </dl>
          <p><Link to={`/contacts/${contact.id}`}>Open contact</Link></p>
          <LeadScoreSummary contactId={contact.id} />
          <ContactRecommendations contactId={contact.id} />
          {deals && (
            <div className="contact-card-deals">
              <h3>Deals</h3>
              {deals}
            </div>
          )}
        </>
      ) : (
        <p className="muted">{counterpartAddress(conversation)} is not matched to a contact.</p>
      )}
    </section>
  );
}
