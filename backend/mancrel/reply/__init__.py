"""AI replies: retrieval, reply providers, grounding, the gate and policy, suggestions and their audit."""
