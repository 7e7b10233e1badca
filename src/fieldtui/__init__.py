"""fieldtui: offline field data entry for community programmes."""

__version__ = "0.1.0"
