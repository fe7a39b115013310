"""Office outputs shared by every app: Excel exports (xlsx), official documents (docs)."""
