"""Nothing hostile: the reference, graded under a file name with a space and Korean letters
(the control of this corpus: full marks, and its results are written to disk)."""
