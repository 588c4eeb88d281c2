"""Run one OWL reasoner (owlready2's HermiT or Pellet) over N-Triples files; print `consistent`
or the reasoner's refusal, exit 0 / 1. Run as a child process by test_reasoner.py so a time
limit can stop it together with its Java process.

    python reasoner.py hermit|pellet FILE.nt [FILE.nt …]
"""

from __future__ import annotations

import sys
from pathlib import Path

import arcadedb_embedded
import owlready2

#: The JRE bundled with arcadedb-embedded (the Bolt test server's), so no Java install is needed.
JAVA = Path(arcadedb_embedded.__file__).parent / "jre" / "bin" / "java"


def main(reasoner: str, files: list[str]) -> int:
    owlready2.JAVA_EXE = str(JAVA)
    world = owlready2.World()
    ontologies = [world.get_ontology(Path(f).resolve().as_uri()).load() for f in files]
    run = {"hermit": owlready2.sync_reasoner_hermit, "pellet": owlready2.sync_reasoner_pellet}[reasoner]
    try:
        with ontologies[0]:
            run(world, infer_property_values=False, debug=0)
    except owlready2.OwlReadyError as err:   # inconsistent, or refused (unsupported datatype…)
        print(f"{type(err).__name__}: {err}")
        return 1
    unsatisfiable = [str(c) for c in world.inconsistent_classes() if str(c) != "owl.Nothing"]
    if unsatisfiable:
        print("unsatisfiable classes:", ", ".join(unsatisfiable))
        return 1
    print("consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
