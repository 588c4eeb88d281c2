"""The policykg ontology, jurisdictions and SHACL shapes, shipped as Turtle files.

`vocab` holds the namespaces and the IRI rules every other layer uses.
"""

from importlib.resources import files
from pathlib import Path

ONTOLOGY_DIR = Path(str(files(__name__)))
POLICY_TTL = ONTOLOGY_DIR / "policy.ttl"
JURISDICTIONS_TTL = ONTOLOGY_DIR / "jurisdictions.ttl"
SHAPES_TTL = ONTOLOGY_DIR / "shapes.ttl"
#: zh vocabulary (skos:altLabel / hiddenLabel) of the instrument categories, merged with policy.ttl
CATEGORIES_TTL = ONTOLOGY_DIR / "categories.ttl"

#: The Turtle files loaded alongside the data so queries can use labels and hierarchy.
BACKGROUND_FILES = (POLICY_TTL, CATEGORIES_TTL, JURISDICTIONS_TTL)
