"""The language-model path: used when OPENAI_API_KEY and/or OPENAI_BASE_URL are set.

- ``client``: LLMClient, structured outputs from any OpenAI-compatible server, typed errors.
- ``grounding`` (+ ``dates``): drop whatever the source text does not support.
- ``resume``, ``jobs``: parse_resume_with_model, parse_job_with_model (grounded).
- ``narrative``, ``research``, ``tailoring``: model-written text over computed facts.

Nothing here opens a connection or reads the environment at import time.
"""
