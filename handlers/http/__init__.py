"""The bot's own HTTP routes that are not a platform's webhook: customer import, body limits, media limits."""
