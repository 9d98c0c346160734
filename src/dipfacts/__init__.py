"""dipfacts: quotable, cited facts about Vietnam's diplomatic relations."""

__version__ = "0.1.0"
