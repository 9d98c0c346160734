"""Drafting facts from a Vietnamese news article: draft.py, with the language patterns in patterns_vi.py."""
