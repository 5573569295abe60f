"""Optional LLM answers through llama-index, gated by the citation checker.

With no LLM configured nothing changes: :func:`make_generator` returns
``None`` and :class:`~assistant.answer.Assistant` answers extractively. With
one configured, the Assistant hands the retrieved passages, numbered from 1,
to the generator; the reply is checked sentence by sentence
(:func:`assistant.citations.check_answer`) and only verified sentences are
shown (``Answer.mode == "llm"``). A failure of any kind — time-out,
connection refused, HTTP 4xx/5xx, rate limit, empty or malformed reply —
becomes :class:`~assistant.answer.GeneratorError` with a one-line message,
and the extractive answer is shown with a ``note`` saying why.

Back-ends (:class:`LLMBackend`):

``openai``
    any OpenAI-compatible chat server (vLLM, llama.cpp, Ollama, OpenAI …)
    through ``llama_index.llms.openai_like.OpenAILike``; the API key comes
    from ``$PLANQA_LLM_API_KEY`` or ``$OPENAI_API_KEY`` only (never a flag).
``local``
    a transformers causal LM by hub name or folder, on CPU, through
    ``llama_index.llms.huggingface.HuggingFaceLLM``.

Configuration (:class:`LLMConfig`) comes from CLI flags, else the
environment: ``PLANQA_LLM`` (none|openai|local), ``PLANQA_LLM_BASE_URL``,
``PLANQA_LLM_MODEL``, ``PLANQA_LLM_TIMEOUT`` (seconds).

Example::

    from assistant.answer import Assistant
    from assistant.llm import LLMConfig, ask_streaming, make_generator

    cfg = LLMConfig(backend="openai", base_url="http://127.0.0.1:8080/v1", model="qwen2.5-7b-instruct")
    assistant = Assistant(db_dir, generator=make_generator(cfg))
    answer = assistant.ask("分項二 108 年度經費是多少？")        # answer.mode: "llm" or "extractive"
    for draft, final in ask_streaming(assistant, "分項二 108 年度經費是多少？"):
        ...   # show `draft` while final is None; then show the checked `final`
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field, fields
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Iterator, Mapping, Sequence

from ingest.models import Chunk

from .answer import DEFAULT_TOP_K, AnswerGenerator, GeneratorError
from .prompts import build_messages

if TYPE_CHECKING:  # pragma: no cover
    from .answer import Answer, Assistant

# Environment variables read by LLMConfig.from_env (flags override them).
ENV_BACKEND = "PLANQA_LLM"
ENV_BASE_URL = "PLANQA_LLM_BASE_URL"
ENV_MODEL = "PLANQA_LLM_MODEL"
ENV_TIMEOUT = "PLANQA_LLM_TIMEOUT"
# API key for the openai back-end, first one set wins.
ENV_API_KEYS = ("PLANQA_LLM_API_KEY", "OPENAI_API_KEY")
# Sent when no key is set: local OpenAI-compatible servers ignore the key,
# but the OpenAI client refuses to start without one.
NO_API_KEY = "no-key"
# Longest pause between two tries (seconds); a server asking for a longer
# Retry-After than this or than the time-out is not retried.
MAX_RETRY_WAIT_S = 5.0
# Longest error text kept in a GeneratorError message (characters).
MAX_ERROR_CHARS = 240


class LLMConfigError(ValueError):
    """An LLM setting that cannot work (unknown back-end, missing URL or
    model, a local model that cannot be loaded); one-line message."""


class LLMBackend(str, Enum):
    """Where LLM answers come from.

    ``none``: extractive answers only; ``openai``: an OpenAI-compatible
    HTTP server; ``local``: a transformers model on this machine.
    """

    NONE = "none"
    OPENAI = "openai"
    LOCAL = "local"

    @classmethod
    def parse(cls, value: "str | LLMBackend | None") -> "LLMBackend":
        """The back-end named ``value`` (case-insensitive; ``None`` or ``""``
        → ``none``).

        Raises:
            LLMConfigError: unknown name; the message lists the valid ones.
        """
        if isinstance(value, cls):
            return value
        name = (value or "none").strip().lower()
        try:
            return cls(name)
        except ValueError:
            valid = ", ".join(b.value for b in cls)
            raise LLMConfigError(f"unknown LLM back-end {value!r}; valid values: {valid}") from None


@dataclass
class LLMConfig:
    """Settings of the optional LLM answer.

    Attributes:
        backend: :class:`LLMBackend` (a name is accepted and converted).
        base_url: ``openai``: the server's API root, e.g.
            ``http://127.0.0.1:8080/v1`` (``/chat/completions`` is appended).
        model: ``openai``: the model name the server expects; ``local``: a
            transformers model folder or hub name (offline: cached only).
        timeout_s: seconds; ``openai``: the time-out of every HTTP request
            (connect, each read) and the limit on a whole streamed answer;
            ``local``: the generation time limit (``max_time``).
        max_tokens: most tokens generated per answer.
        temperature: sampling temperature (0 = greedy/deterministic).
        max_retries: ``openai``: extra tries after HTTP 429/5xx or a refused
            connection (not after a time-out), at most
            :data:`MAX_RETRY_WAIT_S` apart. Worst case for one answer:
            ``(1 + max_retries) * timeout_s`` plus the pauses.
        context_window: ``local``: tokens of prompt + answer the model takes
            (default: the model's ``max_position_embeddings``, at most
            32768); lowest-ranked sources are left out until the prompt fits.
        api_key: ``openai`` key; default from ``$PLANQA_LLM_API_KEY`` or
            ``$OPENAI_API_KEY`` (never shown in ``repr``).

    Raises:
        LLMConfigError: an unknown back-end or an out-of-range number.
    """

    backend: LLMBackend = LLMBackend.NONE
    base_url: str | None = None
    model: str | None = None
    timeout_s: float = 60.0
    max_tokens: int = 512
    temperature: float = 0.0
    max_retries: int = 1
    context_window: int | None = None
    api_key: str | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        self.backend = LLMBackend.parse(self.backend)
        if not self.timeout_s > 0:
            raise LLMConfigError(f"LLM time-out must be > 0 seconds, got {self.timeout_s}")
        if self.max_tokens < 1:
            raise LLMConfigError(f"LLM max_tokens must be ≥ 1, got {self.max_tokens}")
        if not 0 <= self.temperature <= 2:
            raise LLMConfigError(f"LLM temperature must be in [0, 2], got {self.temperature}")
        if self.max_retries < 0:
            raise LLMConfigError(f"LLM max_retries must be ≥ 0, got {self.max_retries}")
        if self.context_window is not None and self.context_window <= self.max_tokens:
            raise LLMConfigError(f"LLM context_window ({self.context_window}) must exceed max_tokens ({self.max_tokens})")

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None, **flags: Any) -> "LLMConfig":
        """Settings from command-line ``flags`` (``None`` = not given), else
        the environment (``PLANQA_LLM``, ``PLANQA_LLM_BASE_URL``,
        ``PLANQA_LLM_MODEL``, ``PLANQA_LLM_TIMEOUT``), else the defaults.

        Args:
            env: the environment (default ``os.environ``).
            **flags: any :class:`LLMConfig` field.

        Raises:
            LLMConfigError: unknown field, unknown back-end, a bad number.
        """
        env = os.environ if env is None else env
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(flags) - known)
        if unknown:
            raise LLMConfigError(f"unknown LLM setting(s) {', '.join(unknown)}; valid: {', '.join(sorted(known))}")
        values = {k: v for k, v in flags.items() if v is not None}
        for key, var in (("backend", ENV_BACKEND), ("base_url", ENV_BASE_URL), ("model", ENV_MODEL)):
            if key not in values and env.get(var):
                values[key] = env[var]
        if "timeout_s" not in values and env.get(ENV_TIMEOUT):
            try:
                values["timeout_s"] = float(env[ENV_TIMEOUT])
            except ValueError:
                raise LLMConfigError(f"{ENV_TIMEOUT} must be a number of seconds, got {env[ENV_TIMEOUT]!r}") from None
        return cls(**values)

    def validate(self) -> None:
        """Check that the back-end has what it needs.

        Raises:
            LLMConfigError: ``openai`` without ``base_url``/``model`` or with
                a URL that is not http(s); ``local`` without ``model``.
        """
        if self.backend is LLMBackend.OPENAI:
            if not self.base_url:
                raise LLMConfigError(f"--llm openai needs --llm-base-url (or ${ENV_BASE_URL})")
            if not re.match(r"^https?://", self.base_url):
                raise LLMConfigError(f"LLM base URL must start with http:// or https://, got {self.base_url!r}")
            if not self.model:
                raise LLMConfigError(f"--llm openai needs --llm-model (or ${ENV_MODEL})")
        elif self.backend is LLMBackend.LOCAL and not self.model:
            raise LLMConfigError(f"--llm local needs --llm-model PATH_OR_NAME (or ${ENV_MODEL})")

    def resolved_api_key(self) -> str:
        """``api_key``, else the first of ``$PLANQA_LLM_API_KEY``,
        ``$OPENAI_API_KEY`` that is set, else :data:`NO_API_KEY`."""
        return self.api_key or next((os.environ[k] for k in ENV_API_KEYS if os.environ.get(k)), NO_API_KEY)


# ------------------------------------------------------------------ replies
_THINK_RE = re.compile(r"<think>.*?</think>", re.DOTALL)


def clean_reply(text: str, *, partial: bool = False) -> str:
    """A model reply without reasoning blocks (``<think>…</think>``, as
    reasoning models emit) and surrounding white space; with ``partial``
    (a draft still streaming) an unclosed ``<think>`` hides the rest."""
    text = _THINK_RE.sub("", text)
    if partial and "<think>" in text:
        text = text[: text.index("<think>")]
    return text.strip()


def _one_line(text: object) -> str:
    line = " ".join(str(text).split())
    return line if len(line) <= MAX_ERROR_CHARS else line[: MAX_ERROR_CHARS - 1] + "…"


class LlamaIndexGenerator:
    """An :class:`~assistant.answer.AnswerGenerator` over a llama-index LLM.

    Builds the chat (:func:`assistant.prompts.build_messages`: system prompt
    + question + ``<source id="n" …>`` elements), sends it, returns the
    reply. Subclasses say how errors read and whether to retry.

    Attributes:
        name: ``"<backend>:<model>"``, shown with answers.
        config: the :class:`LLMConfig`.
        llm: the llama-index LLM.
    """

    def __init__(self, llm: Any, config: LLMConfig, name: str):
        self.llm = llm
        self.config = config
        self.name = name

    # -- prompt
    def messages(self, question: str, sources: Sequence[tuple[int, Chunk]]) -> list:
        """The chat sent for ``question`` and the numbered ``sources``."""
        return build_messages(question, sources)

    # -- errors and retries (overridden)
    def _error(self, exc: BaseException) -> GeneratorError:
        return GeneratorError(_one_line(f"{self.name} failed: {type(exc).__name__}: {exc}"))

    def _retry_wait(self, exc: BaseException, attempt: int) -> float | None:
        """Seconds to wait before try ``attempt + 2``, or ``None``: give up."""
        return None

    def _with_retries(self, call: Callable[[], Any]) -> Any:
        attempt = 0
        while True:
            try:
                return call()
            except GeneratorError:
                raise
            except Exception as exc:  # noqa: BLE001 - every failure becomes a GeneratorError
                wait = self._retry_wait(exc, attempt) if attempt < self.config.max_retries else None
                if wait is None:
                    raise self._error(exc) from exc
                time.sleep(wait)
                attempt += 1

    def _finish(self, text: Any) -> str:
        if text is None:  # a message without content
            text = ""
        if not isinstance(text, str):
            raise GeneratorError(f"{self.name} returned a malformed response (no message text)")
        text = clean_reply(text)
        if not text:
            raise GeneratorError(f"{self.name} returned an empty answer")
        return text

    # -- AnswerGenerator
    def generate(self, question: str, sources: list[tuple[int, Chunk]]) -> str:
        """One non-streamed chat call.

        Args:
            question: as asked.
            sources: ``[(n, chunk), ...]``, n from 1 (the retrieval rank).

        Returns:
            The reply text (reasoning blocks removed), sentences citing ``[n]``.

        Raises:
            GeneratorError: time-out, connection error, HTTP error, rate
                limit, empty or malformed reply (one-line message).
        """
        messages = self.messages(question, sources)

        def call() -> Any:
            return self.llm.chat(messages).message.content

        return self._finish(self._with_retries(call))

    def stream(self, question: str, sources: list[tuple[int, Chunk]]) -> Iterator[str]:
        """The reply as it is generated: text deltas, in order (their
        concatenation is what :meth:`generate` would return, before
        :func:`clean_reply`).

        A failure before the first delta is retried like :meth:`generate`;
        the whole stream must end within ``config.timeout_s``.

        Raises:
            GeneratorError: as :meth:`generate`, at any point of the
                iteration; also when the stream ends without any text.
        """
        messages = self.messages(question, sources)
        start = time.monotonic()

        def open_stream() -> tuple[Any, Any]:
            responses = iter(self.llm.stream_chat(messages))
            return responses, next(responses, None)  # the request happens here

        responses, response = self._with_retries(open_stream)
        text = ""
        try:
            while response is not None:
                delta = getattr(response, "delta", None) or ""
                if not isinstance(delta, str):
                    raise GeneratorError(f"{self.name} returned a malformed stream (non-text delta)")
                if delta:
                    text += delta
                    yield delta
                if time.monotonic() - start > self.config.timeout_s:
                    raise GeneratorError(f"{self.name} did not finish its answer within {self.config.timeout_s:g} s")
                response = next(responses, None)
        except GeneratorError:
            raise
        except Exception as exc:  # noqa: BLE001 - every failure becomes a GeneratorError
            raise self._error(exc) from exc
        finally:
            close = getattr(responses, "close", None)
            if close is not None:
                close()
        if not clean_reply(text):
            raise GeneratorError(f"{self.name} returned an empty answer")


# ------------------------------------------------------------ openai back-end
def _retry_after_s(exc: BaseException) -> float | None:
    response = getattr(exc, "response", None)
    value = response.headers.get("retry-after") if response is not None else None
    try:
        return float(value) if value is not None else None
    except ValueError:
        return None  # an HTTP date: not worth parsing for a short wait


def _status_text(exc: Any) -> str:
    """The server's own error message of an ``openai.APIStatusError``."""
    body = getattr(exc, "body", None)
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return str(body) if body else "no error message"


