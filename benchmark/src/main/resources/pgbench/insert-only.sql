-- The reference: the INSERT-only loop of scripts/bench.sh, a row shaped like a PENDING asset into a table
-- with the asset table's columns and indexes (no triggers, no foreign key), one autocommit INSERT.
INSERT INTO bench_insert_only (id, client_id, bucket, object_key, status, filename, declared_content_type,
                               declared_size, declared_sha256, upload_expires_at)
VALUES (gen_random_uuid(), 'insert-only', 'assets-bench', 'insert-only/' || gen_random_uuid() || '/file.bin',
        'PENDING', 'file.bin', 'application/octet-stream', 1024, NULL, now() + interval '15 minutes');
