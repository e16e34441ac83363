"""Encryption at rest: a master key ring, per-subject data keys, encrypted fields and files."""
