-- The same row into the asset table itself: its foreign key to client and its usage trigger (changelog
-- 0004) run too. No quota check, no rate token, no client lock.
\set c random(0, 15)
INSERT INTO asset (id, client_id, bucket, object_key, status, filename, declared_content_type,
                   declared_size, declared_sha256, upload_expires_at)
VALUES (gen_random_uuid(), 'bench-spread-' || :c, 'assets-bench', 'db-bench/' || gen_random_uuid() || '/file.bin',
        'PENDING', 'file.bin', 'application/octet-stream', 1024, NULL, now() + interval '15 minutes');
