"""Persistence. `connection` opens SQLite without SQLAlchemy (the fast paths and the engine share
it); `engine`, `database` and `migrate` are the SQLAlchemy side; `write_rules` creates the
triggers through which the database itself keeps history and the search index."""
