"""Candidate claims from a source's text: its sentences, each scored for check-worthiness with
the reasons a person can check, the kind of claim guessed and the claimant read from the
attribution.

Pure functions over the text and the project's entities, no database: the service
factcheck/services/extraction.py reads the source, its entities and the quotes already logged,
and hands them here.

- sentences.py: the text cut into sentences (pysbd), with their offsets in it;
- names.py: the project's entities in a sentence (any spelling), and words written as names;
- claimant.py: the attribution of a sentence ("said X", "X said", "according to X");
- scoring.py: the signals of a sentence, its score, reasons, kind and claimant.
"""
