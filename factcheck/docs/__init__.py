"""The documentation generators that `make docs` runs: the command reference from the commands'
own help (commands.py) and the database reference and JSON Schemas from the models (schema.py).
Tests regenerate both and fail when the committed files differ."""