class OpenAIGenerator(LlamaIndexGenerator):
    """Answers from an OpenAI-compatible chat server through
    ``OpenAILike(is_chat_model=True)``.

    The OpenAI client's own retries and llama-index's are off
    (``max_retries=0``, they honour ``Retry-After`` up to two minutes);
    :meth:`_retry_wait` retries 429/5xx/refused connections
    ``config.max_retries`` times instead, never waiting longer than
    :data:`MAX_RETRY_WAIT_S` or the time-out.
    """

    def __init__(self, config: LLMConfig):
        from llama_index.llms.openai_like import OpenAILike

        config.validate()
        llm = OpenAILike(model=config.model, api_base=config.base_url.rstrip("/"),
                         api_key=config.resolved_api_key(), is_chat_model=True,
                         is_function_calling_model=False, timeout=config.timeout_s, max_retries=0,
                         max_tokens=config.max_tokens, temperature=config.temperature)
        super().__init__(llm, config, f"openai:{config.model}")

    def _error(self, exc: BaseException) -> GeneratorError:
        import httpx
        import openai

        url = self.config.base_url
        if isinstance(exc, (openai.APITimeoutError, httpx.TimeoutException)):
            msg = f"no answer from {url} within {self.config.timeout_s:g} s (time-out)"
        elif isinstance(exc, (openai.APIConnectionError, httpx.TransportError)):
            cause = exc.__cause__ or exc
            msg = f"cannot reach {url}: {cause}"
        elif isinstance(exc, openai.RateLimitError):
            msg = f"rate limited by {url} (HTTP 429): {_status_text(exc)}"
        elif isinstance(exc, openai.APIStatusError):
            msg = f"HTTP {exc.status_code} from {url}: {_status_text(exc)}"
        else:
            msg = f"malformed response from {url} ({type(exc).__name__}: {exc})"
        return GeneratorError(_one_line(msg))

    def _retry_wait(self, exc: BaseException, attempt: int) -> float | None:
        import openai

        if isinstance(exc, openai.APITimeoutError):
            return None  # a second try could double the wait
        retryable = (isinstance(exc, (openai.RateLimitError, openai.APIConnectionError))
                     or (isinstance(exc, openai.APIStatusError) and exc.status_code >= 500))
        if not retryable:
            return None
        after = _retry_after_s(exc)
        if after is not None:
            return max(after, 0.0) if after <= min(MAX_RETRY_WAIT_S, self.config.timeout_s) else None
        return min(0.5 * 2 ** attempt, MAX_RETRY_WAIT_S, self.config.timeout_s)


