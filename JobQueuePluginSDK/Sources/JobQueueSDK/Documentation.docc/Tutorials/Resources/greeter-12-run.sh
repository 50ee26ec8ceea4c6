$ jobqueue run --drain
2026-12-01T03:01:43+0000 info jobqueue: [jobqueue] serving greet from /home/you/src/Greeter/jobqueue.db
2026-12-01T03:01:43+0000 info jobqueue: attempt=1 job_id=1 queue_id=tenant-1 topic=greet [JobQueuePlugins] greeting Ada, attempt 1
2026-12-01T03:01:43+0000 debug jobqueue: attempt=1 job_id=1 queue_id=tenant-1 result=Hello, Ada! topic=greet [JobQueue] job ok
2026-12-01T03:01:43+0000 warning jobqueue: attempt=1 job_id=2 queue_id=tenant-1 reason=no name topic=greet [JobQueue] job discarded
2026-12-01T03:01:43+0000 info jobqueue: [JobQueue] drained: no ready, scheduled or running jobs
2026-12-01T03:01:43+0000 info jobqueue: [JobQueue] stopping: no new work; running batches have 30.0 seconds to finish
2026-12-01T03:01:43+0000 info jobqueue: [JobQueue] stopped
