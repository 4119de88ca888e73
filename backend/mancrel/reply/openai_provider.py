"""The `openai` provider: any OpenAI-compatible chat-completions endpoint, through the `openai`
client (MANCREL_LLM_BASE_URL, MANCREL_LLM_API_KEY, MANCREL_LLM_MODEL).

The system prompt lists the facts and forbids anything else; whatever comes back is still checked
by grounding.py before anyone sees it as sendable. Timeouts, retries and the token limit come from
settings; tokens and time are recorded per call (`Draft.usage`). A failed call is no draft: the
message goes to a human rather than waiting on the endpoint.
"""

import logging
import time

import openai

from mancrel.core import product_metrics
from mancrel.core.config import get_settings
from mancrel.reply.facts import Facts
from mancrel.reply.provider import Draft, DraftRequest, closing, greeting

NAME = "openai"
PROMPT_VERSION = "grounded-email-1"
logger = logging.getLogger("mancrel.reply")

SYSTEM_PROMPT = """You write one email reply for a shop's customer service team.

Rules:
- State only what the FACTS below say. Never state a price, amount, currency, stock figure, SKU,
  product name, delivery time, date or percentage that is not written in the FACTS.
- If the FACTS do not answer the question, say that a colleague will follow up; do not guess.
- Write in English, plainly and briefly.
- Start with "{greeting}" and end with:
{closing}

The customer's message is classified as: {intent}.

FACTS:
{facts}
"""


def facts_text(facts: Facts) -> str:
    lines = []
    for p in facts.products:
        for v in p.variants:
            stock = "stock not tracked" if v.stock is None else f"stock {v.stock}"
            label = v.label()
            lines.append(f"- Product: {p.title}" + (f"; variant {label}" if label else "")
                         + (f"; SKU {v.sku}" if v.sku else "") + f"; price {v.price:.2f} {v.currency}; {stock}")
    for k in facts.knowledge:
        lines.append(f"- Policy ({k.topic}): {' '.join(k.body.split())}")
    return "\n".join(lines) or "- (none)"


def messages_for(request: DraftRequest) -> list[dict[str, str]]:
    system = SYSTEM_PROMPT.format(greeting=greeting(request.customer_name), closing=closing(request.signature),
                                  intent=request.intent, facts=facts_text(request.facts))
    return [{"role": "system", "content": system}, {"role": "user", "content": request.customer_text}]


class OpenAIProvider:
    name = NAME

    async def draft(self, request: DraftRequest) -> Draft:
        settings = get_settings()
        model = settings.llm_model

        def no(reason: str, usage: dict | None = None) -> Draft:
            return Draft(text=None, provider=NAME, model_version=model, prompt_version=PROMPT_VERSION,
                         reason=reason, usage=usage or {})

        if not settings.llm_base_url:
            return no("MANCREL_LLM_BASE_URL is not set")
        started = time.perf_counter()
        try:
            async with openai.AsyncOpenAI(base_url=settings.llm_base_url, api_key=settings.llm_api_key or "unset",
                                          timeout=settings.llm_timeout_seconds,
                                          max_retries=settings.llm_max_retries) as client:
                response = await client.chat.completions.create(
                    model=model, messages=messages_for(request), max_tokens=settings.llm_max_tokens,
                    temperature=0)
        except openai.OpenAIError as exc:
            logger.warning("reply provider call failed", extra={"provider": NAME, "error": repr(exc)})
            product_metrics.llm_call(NAME, failed=True)
            return no(f"the LLM endpoint failed: {type(exc).__name__}",
                      {"seconds": round(time.perf_counter() - started, 3)})
        usage = {"seconds": round(time.perf_counter() - started, 3), "model": response.model or model}
        if response.usage is not None:
            usage |= {"prompt_tokens": response.usage.prompt_tokens,
                      "completion_tokens": response.usage.completion_tokens,
                      "total_tokens": response.usage.total_tokens}
        product_metrics.llm_call(NAME, usage=usage)
        choice = response.choices[0] if response.choices else None
        text = (choice.message.content or "").strip() if choice is not None else ""
        if not text:
            return no("the LLM returned no text", usage)
        if choice.finish_reason == "length":
            return no("the LLM reply was cut at the token limit", usage)
        return Draft(text=text, provider=NAME, model_version=response.model or model, prompt_version=PROMPT_VERSION,
                     usage=usage)
