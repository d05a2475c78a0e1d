"""Phone assistant: transcription, triage and extraction of recorded calls (issue 5)."""
