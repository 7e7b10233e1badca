"""The Textual app: app.py (FieldApp), screens/ (one per screen), widgets/ (one per widget), styles/.

How threads use the store is written once, in workers.py.
"""

from pathlib import Path

#: The .tcss files, shipped inside the package (no build-time copy needed).
STYLES = Path(__file__).parent / "styles"
