"""`atende demo` in headless Chromium: a newcomer's whole first conversation, clicked through the page.

Needs Playwright for Python and Debian's chromium (`.ci/run` installs both when it can);
without a browser the test is skipped with the reason, never failed for that alone.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import AsyncIterator

import pytest

from bot.demo import Demo

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
playwright_api = pytest.importorskip("playwright.async_api", reason="Playwright is not installed")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="no chromium on this machine (apt-get install chromium)"
)

BROWSER_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
# ATENDE_DEMO_SCREENSHOT=docs/demo.png refreshes the README's picture of the page
SCREENSHOT = os.environ.get("ATENDE_DEMO_SCREENSHOT")


@pytest.fixture
async def page(demo: Demo) -> AsyncIterator[object]:
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = await browser.new_page(viewport={"width": 1440, "height": 900})
        await page.goto(demo.url)
        yield page
        await browser.close()


async def test_a_conversation_from_the_phone_to_the_desk_and_back(demo: Demo, page) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    chat = page.get_by_test_id("phone-chat")

    # the customer writes on the phone
    await page.locator("#phone-text").fill("Oi, não consigo entrar na plataforma")
    await page.locator("#phone-form button[type=submit]").click()
    await expect(chat.get_by_text("Oi, não consigo entrar na plataforma")).to_be_visible()

    # the ticket appears in #suporte; Ana claims it
    messages = page.get_by_test_id("slack-messages")
    await expect(messages.get_by_text("Maria Silva").first).to_be_visible()
    await messages.get_by_role("button", name="Assumir").click()
    await expect(messages.get_by_role("button", name="Liberar")).to_be_visible()

    # she opens the conversation and answers; the customer gets it, delivered
    await messages.get_by_role("button", name="respostas").first.click()
    thread = page.get_by_test_id("slack-thread")
    await expect(thread.get_by_text("Oi, não consigo entrar na plataforma")).to_be_visible()
    await page.locator("#thread-text").fill("Oi, Maria! Use a opção Esqueci minha senha na tela de login.")
    await page.locator("#thread-composer button[type=submit]").click()
    reply = chat.get_by_test_id("business-message").filter(has_text="Esqueci minha senha")
    await expect(reply).to_be_visible()
    await expect(reply.get_by_test_id("read")).to_be_visible()  # the phone shows it, so it is read
    await expect(thread.locator(".reactions").last).to_contain_text("👀")  # Slack shows it was read

    # Ana resolves; the customer receives the closing message
    await messages.get_by_role("button", name="Resolver").click()
    await expect(messages.get_by_text("Resolvido").first).to_be_visible()
    # waits for the second business message (the closing one; the rating list follows it)
    await expect(chat.get_by_test_id("business-message").nth(1)).to_be_visible()

    if SCREENSHOT:
        await page.screenshot(path=SCREENSHOT)


@pytest.fixture
async def ai_page(tmp_path, monkeypatch):  # type: ignore[no-untyped-def]
    """The demo with the offline AI on, drafting every answer for an agent to send."""
    monkeypatch.setenv("AI_ENABLED", "true")
    monkeypatch.setenv("AI_AUTOREPLY", "off")
    for key in ("GEMINI_API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(key, raising=False)
    running = Demo(port=0, database_path=str(tmp_path / "demo.db"))
    await running.start()
    async with playwright_api.async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=BROWSER_ARGS)
        page = await browser.new_page(viewport={"width": 1440, "height": 900})
        await page.goto(running.url)
        yield page
        await browser.close()
    await running.stop()


async def test_the_ai_drafts_an_agent_sends_resolves_and_the_customer_rates(ai_page) -> None:  # type: ignore[no-untyped-def]
    page = ai_page
    expect = playwright_api.expect
    chat = page.get_by_test_id("phone-chat")
    messages = page.get_by_test_id("slack-messages")
    thread = page.get_by_test_id("slack-thread")

    await page.locator("#phone-text").fill(
        "Oi, me cadastrei ontem e não consigo entrar, diz que a senha está errada"
    )
    await page.locator("#phone-form button[type=submit]").click()

    # the AI's draft waits in the thread; Ana claims the ticket and sends the draft
    await expect(messages.get_by_role("button", name="Assumir")).to_be_visible(timeout=15_000)
    await messages.get_by_role("button", name="Assumir").click()
    await messages.get_by_role("button", name="respostas").first.click()
    send = thread.get_by_role("button", name="Enviar")
    await expect(send).to_be_visible(timeout=15_000)
    await send.click()

    # the draft reaches the phone and is marked delivered (then read, since the phone shows it)
    answer = chat.get_by_test_id("business-message").first
    await expect(answer).to_be_visible(timeout=15_000)
    await expect(answer.locator(".ticks")).to_contain_text("✓✓")

    # Ana resolves; the phone gets the rating list; the customer picks 5 and Slack shows it
    await messages.get_by_role("button", name="Resolver").click()
    five = chat.locator(".choices button").filter(has_text="5")
    await expect(five.first).to_be_visible(timeout=15_000)
    await five.first.click()
    await expect(thread).to_contain_text("avaliou o atendimento com 5/5", timeout=15_000)


async def test_a_supervisor_declares_a_crisis_from_the_command_box_and_the_phone_gets_it(  # type: ignore[no-untyped-def]
    demo: Demo, page
) -> None:
    expect = playwright_api.expect
    await page.locator("#agent").select_option("U0CARLA")  # switch who you are: the supervisor
    await page.locator("#composer-text").fill("/suporte crise")
    await page.locator("#composer button[type=submit]").click()
    modal = page.get_by_test_id("slack-modal")
    await expect(modal).to_contain_text("Declarar crise")

    # picking the scenario redraws the message with that scenario's own text
    await modal.locator('label[data-block-id="scenario"] select').select_option("billing_system_failure")
    message = modal.locator('label[data-block-id="message:billing_system_failure"] textarea')
    await expect(message).to_have_value(re.compile("devolvemos o valor"))
    await modal.locator('label[data-block-id="description"] input').fill("a fatura veio em dobro")
    await modal.locator('label[data-block-id="template"] input').fill("aviso_importante")
    await modal.locator("button[type=submit]").click()

    # the preview: recipients and the text as customers will read it; nothing sent yet
    await expect(modal).to_contain_text("destinatários")
    await expect(modal).to_contain_text("O que está acontecendo: a fatura veio em dobro")
    await modal.get_by_role("button", name="Confirmar e enviar").click()

    # the crisis thread opens in Slack and the customer's phone receives the notice
    await expect(page.get_by_test_id("slack-messages")).to_contain_text(
        "Crise SUPPORT_CRISIS_", timeout=15_000
    )
    chat = page.get_by_test_id("phone-chat")
    await expect(chat).to_contain_text("a fatura veio em dobro", timeout=15_000)
