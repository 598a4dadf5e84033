"""uai18n: translation and localization pipeline for Urgent Action documents."""

__version__ = "0.1.0"