# ------------------------------------------------------------- local back-end
def _guarded_hf_class() -> type:
    """``HuggingFaceLLM`` whose streaming cannot hang: the token queue is
    read with a time-out and an error in the generation thread is re-raised
    (the stock class waits forever when ``generate`` fails in its thread)."""
    import queue
    from threading import Thread

    from llama_index.core.base.llms.types import CompletionResponse
    from llama_index.core.bridge.pydantic import Field
    from llama_index.core.llms.callbacks import llm_completion_callback
    from llama_index.llms.huggingface import HuggingFaceLLM

    class GuardedHuggingFaceLLM(HuggingFaceLLM):
        stream_timeout_s: float = Field(default=60.0, description="Longest wait for the next streamed token (s).")

        @llm_completion_callback()
        def stream_complete(self, prompt: str, formatted: bool = False, **kwargs: Any):
            from transformers import TextIteratorStreamer

            full_prompt = prompt
            if not formatted:
                if self.query_wrapper_prompt:
                    full_prompt = self.query_wrapper_prompt.format(query_str=prompt)
                if self.system_prompt:
                    full_prompt = f"{self.system_prompt} {full_prompt}"
            inputs = self._tokenizer(full_prompt, return_tensors="pt").to(self._model.device)
            for key in self.tokenizer_outputs_to_remove:
                inputs.pop(key, None)
            streamer = TextIteratorStreamer(self._tokenizer, skip_prompt=True, skip_special_tokens=True,
                                            timeout=self.stream_timeout_s)
            failures: list[BaseException] = []

            def run() -> None:
                try:
                    self._model.generate(**inputs, streamer=streamer, max_new_tokens=self.max_new_tokens,
                                         stopping_criteria=self._stopping_criteria, **self.generate_kwargs)
                except BaseException as exc:  # noqa: BLE001 - handed to the reader
                    failures.append(exc)
                    streamer.end()

            Thread(target=run, daemon=True, name="planqa-local-llm").start()

            def gen():
                text = ""
                try:
                    for piece in streamer:
                        text += piece
                        yield CompletionResponse(text=text, delta=piece)
                except queue.Empty:
                    raise TimeoutError(f"no token within {self.stream_timeout_s:g} s") from None
                if failures:
                    raise failures[0]

            return gen()

    return GuardedHuggingFaceLLM


