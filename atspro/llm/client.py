"""The one door to an OpenAI-compatible model server: structured completions, typed errors.

Retries: the ``openai`` package retries 408/409/429/5xx, timeouts and connection errors
itself, with exponential backoff (0.5 s doubling, capped at 8 s, minus up to 25 % jitter) and
honouring ``Retry-After``/``retry-after-ms`` up to 120 s. We let it (``llm_max_retries``) and
translate only the final failure, so the task platform sees one typed error per attempt:

    429 (rate limit)                -> RateLimitedError(retry_after_s from the headers)
    429 insufficient_quota, 413,
    context length, output cut off  -> ResourceExhaustedError
    5xx, 408, 409, timeout,
    connection failure              -> TransientError
    other 4xx, refusal, content
    filter, unparseable output      -> PermanentError

``llm_timeout_s`` bounds each attempt. The API key never appears in a message or log line.

Structured outputs: we send a strict ``json_schema`` response format built from the pydantic
model. Servers that reject it (older Ollama / LM Studio builds answer 400/422 naming
``response_format``) are switched, for the life of the client, to ``json_object`` mode with the
schema in the system prompt, and the reply is validated with pydantic. A reply that does not
match the schema in ``json_schema`` mode (servers that ignore the format) is asked for once
more in ``json_object`` mode before we give up with a PermanentError. The strict schema comes
from ``openai.lib._pydantic.to_strict_json_schema`` (private, but the converter ``.parse()``
itself uses; ``tests/llm/test_resume.py`` pins its output), cached per model class.

Configuration: key and base URL are passed explicitly, so the package does not take them from
the environment (it still reads its own optional OPENAI_ORG_ID / OPENAI_PROJECT_ID).
"""

from __future__ import annotations

import email.utils
import functools
import json
import logging
import re
import time
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import openai
from openai.lib._pydantic import to_strict_json_schema
from pydantic import BaseModel, ValidationError

from atspro.errors import (
    PermanentError,
    RateLimitedError,
    ResourceExhaustedError,
    TransientError,
)

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletionMessageParam
    from openai.types.chat.completion_create_params import ResponseFormat

    from atspro.settings import Settings

log = logging.getLogger(__name__)

T = TypeVar("T", bound=BaseModel)

# Local servers (Ollama, vLLM, LM Studio) accept any key but the package insists on one.
_PLACEHOLDER_KEY = "not-needed"
_FORMAT_WORDS = ("response_format", "json_schema", "structured output", "response format")
_CONTEXT_WORDS = (
    "context_length",
    "context length",
    "maximum context",
    "too many tokens",
    "prompt is too long",
)
_FENCE = re.compile(r"^\s*```(?:json)?\s*(.*?)\s*```\s*$", re.DOTALL)


