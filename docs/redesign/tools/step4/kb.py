SOURCE = "core/kb/articles.py"
HOMES = {"core.kb.model": ["ImportOutcome", "Article", "CandidateOrigin", "CandidateState", "Candidate", "CandidateDraft"]}
