"""Singleton jobs: one fleet instance at a time runs each, by a lease row in the database."""
