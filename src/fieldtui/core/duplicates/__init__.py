"""One person, counted once: likely duplicates across the whole file and decisions about them.

- `candidates(store, person_fields, limit)`: people who may be the one being registered (a
  form's fields so far), best first, with a score and the evidence; a few index lookups.
- `pairs(store, min_score)`: every likely pair of the file in one pass over the blocking keys.
- `decide(store, a, b, 'same' | 'different')`: remembered (and exchanged); 'same' merges.
- `merge_decisions` / `settle_same`: what the headquarters merge does with a file's decisions.
"""

from fieldtui.core.duplicates.decisions import decide, merge_decisions, pair_of, settle_same
from fieldtui.core.duplicates.finding import Candidate, Pair, candidates, pairs
from fieldtui.core.duplicates.scoring import CANDIDATE_MIN, PAIR_MIN, Evidence, score

__all__ = ["CANDIDATE_MIN", "PAIR_MIN", "Candidate", "Evidence", "Pair", "candidates", "decide",
           "merge_decisions", "pair_of", "pairs", "score", "settle_same"]
