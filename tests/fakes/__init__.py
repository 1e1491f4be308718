"""Fakes for the outermost edges of the system (servers we cannot run in tests)."""
