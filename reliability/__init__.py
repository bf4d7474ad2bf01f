"""Reliability: the bad-input corpus, random corruptions, faults and load, measured (python -m reliability)."""
