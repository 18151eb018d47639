"""One module per noun (`source`, `claim`, `verdict`, `db`) plus the top-level verbs."""
