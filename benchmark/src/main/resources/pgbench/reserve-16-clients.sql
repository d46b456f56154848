-- What the API sends per upload URL (UploadIntents.reserve): the client's row lock, the quota check, the
-- rate token and the insert, one autocommit statement; each call for one of the 16 benchmark clients.
\set c random(0, 15)
SELECT reserve_upload(gen_random_uuid(), 'bench-spread-' || :c, 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
