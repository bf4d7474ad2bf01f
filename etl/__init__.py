"""The data path: raw files -> validated, typed tables -> an immutable DuckDB snapshot with marts -> published."""
