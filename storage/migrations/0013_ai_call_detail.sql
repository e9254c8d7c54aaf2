-- Why a model call failed, in the provider's own words (a refused schema, a thinking setting the
-- model does not take, a timeout): the outcome column says only the kind of failure.
ALTER TABLE ai_calls ADD COLUMN detail TEXT NOT NULL DEFAULT '';