def _chat_prompt(tokenizer: Any) -> Callable[[Sequence[Any]], str]:
    """messages → prompt: the tokenizer's chat template when it has one,
    else llama-index's generic ``system: … user: … assistant:`` layout."""
    from llama_index.core.base.llms.generic_utils import messages_to_prompt

    def to_prompt(messages: Sequence[Any]) -> str:
        if getattr(tokenizer, "chat_template", None):
            return tokenizer.apply_chat_template([{"role": m.role.value, "content": m.content} for m in messages],
                                                 tokenize=False, add_generation_prompt=True)
        return messages_to_prompt(messages)

    return to_prompt


class LocalGenerator(LlamaIndexGenerator):
    """Answers from a transformers causal LM on the CPU through
    ``HuggingFaceLLM``.

    The model loads when the generator is made (seconds to minutes for a
    real model). Lowest-ranked sources are left out until prompt +
    ``max_tokens`` fit the context window.

    Raises:
        LLMConfigError: the model or its tokenizer cannot be loaded.
    """

    def __init__(self, config: LLMConfig):
        config.validate()
        try:
            from transformers import AutoModelForCausalLM, AutoTokenizer

            tokenizer = AutoTokenizer.from_pretrained(config.model)
            model = AutoModelForCausalLM.from_pretrained(config.model)
        except Exception as exc:  # noqa: BLE001 - OSError, ValueError, …: all mean "cannot load"
            raise LLMConfigError(_one_line(f"cannot load local model {config.model!r}: {exc}")) from exc
        model.eval()
        window = config.context_window or min(int(getattr(model.config, "max_position_embeddings", 0) or 4096), 32768)
        if window <= config.max_tokens:
            raise LLMConfigError(f"local model {config.model!r} takes {window} tokens, not more than max_tokens={config.max_tokens}")
        eos = tokenizer.eos_token_id
        generate_kwargs: dict[str, Any] = {"max_time": config.timeout_s,
                                           "pad_token_id": tokenizer.pad_token_id if tokenizer.pad_token_id is not None else eos}
        if config.temperature > 0:
            generate_kwargs.update(do_sample=True, temperature=config.temperature)
        else:
            generate_kwargs.update(do_sample=False)
        cls = _guarded_hf_class()
        llm = cls(model=model, tokenizer=tokenizer, model_name=str(config.model), tokenizer_name=str(config.model),
                  device_map="cpu", context_window=window, max_new_tokens=config.max_tokens,
                  stopping_ids=[eos] if eos is not None else [], generate_kwargs=generate_kwargs,
                  is_chat_model=True, messages_to_prompt=_chat_prompt(tokenizer))
        llm.stream_timeout_s = config.timeout_s
        self.context_window = window
        self.tokenizer = tokenizer
        name = Path(config.model).name if Path(config.model).exists() else config.model
        super().__init__(llm, config, f"local:{name}")

    def prompt_tokens(self, messages: Sequence[Any]) -> int:
        """Tokens of the prompt the model gets for ``messages``."""
        return len(self.tokenizer(self.llm.messages_to_prompt(messages))["input_ids"])

    def messages(self, question: str, sources: Sequence[tuple[int, Chunk]]) -> list:
        """The chat, with the lowest-ranked sources left out until prompt +
        ``max_tokens`` fit :attr:`context_window`.

        Raises:
            GeneratorError: not even the best source fits.
        """
        budget = self.context_window - self.config.max_tokens
        kept = list(sources)
        while True:
            messages = build_messages(question, kept)
            if self.prompt_tokens(messages) <= budget:
                return messages
            if len(kept) <= 1:
                raise GeneratorError(f"{self.name}: the prompt does not fit its context window of {self.context_window} tokens")
            kept.pop()

    def _error(self, exc: BaseException) -> GeneratorError:
        return GeneratorError(_one_line(f"local model {self.name} failed: {type(exc).__name__}: {exc}"))


