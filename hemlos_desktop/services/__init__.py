"""Use cases: one function or class per user action. Plain data out, no Qt widgets."""
