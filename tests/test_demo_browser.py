"""`atende demo` in headless Chromium: a newcomer's whole first conversation, clicked through the page.

Needs Playwright for Python and Debian's chromium (`.ci/run` installs both when it can);
without a browser the test is skipped with the reason, never failed for that alone.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator

import pytest

from bot.demo.app import Demo
from bot.demo.customers import DEFAULT_CUSTOMERS
from bot.demo.scenarios import play

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
# ATENDE_DEMO_SCREENSHOTS=DIR keeps pictures of the layouts the tests check, to look at them
SCREENSHOT_DIR = os.environ.get("ATENDE_DEMO_SCREENSHOTS")


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
    await messages.get_by_role("button", name=re.compile("respostas?")).first.click()
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
    await messages.get_by_role("button", name=re.compile("respostas?")).first.click()
    send = thread.get_by_role("button", name="Enviar")
    await expect(send).to_be_visible(timeout=15_000)
    # the footer: the model and its confidence, then the sources on a line of their own
    footer = thread.locator(".block-context").filter(has_text="Fontes:")
    assert re.search(r"(^|\n)Fontes:", await footer.inner_text())
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


# ---------------------------------------------------------------- formatting, charts, scenarios, layout


async def test_whatsapp_formatting_shows_on_the_phone_and_mrkdwn_on_slack_as_the_apps_draw_them(  # type: ignore[no-untyped-def]
    demo: Demo, page
) -> None:
    expect = playwright_api.expect
    chat = page.get_by_test_id("phone-chat")
    # the customer formats as WhatsApp allows; markup in the text stays text
    await page.locator("#phone-text").fill(
        'Oi, *urgente* _por favor_ ~ontem~ ```erro 500``` <img src=x onerror="document.title=1">'
    )
    await page.locator("#phone-form button[type=submit]").click()
    mine = chat.get_by_test_id("customer-message").first
    await expect(mine.locator("b")).to_have_text("urgente")
    await expect(mine.locator("i")).to_have_text("por favor")
    await expect(mine.locator("s")).to_have_text("ontem")
    await expect(mine.locator("pre")).to_have_text("erro 500")
    await expect(mine).to_contain_text('<img src=x onerror="document.title=1">')
    assert await mine.locator("img").count() == 0
    assert "*" not in await mine.inner_text()

    # Ana answers with bold: the phone shows it bold, without asterisks
    messages = page.get_by_test_id("slack-messages")
    await messages.get_by_role("button", name=re.compile("respostas?")).first.click()
    await page.locator("#thread-text").fill("Toque em *Esqueci minha senha* na tela de login.")
    await page.locator("#thread-composer button[type=submit]").click()
    reply = chat.get_by_test_id("business-message").filter(has_text="Esqueci minha senha")
    await expect(reply.locator("b")).to_have_text("Esqueci minha senha")
    assert "*" not in await reply.inner_text()

    # on Slack: a quote, bold, a link with its label and a mention, drawn as Slack draws them
    await page.locator("#composer-text").fill(
        "> o cliente disse *isto* <https://example.com/ajuda|a ajuda> para <@U0BRUNO>"
    )
    await page.locator("#composer button[type=submit]").click()
    quote = messages.locator("blockquote").filter(has_text="o cliente disse")
    await expect(quote).to_be_visible()
    await expect(quote.locator("b")).to_have_text("isto")
    link = quote.get_by_role("link", name="a ajuda")
    await expect(link).to_have_attribute("href", "https://example.com/ajuda")
    await expect(quote.locator(".mention")).to_have_text("@Bruno Costa")
    assert ">" not in await quote.inner_text() and "<" not in await quote.inner_text()
    assert await page.title() == "atende · demo"  # no markup ran
    if SCREENSHOT_DIR:
        await page.screenshot(path=f"{SCREENSHOT_DIR}/demo-formatting.png")

    # a channel link names the channel as Slack shows it, not by its id
    await page.locator("#agent").select_option("U0CARLA")
    await page.locator("#composer-text").fill("/suporte relatorio hoje")
    await page.locator("#composer button[type=submit]").click()
    ephemeral = page.get_by_test_id("ephemeral").filter(has_text="Preparando o relatório")
    await expect(ephemeral).to_contain_text("Ele aparece em #suporte")
    await expect(ephemeral).not_to_contain_text("C0SUPORTE")


async def test_the_report_charts_open_in_a_viewer(demo: Demo, page) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    await page.locator("#phone-text").fill("Oi, não consigo entrar na plataforma")
    await page.locator("#phone-form button[type=submit]").click()
    await page.locator("#agent").select_option("U0CARLA")
    await page.locator("#composer-text").fill("/suporte relatorio hoje")
    await page.locator("#composer button[type=submit]").click()
    chart = page.get_by_test_id("slack-messages").get_by_role("img", name="volume.png")
    await expect(chart).to_be_visible(timeout=30_000)
    await chart.evaluate("img => img.decode()")  # the picture itself loads, not only its name
    assert await chart.evaluate("img => img.naturalWidth") > 100
    await chart.click()
    viewer = page.get_by_test_id("image-viewer")
    await expect(viewer).to_be_visible()
    await expect(viewer.locator("img")).to_have_attribute("src", re.compile("/api/media/slack/"))
    await expect(viewer).to_contain_text("volume.png")
    if SCREENSHOT_DIR:
        await page.screenshot(path=f"{SCREENSHOT_DIR}/demo-chart.png")
    await page.keyboard.press("Escape")
    await expect(viewer).to_be_hidden()


async def test_ephemeral_messages_can_be_dismissed(demo: Demo, page) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    ephemerals = page.get_by_test_id("ephemeral")
    await page.locator("#composer-text").fill("/suporte ajuda")
    await page.locator("#composer button[type=submit]").click()
    await expect(ephemerals).to_have_count(1)
    await ephemerals.get_by_role("button", name="Dispensar").click()
    await expect(ephemerals).to_have_count(0)
    # it stays away while the page keeps refreshing; the next one shows alone
    await page.locator("#composer-text").fill("/suporte fila")
    await page.locator("#composer button[type=submit]").click()
    await expect(ephemerals).to_have_count(1)
    await expect(ephemerals).to_contain_text("Fila")


async def test_a_scenario_shows_the_phone_of_its_customer(demo: Demo, page) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    assert demo.api is not None
    joao = DEFAULT_CUSTOMERS[1]
    playing = asyncio.create_task(play(demo.api, "whatsapp_connection", pace=0))
    try:
        await expect(page.locator("#customer")).to_have_value(joao.phone)
        await expect(page.get_by_test_id("phone-chat")).to_contain_text("conectar meu WhatsApp Business")
    finally:
        await playing


async def test_the_thread_fits_a_1024_pixel_window(demo: Demo, page) -> None:  # type: ignore[no-untyped-def]
    expect = playwright_api.expect
    await page.set_viewport_size({"width": 1024, "height": 768})
    await page.locator("#phone-text").fill("Oi, não consigo entrar na plataforma")
    await page.locator("#phone-form button[type=submit]").click()
    messages = page.get_by_test_id("slack-messages")
    await messages.get_by_role("button", name=re.compile("respostas?")).first.click()
    thread = page.locator("#thread")
    await expect(thread).to_be_visible()
    slack = await page.locator(".slack").bounding_box()
    for part in (thread, page.locator("#thread-text"), page.locator("#thread-composer button[type=submit]")):
        box = await part.bounding_box()
        assert box is not None and slack is not None
        assert box["x"] >= slack["x"] and box["x"] + box["width"] <= slack["x"] + slack["width"] + 1
        assert box["x"] + box["width"] <= 1024
    assert (await thread.bounding_box())["width"] >= 300  # room to read the conversation
    await page.locator("#thread-text").fill("Oi, Maria! Já vou te ajudar.")
    await page.locator("#thread-composer button[type=submit]").click()
    await expect(page.get_by_test_id("business-message").filter(has_text="Já vou te ajudar")).to_be_visible()
    if SCREENSHOT_DIR:
        await page.screenshot(path=f"{SCREENSHOT_DIR}/demo-1024.png")


async def test_the_page_has_a_favicon(demo: Demo, page) -> None:  # type: ignore[no-untyped-def]
    answer = await page.request.get(demo.url + "favicon.ico")
    assert answer.status == 200 and answer.headers["content-type"] == "image/x-icon"
    assert (await answer.body())[:4] == b"\x00\x00\x01\x00"  # an icon file
    icon = page.locator('link[rel="icon"]')
    assert await icon.get_attribute("href") == "/favicon.ico"