class LLMClient:
    """A structured-output client for one model on one OpenAI-compatible server."""

    def __init__(
        self,
        *,
        model: str,
        api_key: str = "",
        base_url: str = "",
        timeout_s: float = 60.0,
        max_retries: int = 3,
    ) -> None:
        self.model = model
        self._api_key = api_key
        # Passing key and URL explicitly keeps the package from reading them from os.environ.
        self._openai = openai.AsyncOpenAI(
            api_key=api_key or _PLACEHOLDER_KEY,
            base_url=base_url or "https://api.openai.com/v1",
            timeout=timeout_s,
            max_retries=max_retries,
        )
        self._timeout_s = timeout_s
        self._json_object_only = False

    @classmethod
    def from_settings(cls, settings: Settings) -> LLMClient:
        """Build a client from the ``openai_*`` and ``llm_*`` settings."""
        return cls(
            model=settings.openai_model,
            api_key=settings.openai_api_key,
            base_url=settings.openai_base_url,
            timeout_s=settings.llm_timeout_s,
            max_retries=settings.llm_max_retries,
        )

    async def aclose(self) -> None:
        """Close the underlying HTTP connections."""
        await self._openai.close()

    async def __aenter__(self) -> LLMClient:
        return self

    async def __aexit__(
        self, et: type[BaseException] | None, ev: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    @property
    def json_object_only(self) -> bool:
        """True once the server has been found not to support ``json_schema`` outputs."""
        return self._json_object_only

    async def complete_structured(self, *, system: str, user: str, schema: type[T]) -> T:
        """Ask the model for one ``schema`` instance; raise a TaskError subclass on failure."""
        started = time.monotonic()
        try:
            if not self._json_object_only:
                try:
                    return await self._complete(
                        system=system, user=user, schema=schema, json_schema=True
                    )
                except _FormatUnsupported:
                    log.warning("model server rejects json_schema outputs; using json_object mode")
                    self._json_object_only = True
                except _Unparseable as exc:
                    log.info("reply did not match %s (%s); asking again", schema.__name__, exc)
            return await self._complete(system=system, user=user, schema=schema, json_schema=False)
        except _Unparseable as exc:
            raise PermanentError(
                f"The language model's reply does not match the {schema.__name__} schema: {exc}"
            ) from exc
        finally:
            log.debug("llm %s took %.2fs", schema.__name__, time.monotonic() - started)

    async def _complete(self, *, system: str, user: str, schema: type[T], json_schema: bool) -> T:
        if json_schema:
            response_format: ResponseFormat = strict_response_format(schema)
        else:
            response_format = {"type": "json_object"}
            system = f"{system}\n\n{json_object_instructions(schema)}"
        messages: list[ChatCompletionMessageParam] = [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ]
        try:
            completion = await self._openai.chat.completions.create(
                model=self.model, messages=messages, response_format=response_format
            )
        except ValueError as exc:  # a 200 whose body is not JSON at all
            raise _Unparseable(_describe(exc)) from exc
        except openai.OpenAIError as exc:
            raise self._translate(exc, detect_format=json_schema) from exc
        choice = completion.choices[0] if completion.choices else None
        if choice is None:
            raise _Unparseable("no choices in the reply")
        if choice.finish_reason == "length":
            raise ResourceExhaustedError(
                "The language model's reply was cut off at its length limit"
            )
        if choice.finish_reason == "content_filter":
            raise PermanentError("The language model's content filter rejected the request")
        if choice.message.refusal:
            raise PermanentError(
                f"The language model refused the request: {choice.message.refusal}"
            )
        content = choice.message.content or ""
        fenced = _FENCE.match(content)
        try:
            return schema.model_validate_json(fenced.group(1) if fenced else content)
        except ValidationError as exc:
            raise _Unparseable(_describe(exc)) from exc

    def _translate(self, exc: openai.OpenAIError, *, detect_format: bool) -> Exception:
        """Map an ``openai`` error to our error tree (or to the format-fallback signal)."""
        if isinstance(exc, openai.APITimeoutError):
            return TransientError(f"The language model did not answer within {self._timeout_s:g} s")
        if isinstance(exc, openai.APIConnectionError):
            return TransientError(f"Cannot reach the language model server: {self._redact(exc)}")
        if isinstance(exc, openai.APIStatusError):
            return self._translate_status(exc, detect_format=detect_format)
        return PermanentError(f"The language model call failed: {self._redact(exc)}")

    def _translate_status(self, exc: openai.APIStatusError, *, detect_format: bool) -> Exception:
        status = exc.status_code
        detail = self._redact(exc.message)
        lowered = f"{exc.code or ''} {exc.message}".lower()
        if status == 429:
            if exc.code == "insufficient_quota" or "quota" in lowered:
                return ResourceExhaustedError(f"The language model quota is used up: {detail}")
            retry_after_s = retry_after_from_headers(exc.response.headers)
            return RateLimitedError(
                "The language model server is rate limiting us", retry_after_s=retry_after_s
            )
        if status >= 500 or status in (408, 409):
            return TransientError(f"The language model server failed (HTTP {status}): {detail}")
        if status in (401, 403):
            # The server's own message can echo part of the key; say only what is wrong.
            return PermanentError(
                f"The language model server rejected our credentials (HTTP {status}); "
                "check OPENAI_API_KEY"
            )
        if status == 404:
            return PermanentError(
                f"The language model server has no model {self.model!r} or no chat "
                f"completions endpoint (HTTP 404): {detail}"
            )
        if status == 413 or any(word in lowered for word in _CONTEXT_WORDS):
            return ResourceExhaustedError(f"The input is too long for the language model: {detail}")
        if detect_format and status in (400, 422) and any(w in lowered for w in _FORMAT_WORDS):
            return _FormatUnsupported(detail)
        return PermanentError(
            f"The language model server refused the request (HTTP {status}): {detail}"
        )

    def _redact(self, value: object) -> str:
        text = str(value)
        return text.replace(self._api_key, "***") if self._api_key else text


@functools.cache
def strict_response_format(schema: type[BaseModel]) -> ResponseFormat:
    """The strict ``json_schema`` response format for ``schema``, built once per model class.

    Built by the ``openai`` package's own converter (every field required, no extra keys), the
    same one ``chat.completions.parse`` uses; cached because it costs ~10 ms of CPU per call.
    """
    return {
        "type": "json_schema",
        "json_schema": {
            "name": schema.__name__,
            "schema": to_strict_json_schema(schema),
            "strict": True,
        },
    }


@functools.cache
def json_object_instructions(schema: type[BaseModel]) -> str:
    """The system-prompt addition that carries the schema in ``json_object`` mode."""
    schema_text = json.dumps(schema.model_json_schema(), separators=(",", ":"))
    return (
        "Reply with a single JSON object and nothing else. "
        f"It must validate against this JSON schema:\n{schema_text}"
    )


def retry_after_from_headers(headers: Any) -> float | None:
    """Seconds to wait from ``retry-after-ms`` or ``retry-after`` (seconds or HTTP date)."""
    for name, divisor in (("retry-after-ms", 1000.0), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) / divisor)
        except ValueError:
            pass
        parsed = email.utils.parsedate_tz(value)
        if parsed is not None:
            return max(0.0, email.utils.mktime_tz(parsed) - time.time())
    return None


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "reply"
        return f"{exc.error_count()} error(s), first at {where}: {first['msg']}"
    return str(exc)[:200]


class _FormatUnsupported(Exception):
    """Internal: the server does not accept ``json_schema`` response formats."""


class _Unparseable(Exception):
    """Internal: the reply is not valid JSON for the schema."""


__all__ = [
    "LLMClient",
    "json_object_instructions",
    "retry_after_from_headers",
    "strict_response_format",
]
