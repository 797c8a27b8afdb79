-- 0001: the catalogue of index versions, documents and sessions, the lexical index's
-- blobs and the embedding cache. Applied by confsearch/retrieval/store/pgschema.py inside one
-- transaction, with the store's schema first on the search_path.
--
-- Passages live in one table per index version, passage_v<id> (created when a version is
-- published, see pgschema.passage_table_ddl): its own HNSW index over a halfvec(dim)
-- column and its own GIN index over a Swedish full-text column, so a build never touches
-- the table that readers are searching, and dropping an old version drops its indexes.

CREATE TABLE index_version (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name          text NOT NULL UNIQUE,            -- "v-<time>-<rand>", as the files backend
    model         text NOT NULL,
    dim           integer NOT NULL CHECK (dim > 0),
    passage_table text NOT NULL,
    manifest      jsonb NOT NULL,                  -- the Manifest without its documents
    created       timestamptz NOT NULL DEFAULT now()
);

-- The live version: one row, replaced in the same transaction that writes a version.
CREATE TABLE live_version (
    singleton  boolean PRIMARY KEY DEFAULT true CHECK (singleton),
    version_id bigint NOT NULL REFERENCES index_version (id)
);

CREATE TABLE document (
    version_id bigint NOT NULL REFERENCES index_version (id) ON DELETE CASCADE,
    ord        integer NOT NULL,                   -- order in the manifest
    doc_id     text NOT NULL,
    title      text NOT NULL,
    source     text NOT NULL,
    metadata   jsonb NOT NULL DEFAULT '{}',
    PRIMARY KEY (version_id, ord)
);

CREATE TABLE session (
    version_id bigint NOT NULL,
    doc_ord    integer NOT NULL,
    ord        integer NOT NULL,
    title      text NOT NULL,
    PRIMARY KEY (version_id, doc_ord, ord),
    FOREIGN KEY (version_id, doc_ord) REFERENCES document (version_id, ord) ON DELETE CASCADE
);

-- The app's lexical index (Swedish BM25 with decompounding, typo tolerance and the
-- glossary) and the grounding vocabulary, as the files backend writes them, in parts
-- of at most a few MB. Search ranks with them exactly as the files backend does.
CREATE TABLE version_blob (
    version_id bigint NOT NULL REFERENCES index_version (id) ON DELETE CASCADE,
    name       text NOT NULL,
    part       integer NOT NULL,
    data       bytea NOT NULL,
    PRIMARY KEY (version_id, name, part)
);

-- Embeddings by content key = sha256(model, prompt, text): unchanged text is never
-- embedded again. Holds the embeddings of the live version (replaced at each publish).
CREATE TABLE embedding_cache (
    key       text PRIMARY KEY,
    model     text NOT NULL,
    dim       integer NOT NULL,
    embedding vector NOT NULL
);

-- Swedish full text, stemmed and then accent-folded ("Västerås" and "vasteras" match),
-- the order confsearch.analysis uses: folding first would hide suffixes from the stemmer.
-- BEGIN ATOMIC bodies are resolved now, so the functions do not depend on search_path.
CREATE FUNCTION passage_tsvector(p_body text, p_session text, p_regions text[], p_speakers text[])
RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT unaccent('unaccent'::regdictionary,
                    to_tsvector('swedish'::regconfig,
                                concat_ws(' ', p_body, p_session,
                                          array_to_string(p_regions, ' '),
                                          array_to_string(p_speakers, ' ')))::text)::tsvector;
END;

-- A question as an OR query over the same lexemes (for SQL users and bench/pg_ranking.py).
CREATE FUNCTION passage_tsquery(p_query text)
RETURNS tsquery LANGUAGE sql IMMUTABLE PARALLEL SAFE
BEGIN ATOMIC
    SELECT unaccent('unaccent'::regdictionary,
                    replace(plainto_tsquery('swedish'::regconfig, p_query)::text,
                            ' & ', ' | '))::tsquery;
END;
