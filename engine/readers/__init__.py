"""Readers: each input form (text, PDF) turned into a Source."""
