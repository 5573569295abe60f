"""A string Enum with a parser whose error lists the valid values."""
from __future__ import annotations

from enum import Enum


class ValueEnum(str, Enum):
    """A ``str`` Enum: members compare equal to their values, print as them,
    and :meth:`parse` names the valid values when given another.

    Example:
        >>> class Colour(ValueEnum):
        ...     RED = "red"
        >>> Colour.parse("red") == "red"
        True
    """

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, value: str):
        """The member whose value is ``value``.

        Raises:
            ValueError: unknown value (the message lists the valid ones).
        """
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"unknown {cls.__name__} {value!r}; valid: {', '.join(m.value for m in cls)}") from None
