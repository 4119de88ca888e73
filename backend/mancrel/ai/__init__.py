"""AI models: offline embeddings, vector stores, hybrid search and the intent classifier."""
