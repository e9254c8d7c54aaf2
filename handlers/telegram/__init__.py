"""Telegram: long-polled updates parsed into inbox items; sends through python-telegram-bot."""
