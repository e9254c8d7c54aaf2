"""Requests the real model APIs accept: every model in the price table answers, and what they refuse is seen.

The fakes refuse what Gemini and OpenAI refuse (strict-schema rules, thinking settings per
model, audio types, token limits, unknown models), so a request only the fakes would take
shows up here as a fallback instead of passing silently.
"""

from __future__ import annotations

import aiohttp
import google.genai
import openai
import pytest
from google.genai import errors, types

from core.ai.chain import DEFAULT_PRICES
from testing.gemini_api import FakeGeminiAPI
from testing.openai_api import FakeOpenAIAPI
from testing.whatsapp_webhooks import wa_media_message
from tests.ai.conftest import AIDesk, StartAIDesk
from tests.ai.test_answers import MARIA, write
from tests.conftest import CHANNEL

LOGIN = "Não consigo entrar na plataforma, diz que a senha está errada"


async def calls(desk: AIDesk) -> list[tuple[str, str, str, str]]:
    return await desk.rows("SELECT provider, model, outcome, detail FROM ai_calls ORDER BY id")


@pytest.mark.parametrize("model", sorted(DEFAULT_PRICES))
async def test_every_model_in_the_price_table_accepts_the_requests_atende_sends(
    start_ai_desk: StartAIDesk, model: str
) -> None:
    if model.startswith("gemini"):
        desk = await start_ai_desk(gemini_model=model, use_openai=False)
    else:
        desk = await start_ai_desk(openai_model=model, use_gemini=False)
    await write(desk, LOGIN)

    made = await calls(desk)
    assert made, "no model was called"
    assert all(outcome == "ok" for _, name, outcome, _ in made if name == model), made
    assert {name for _, name, _, _ in made} == {model}


async def test_gemini_pro_is_asked_to_think_as_little_as_it_can_and_flash_not_at_all(
    start_ai_desk: StartAIDesk,
) -> None:
    pro = await start_ai_desk(gemini_model="gemini-2.5-pro", use_openai=False)
    await write(pro, LOGIN)
    configs = [c.params["generationConfig"] for c in pro.gemini.calls_to("generateContent")]
    assert {c["thinkingConfig"]["thinking_budget"] for c in configs} == {128}
    # the budget comes on top of the answer's own room: thinking must not starve the answer
    assert all(c["maxOutputTokens"] >= 128 + 200 for c in configs)


@pytest.mark.parametrize(
    ("settings", "provider", "detail"),
    [
        (
            dict(gemini_model="gemini-2.5-pro", gemini_thinking_budget=0),
            "gemini",
            "only works in thinking mode",
        ),
        (dict(gemini_thinking_budget=100_000), "gemini", "thinking budget 100000 is invalid"),
        (dict(gemini_model="gemini-1.0-ultra"), "gemini", "is not found"),
        (dict(openai_model="gpt-9-imaginary", use_gemini=False), "openai", "does not exist"),
    ],
    ids=["pro-cannot-stop-thinking", "budget-out-of-range", "unknown-gemini-model", "unknown-openai-model"],
)
async def test_a_refused_request_falls_back_and_the_call_log_keeps_the_reason(
    start_ai_desk: StartAIDesk, settings: dict, provider: str, detail: str
) -> None:
    desk = await start_ai_desk(**settings)
    await write(desk, LOGIN)

    refused = [row for row in await calls(desk) if row[0] == provider]
    assert refused and all(outcome == "http_error" for _, _, outcome, _ in refused)
    assert all(detail in why for _, _, _, why in refused), refused
    assert len(desk.sent_texts()) == 1  # the next step of the chain answered the customer


async def test_a_voice_note_gemini_cannot_take_is_not_sent_to_it_and_a_person_listens(
    ai_desk: AIDesk,
) -> None:
    ai_desk.graph.add_media("7002", b"#!AMR\n" + b"\0" * 64, "audio/amr")
    response = await ai_desk.whatsapp(
        wa_media_message(MARIA, "Maria", "audio", "7002", "audio/amr", voice=True)
    )
    assert response.status == 200
    await ai_desk.settle()

    assert ai_desk.gemini.audio == []
    assert any("Precisa de uma pessoa para ouvir" in t for t in ai_desk.texts())


async def test_repeated_failures_of_a_model_alert_the_support_channel_once_and_its_recovery_too(
    start_ai_desk: StartAIDesk,
) -> None:
    desk = await start_ai_desk(ai_fallback_alert_after=3, use_openai=False)
    desk.gemini.fail("generateContent", status=400, times=None, message="API key expired. Please renew.")
    await write(desk, LOGIN)
    await write(desk, "Como emito a nota fiscal?")

    alerts = [m["text"] for m in desk.parents() if "🚨" in m.get("text", "")]
    assert len(alerts) == 1
    assert "`gemini-2.5-flash`" in alerts[0] and "falhou nas últimas 3 chamadas" in alerts[0]
    assert "API key expired" in alerts[0]
    assert len(desk.sent_texts()) >= 2  # the offline rules kept answering meanwhile

    async with desk.http.get(f"{desk.url}/metrics") as response:
        metrics = await response.text()
    counted = 'atende_ai_fallbacks_total{model="gemini-2.5-flash",provider="gemini",reason="http_error"}'
    assert f"{counted} 6.0" in metrics  # classification, draft and quality check of both messages

    desk.gemini.clear_faults()
    await write(desk, "Obrigada!")
    recovered = [m["text"] for m in desk.parents() if m.get("text", "").startswith("✅")]
    assert recovered == ["✅ O modelo `gemini-2.5-flash` voltou a responder normalmente."]


