import type { ReactNode } from "react";
import { Link } from "react-router";
import { counterpartName } from "../inbox-logic";
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
            <dt>Email</dt>
            <dd>{contact.emails.length ? contact.emails.map((e) => <span key={e}>{e}</span>) : "None"}</dd>
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
        <p className="muted">{conversation.counterpart} is not matched to a contact.</p>
      )}
    </section>
  );
}
