"""Use cases. Each takes a Session and pydantic inputs, returns pydantic outputs, raises domain
errors from `factcheck.errors`, and never prints."""
