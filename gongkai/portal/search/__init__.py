"""Chinese full-text search over published pages (rjieba + SQLite FTS5 / PostgreSQL)."""
