"""Building blocks of the synthetic benchmark corpus: real places and the corpus's sentence patterns."""
