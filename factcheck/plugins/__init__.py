"""factcheck's plugins for the tools researchers open its database with, registered through
entry points (pyproject.toml) when factcheck is installed: SQL typed into Datasette or
`sqlite-utils query` can call factcheck's SQL functions (db/sql_functions.py), and Datasette's
`_search=` on claims finds what `factcheck search` finds. Like the CLI, they sit on top: they
import the database layer, never the reverse."""
