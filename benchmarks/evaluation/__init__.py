"""Extraction evaluation: expected facts written by hand from the texts, scored field by field.

Expected facts live in `tests/expected/documents/<file-stem>.yaml` (document layer) and
`tests/expected/instruments/<file-stem>.yaml` (funding instruments). Each scorer takes the
`policykg extract --format json` output of one file and the expected YAML of that file and
returns `{field: (right, total)}`; `benchmarks/eval_extraction.py` (`make eval`) adds them up.
"""
