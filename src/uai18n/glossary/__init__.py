"""The human-rights glossary: load (CSV, TBX), match (lemmas, index), check, lint."""
