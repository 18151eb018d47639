"""factcheck: a claim-tracking fact-check database for researchers."""

__version__ = "0.1.0"
