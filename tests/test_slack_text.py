"""What the customer reads when an agent's Slack message uses links, mentions or escapes."""

from handlers.slack.text import to_customer_text


def test_links_keep_their_label_and_address() -> None:
    assert to_customer_text("Veja <https://ajuda.exemplo.com/login|este artigo>") == (
        "Veja este artigo (https://ajuda.exemplo.com/login)"
    )
    assert to_customer_text("<https://ajuda.exemplo.com>") == "https://ajuda.exemplo.com"


def test_escapes_are_undone_and_formatting_is_kept() -> None:
    assert to_customer_text("*Plano* P&amp;M &lt;3 _agora_") == "*Plano* P&M <3 _agora_"


def test_mentions_of_colleagues_do_not_reach_the_customer() -> None:
    assert to_customer_text("<@U123> pode ver? Oi Maria!").strip() == "pode ver? Oi Maria!"
    assert (
        to_customer_text("<mailto:financeiro@exemplo.com|financeiro@exemplo.com>") == "financeiro@exemplo.com"
    )
