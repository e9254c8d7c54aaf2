"""Issue 19 step 1, the rest: testing/signing.py split in three, testing/slack_api.py into testing/slack/,
bot/demo/api.py split. Run from the repository root:

    python3 docs/redesign/tools/rewrite_imports.py docs/redesign/tools/moves_step1.py --apply
"""

import ast
import pathlib


def _names(path: str) -> list[str]:
    tree = ast.parse(pathlib.Path(path).read_text())
    return [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]


MODULES: dict[str, str] = {}
SYMBOLS: dict[str, dict[str, str]] = {
    "bot.demo.api": {
        "DEFAULT_CUSTOMERS": "bot.demo.customers",
        "DemoCustomer": "bot.demo.customers",
        "DemoHost": "bot.demo.host",
        "PhoneMessage": "bot.demo.phone",
    },
    "testing.slack_api": {
        "FakeSlackAPI": "testing.slack.api",
        **{n: "testing.slack.base" for n in ("BOT_USER_ID", "BOT_ID", "TEAM_ID", "CHANNEL_ID", "SECTION_LIMIT")},
    },
    "testing.signing": {
        **{n: "testing.whatsapp_webhooks" for n in _names("testing/whatsapp_webhooks.py")},
        **{n: "testing.slack_payloads" for n in _names("testing/slack_payloads.py")},
    },
}
