"""Loader fixtures: the real corpus extracted once per session."""

from loader_helpers import extracted  # noqa: F401  (fixture)
