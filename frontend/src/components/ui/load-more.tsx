import { useEffect, useRef } from "react";

interface Props {
  hasMore: boolean;
  loading: boolean;
  onLoadMore: () => void;
}

/** Infinite scroll: loads the next page when this comes into view; the button works without it. */
export function LoadMore({ hasMore, loading, onLoadMore }: Props) {
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element || !hasMore || typeof IntersectionObserver === "undefined") return;
    const observer = new IntersectionObserver((entries) => {
      if (entries.some((e) => e.isIntersecting) && !loading) onLoadMore();
    }, { rootMargin: "200px" });
    observer.observe(element);
    return () => observer.disconnect();
  }, [hasMore, loading, onLoadMore]);

  if (!hasMore) return null;
  return (
    <div ref={ref} className="load-more">
      <button type="button" className="button button-secondary" disabled={loading} onClick={onLoadMore}>
        {loading ? "Loading more…" : "Load more"}
      </button>
    </div>
  );
}
