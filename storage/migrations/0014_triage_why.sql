-- Why the offline triage decided (the rule, or the words that weighed most in its model), shown to
-- agents in the triage line; NULL when a remote model classified.
ALTER TABLE ai_triage ADD COLUMN why TEXT;
