"""Search: the inverted index, its cache, ranking (spec.py holds the rule once), filters and lookups."""