async def test_no_alert_while_failures_are_occasional(start_ai_desk: StartAIDesk) -> None:
    desk = await start_ai_desk(ai_fallback_alert_after=3, use_openai=False)
    desk.gemini.fail("generateContent", status=503, times=2)
    await write(desk, LOGIN)
    await write(desk, "Como emito a nota fiscal?")

    assert not [m for m in desk.slack.channel_messages(CHANNEL) if "🚨" in m.get("text", "")]


# The fakes themselves, through the real SDKs: each refusal of the real APIs is made.

STRICT_OK = {
    "type": "object",
    "properties": {"a": {"type": "string"}, "b": {"type": ["number", "null"]}},
    "required": ["a", "b"],
    "additionalProperties": False,
}


async def ask_openai(
    client: openai.AsyncOpenAI, model: str = "gpt-4o-mini", schema: dict | None = None, **options: object
) -> None:
    """One chat completion through the real SDK (``schema``: a strict json_schema response format)."""
    if schema is not None:
        options["response_format"] = {
            "type": "json_schema",
            "json_schema": {"name": "x", "strict": True, "schema": schema},
        }
    messages = options.pop("messages", [{"role": "user", "content": "oi"}])
    await client.chat.completions.create(model=model, messages=messages, **options)  # type: ignore[call-overload]


@pytest.mark.parametrize(
    ("schema", "message"),
    [
        (
            {**STRICT_OK, "properties": {**STRICT_OK["properties"], "b": {"type": "number", "default": 0.5}}},
            "'default' is not permitted",
        ),
        (
            {k: v for k, v in STRICT_OK.items() if k != "additionalProperties"},
            "'additionalProperties' is required",
        ),
        ({**STRICT_OK, "required": ["a"]}, "Missing 'b'"),
        (
            {
                **STRICT_OK,
                "properties": {
                    "a": {"type": "array", "items": {"type": "string"}, "uniqueItems": True},
                    "b": {"type": "number"},
                },
            },
            "'uniqueItems' is not permitted",
        ),
    ],
    ids=["default", "additional-properties", "not-all-required", "unsupported-keyword"],
)
async def test_the_fake_openai_refuses_what_strict_structured_outputs_refuse(
    schema: dict, message: str
) -> None:
    async with FakeOpenAIAPI(api_key="k") as fake:
        client = openai.AsyncOpenAI(api_key="k", base_url=fake.url + "/v1", max_retries=0)
        with pytest.raises(openai.BadRequestError, match=message):
            await ask_openai(client, schema=schema)
        await ask_openai(client, schema=STRICT_OK)
        await client.close()


async def test_the_fake_openai_refuses_token_limits_and_json_schema_on_older_models() -> None:
    async with FakeOpenAIAPI(api_key="k") as fake:
        client = openai.AsyncOpenAI(api_key="k", base_url=fake.url + "/v1", max_retries=0)
        with pytest.raises(openai.BadRequestError, match="at most 16384 completion tokens"):
            await ask_openai(client, max_completion_tokens=100_000)
        with pytest.raises(openai.BadRequestError, match="maximum context length is 16385"):
            await ask_openai(
                client, "gpt-3.5-turbo", messages=[{"role": "user", "content": "palavra " * 20_000}]
            )
        with pytest.raises(openai.BadRequestError, match="not supported with this model"):
            await ask_openai(client, "gpt-3.5-turbo", schema=STRICT_OK)
        await client.close()


async def test_the_fake_gemini_refuses_schema_fields_thinking_audio_and_token_limits() -> None:
    async with FakeGeminiAPI(api_key="k") as fake:
        client = google.genai.Client(
            api_key="k",
            http_options=types.HttpOptions(
                base_url=fake.url, retry_options=types.HttpRetryOptions(attempts=1)
            ),
        )

        async def generate(
            model: str = "gemini-2.5-flash", contents: object = "oi", **config: object
        ) -> None:
            await client.aio.models.generate_content(
                model=model,
                contents=contents,
                config=types.GenerateContentConfig(**config),  # type: ignore[arg-type]
            )

        with pytest.raises(errors.ClientError, match="only works in thinking mode"):
            await generate("gemini-2.5-pro", thinking_config=types.ThinkingConfig(thinking_budget=0))
        with pytest.raises(errors.ClientError, match="Thinking level is not supported"):
            await generate(thinking_config=types.ThinkingConfig(thinking_level=types.ThinkingLevel.LOW))
        with pytest.raises(errors.ClientError, match="supported range is from 1"):
            await generate(max_output_tokens=100_000)
        with pytest.raises(errors.ClientError, match="Unsupported MIME type: audio/amr"):
            await generate(contents=[types.Part.from_bytes(data=b"#!AMR", mime_type="audio/amr")])
        with pytest.raises(errors.ClientError, match="is not found"):
            await generate("gemini-1.0-ultra")
        await generate(thinking_config=types.ThinkingConfig(thinking_budget=0))  # Flash may stop thinking
        await client.aio.aclose()

        # responseSchema is an OpenAPI subset: JSON Schema's "const" (no field of Schema) is refused
        schema = {"type": "OBJECT", "properties": {"a": {"type": "STRING", "const": "x"}}}
        body = {"contents": [{"parts": [{"text": "oi"}]}], "generationConfig": {"responseSchema": schema}}
        async with aiohttp.ClientSession() as http:
            url = f"{fake.url}/v1beta/models/gemini-2.5-flash:generateContent"
            async with http.post(url, json=body, headers={"x-goog-api-key": "k"}) as response:
                assert response.status == 400
                assert 'Unknown name "const"' in (await response.json())["error"]["message"]
