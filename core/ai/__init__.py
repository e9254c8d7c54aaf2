"""The AI core: triage, grounded drafts, the escalation rules and the model fallback chain.

Everything here is pure domain (no SDK): the model providers plug in through the
``LanguageModel`` port (:mod:`core.ai.ports`), Gemini and OpenAI live in ``handlers``,
and the offline provider (:mod:`core.ai.offline`) is plain Python rules for pt-BR.
"""
