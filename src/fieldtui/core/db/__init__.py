"""Database files: opening them, the files beside them, the private work folders."""
