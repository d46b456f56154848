-- rows per transaction: 8
-- Would batching reservations help? Eight reserve_upload calls in one transaction, for eight clients in a
-- fixed order (clients 0-7 or 8-15, ascending, so that two batches never wait for each other in a cycle).
\set b 8 * random(0, 1)
BEGIN;
SELECT reserve_upload(gen_random_uuid(), 'bench-spread-' || (:b + 0), 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
SELECT reserve_upload(gen_random_uuid(), 'bench-spread-' || (:b + 1), 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
SELECT reserve_upload(gen_random_uuid(), 'bench-spread-' || (:b + 2), 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
SELECT reserve_upload(gen_random_uuid(), 'bench-spread-' || (:b + 3), 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
SELECT reserve_upload(gen_random_uuid(), 'bench-spread-' || (:b + 4), 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
SELECT reserve_upload(gen_random_uuid(), 'bench-spread-' || (:b + 5), 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
SELECT reserve_upload(gen_random_uuid(), 'bench-spread-' || (:b + 6), 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
SELECT reserve_upload(gen_random_uuid(), 'bench-spread-' || (:b + 7), 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
COMMIT;
