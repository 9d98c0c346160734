"""The library's typed errors.

The CLI turns every one of these into a single line on stderr and exit 2, in one
place; anything else that escapes is a bug and is allowed to show its traceback.
"""

from __future__ import annotations

from dataclasses import dataclass


class DipfactsError(Exception):
    """A problem the user can fix: bad input, a bad base, an unknown id."""

    def __init__(self, message: str, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} ({self.hint})" if self.hint else self.message


class QueryError(DipfactsError):
    """A query with nothing to search for: empty, or only punctuation."""


class UnknownIdError(DipfactsError):
    """An id or alias that names nothing in the base; carries the nearest guesses."""

    def __init__(self, what: str, value: str, suggestions: list[str]) -> None:
        hint = "did you mean " + " or ".join(suggestions) + "?" if suggestions else None
        super().__init__(f"unknown {what} {value!r}", hint)
        self.what = what
        self.value = value
        self.suggestions = suggestions


@dataclass(frozen=True, slots=True)
class Problem:
    """One defect in a fact base, located so a curator can jump to it."""

    file: str
    line: int | None
    message: str
    item: str | None = None  # e.g. "fact 'vn-kz/trade/2021'"
    column: int | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.item}: {self.message}" if self.item else f"{where}: {self.message}"


class BaseError(DipfactsError):
    """A fact base that cannot be trusted; lists every problem found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        n = len(problems)
        super().__init__(f"{n} problem{'s' if n != 1 else ''} in the fact base")