# ------------------------------------------------------------------ factory
def make_generator(config: LLMConfig | None) -> AnswerGenerator | None:
    """The generator ``config`` describes, for ``Assistant(generator=...)``.

    Returns:
        ``None`` for back-end ``none`` (or no config): extractive answers
        only; an :class:`OpenAIGenerator` (no request is made yet) or a
        :class:`LocalGenerator` (the model is loaded now).

    Raises:
        LLMConfigError: missing URL/model, or a local model that cannot load.
    """
    if config is None or config.backend is LLMBackend.NONE:
        return None
    config.validate()
    if config.backend is LLMBackend.OPENAI:
        return OpenAIGenerator(config)
    return LocalGenerator(config)


# ---------------------------------------------------------------- streaming
class _Replay:
    """A generator that hands the Assistant a reply already streamed (or
    the error that ended the stream), after checking that the Assistant
    retrieved the same passages the draft was written from."""

    def __init__(self, name: str, chunk_ids: list[str], text: str, error: GeneratorError | None):
        self.name, self._chunk_ids, self._text, self._error = name, chunk_ids, text, error

    def generate(self, question: str, sources: list[tuple[int, Chunk]]) -> str:
        if [c.chunk_id for _, c in sources] != self._chunk_ids:
            raise GeneratorError("the retrieved passages changed while the answer streamed")
        if self._error is not None:
            raise self._error
        text = clean_reply(self._text)
        if not text:
            raise GeneratorError(f"{self.name} returned an empty answer")
        return text


