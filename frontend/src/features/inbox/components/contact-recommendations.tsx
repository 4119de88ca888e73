import { ErrorMessage } from "@/components/ui/error-message";
import { Spinner } from "@/components/ui/spinner";
import { useRecommendations } from "../api/get-recommendations";
import { productPrice } from "../chat-logic";

/** The three products most worth offering this customer, with the reason a rep can repeat. */
export function ContactRecommendations({ contactId }: { contactId: string }) {
  const recommendations = useRecommendations(contactId, 3);
  return (
    <div className="contact-card-recommendations">
      <h3>Recommended products</h3>
      {recommendations.isPending ? <Spinner label="Loading recommendations…" /> :
        recommendations.error ? <ErrorMessage error={recommendations.error} onRetry={() => recommendations.refetch()} /> :
        recommendations.data.items.length === 0 ? <p className="muted">Nothing to recommend yet.</p> : (
          <ol className="recommendations">
            {recommendations.data.items.map(({ product, reasons }) => (
              <li key={product.id}>
                <strong>{product.title}</strong>
                <span className="muted">
                  {product.price !== null ? ` · ${productPrice(product.price, product.currency)}` : ""}
                  {product.stock !== null ? ` · ${product.stock} in stock` : ""}
                </span>
                {reasons[0] && <p className="recommendation-reason">{reasons[0]}</p>}
              </li>
            ))}
          </ol>
        )}
    </div>
  );
}
