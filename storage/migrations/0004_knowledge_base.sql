-- Knowledge base: articles, their full-text index (pre-analysed pt-BR stems), embeddings,
-- and the learning loop's candidates and counted questions.
CREATE TABLE kb_articles (
    id INTEGER PRIMARY KEY,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    subcategory TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    body TEXT NOT NULL,
    estimated_time TEXT,
    source TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX kb_articles_by_source ON kb_articles (source);

-- rowid = kb_articles.id. title/tags/body hold stems; plain holds the folded words, read
-- through kb_vocab to correct typos in queries.
CREATE VIRTUAL TABLE kb_fts USING fts5 (title, tags, body, plain, tokenize = 'unicode61 remove_diacritics 2');
CREATE VIRTUAL TABLE kb_vocab USING fts5vocab (kb_fts, 'col');

-- Float32 little-endian vectors (the layout sqlite-vec reads), kept while content_hash matches.
CREATE TABLE kb_embeddings (
    article_id INTEGER PRIMARY KEY REFERENCES kb_articles (id) ON DELETE CASCADE,
    model TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    vector BLOB NOT NULL
);

-- Bumped by every change to the articles or their vectors, so caches (in any process) notice.
CREATE TABLE kb_generation (id INTEGER PRIMARY KEY CHECK (id = 1), value INTEGER NOT NULL);
INSERT INTO kb_generation (id, value) VALUES (1, 0);

-- Proposed articles waiting for a person: from a well-rated ticket, a frequent question,
-- a resolved thread or /suporte kb novo. Nothing is published without a decision here.
CREATE TABLE kb_candidates (
    id INTEGER PRIMARY KEY,
    origin TEXT NOT NULL,
    ticket_id INTEGER REFERENCES tickets (id),
    question_key TEXT,
    title TEXT NOT NULL,
    category TEXT NOT NULL,
    subcategory TEXT,
    tags TEXT NOT NULL DEFAULT '[]',
    body TEXT NOT NULL,
    estimated_time TEXT,
    state TEXT NOT NULL DEFAULT 'pending',
    proposed_by TEXT NOT NULL,
    review_ref TEXT,
    decided_by TEXT,
    decided_at TEXT,
    slug TEXT,
    created_at TEXT NOT NULL
);
CREATE INDEX kb_candidates_by_key ON kb_candidates (question_key, created_at);
CREATE UNIQUE INDEX kb_candidates_one_per_ticket ON kb_candidates (origin, ticket_id) WHERE ticket_id IS NOT NULL;
