"""Records in a fieldtui file: the store's parts, one capability each (composed in core/store.py).

base.py: opening, the schema, transactions, the journal; saves.py: writing records (validated by
core/models.py), soft delete and restore; lists.py: the list and search planner; people.py:
duplicates and a person's enrolments; drafts.py: unsaved forms; audit.py: who changed what.
"""
