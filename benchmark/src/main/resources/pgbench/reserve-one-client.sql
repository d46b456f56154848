-- The same for one client from every connection: its reservations wait for each other's commit.
SELECT reserve_upload(gen_random_uuid(), 'bench-solo', 'assets-bench',
                      'db-bench/' || gen_random_uuid() || '/file.bin', 'file.bin', 'application/octet-stream',
                      1024, NULL, now() + interval '15 minutes', 1000000000000000, 1000000000000, 1000000000);
