"""Finding the links nobody has made yet: claim pairs that may contradict, support or duplicate
each other, each with a score in [0, 1] and the reasons a person can check.

Pure functions over texts and ids, no database: factcheck/services/suggestions.py reads the
claims and the decisions already taken, and hands them here.

- tokens.py: words, their folded and stemmed forms, and the words that carry no topic;
- cues.py: negation, antonyms, and the vocabulary of denial and debunking;
- quantities.py: numbers in digits or words, with bounds, ranges and approximations, and what
  they count;
- dates.py: years and months a claim is about;
- features.py: all of the above for one claim, computed once (the cues when a pair first needs
  them);
- candidates.py: which pairs are worth comparing, without comparing every pair, and how similar
  they are;
- scoring.py: the signals of one pair, its relation, score and reasons, and the most a pair can
  score before its signals are known;
- finder.py: all of it together, assessing only the pairs that can still make the cut.
"""
