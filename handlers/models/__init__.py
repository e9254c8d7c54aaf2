"""Remote language models behind core's LanguageModel port: Gemini (google-genai) and OpenAI."""