def ask_streaming(assistant: "Assistant", question: str, doc_ids: list[str] | None = None,
                  top_k: int = DEFAULT_TOP_K) -> Iterator[tuple[str, "Answer | None"]]:
    """Answer ``question``, showing the LLM's draft while it streams.

    Yields ``(draft, None)`` after each streamed piece (``draft``: the reply
    so far, unchecked — show it as a draft), then exactly one
    ``(draft, answer)`` with the final :class:`~assistant.answer.Answer`,
    checked by the citation checker like :meth:`Assistant.ask`; show
    ``answer`` (``answer.mode``, ``answer.note``), never the draft, as the
    result. Without a streaming generator, or when the documents do not
    answer the question (no LLM call), only the final pair comes.

    Args:
        assistant: an :class:`~assistant.answer.Assistant`; its
            ``generator`` (from :func:`make_generator`) is used.
        question, doc_ids, top_k: as :meth:`Assistant.ask`.

    Raises:
        Only what :meth:`Assistant.ask` raises; generator failures end in
        the extractive answer with a note.
    """
    generator = assistant.generator
    if generator is None or not callable(getattr(generator, "stream", None)):
        yield "", assistant.ask(question, doc_ids=doc_ids, top_k=top_k)
        return
    extractive = assistant.ask(question, doc_ids=doc_ids, top_k=top_k, generator=None)
    if extractive.abstained:
        yield "", extractive
        return
    sources = [(i, assistant.retriever.chunks[c.chunk_id]) for i, c in enumerate(extractive.contexts, start=1)]
    draft, error = "", None
    t = time.perf_counter()
    try:
        for delta in generator.stream(question, sources):
            draft += delta
            yield clean_reply(draft, partial=True), None
    except GeneratorError as err:
        error = err
    llm_ms = (time.perf_counter() - t) * 1000
    replay = _Replay(generator.name, [c.chunk_id for _, c in sources], draft, error)
    final = assistant.ask(question, doc_ids=doc_ids, top_k=top_k, generator=replay)
    final.timings_ms["llm"] = round(llm_ms, 2)
    final.timings_ms["total"] = round(sum(v for k, v in final.timings_ms.items() if k != "total"), 2)
    yield clean_reply(draft), final
